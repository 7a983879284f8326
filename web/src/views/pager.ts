// Previous / Next over a list's cursor pages, shared by the lists that page.

import { h } from '../dom';

/** `fetch(cursor)` reads one page and `show(page)` renders it, answering the next page's
 * cursor (`null` on the last); failures are written to `message`. `restart()` goes back to
 * the first page. Only the newest request is shown: an answer overtaken by a newer
 * request (the viewer typed on) is dropped, whatever order the answers come in. */
export function pager<Page>(message: HTMLElement, fetch: (cursor: string | undefined) => Promise<Page>, show: (page: Page) => string | null) {
  // Cursors of the pages before the current one, for "Previous".
  let cursors: (string | undefined)[] = [];
  let cursor: string | undefined;
  let newest = 0;
  const previous = h('button', { type: 'button' }, '← Previous');
  const next = h('button', { type: 'button' }, 'Next →');
  const load = async (at: string | undefined, forward: boolean) => {
    const request = ++newest;
    if (forward) cursors.push(cursor);
    cursor = at;
    message.textContent = 'Loading…';
    try {
      const page = await fetch(cursor);
      if (request !== newest) return;
      const following = show(page);
      previous.disabled = cursors.length === 0;
      next.disabled = following === null;
      next.onclick = () => load(following ?? undefined, true);
    } catch (error) {
      if (request === newest) message.textContent = (error as Error).message;
    }
  };
  previous.onclick = () => load(cursors.pop(), false);
  return {
    element: h('div', { class: 'pager' }, previous, next),
    restart() {
      cursors = [];
      void load(undefined, false);
    },
  };
}
