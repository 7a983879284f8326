// Previous / Next over a list's cursor pages, shared by the lists that page.

import { h } from '../dom';

/** `show(cursor)` renders one page and answers the next page's cursor (`null` on the
 * last); failures are written to `message`. `restart()` goes back to the first page. */
export function pager(message: HTMLElement, show: (cursor: string | undefined) => Promise<string | null>) {
  // Cursors of the pages before the current one, for "Previous".
  let cursors: (string | undefined)[] = [];
  let cursor: string | undefined;
  const previous = h('button', { type: 'button' }, '← Previous');
  const next = h('button', { type: 'button' }, 'Next →');
  const load = async (at: string | undefined, forward: boolean) => {
    if (forward) cursors.push(cursor);
    cursor = at;
    message.textContent = 'Loading…';
    try {
      const following = await show(cursor);
      previous.disabled = cursors.length === 0;
      next.disabled = following === null;
      next.onclick = () => load(following ?? undefined, true);
    } catch (error) {
      message.textContent = (error as Error).message;
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
