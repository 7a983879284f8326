// The performer's room, on their page (`#/performer/ADDRESS`, also `#/room/ADDRESS`):
// their own stream (a URL in the signed profile, played with hls.js; livestars hosts no
// video), the tip menu and the goal with its progress, and the notes viewers attach to
// tips: the menu item tipped for and a message sealed to the performer, which only the
// performer's browser opens (room/seal.ts).

import { api, ApiError, type Note, type Room, type Tip } from '../api';
import { h, mount } from '../dom';
import { tokens } from '../format';
import type { MenuItem, TipNote } from '../room/document';
import { open } from '../room/seal';
import { accountLabel } from './account';

/**
 * The performer's stream, through hls.js wherever the browser has Media Source Extensions.
 * The browser's own HLS is only the fallback (Safari without MSE): Chromium 156 reports HLS
 * of its own too, but it failed to start the demo stream in 2 of 13 test runs ("Segment
 * queue never had any data"), as hls.js's README warns it may.
 */
export function streamPlayer(url: string): { element: HTMLElement; stop(): void } {
  const video = h('video', { 'data-testid': 'stream', controls: true, autoplay: true, playsinline: true, width: 640 });
  // Browsers autoplay only muted video before the viewer has clicked anything. The `muted`
  // attribute mutes only an element the HTML parser made, so it is set as a property.
  video.muted = true;
  const problem = h('p', { class: 'form-status error', role: 'alert', hidden: true });
  let hls: { destroy(): void } | null = null;
  let stopped = false;
  const fail = (text: string) => {
    problem.hidden = false;
    problem.textContent = `The stream cannot be played: ${text}`;
  };
  void import('hls.js').then(({ default: Hls }) => {
    if (stopped) return;
    if (Hls.isSupported()) {
      const player = new Hls({ liveSyncDurationCount: 2 });
      player.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) fail(`${data.type}: ${data.details}`);
      });
      player.loadSource(url);
      player.attachMedia(video);
      hls = player;
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = url;
    } else {
      fail('this browser has neither Media Source Extensions nor HLS of its own.');
    }
  }, (error: Error) => fail(error.message));
  video.addEventListener('error', () => fail(video.error?.message || 'the video failed'));
  return {
    element: h('div', { class: 'stream' }, video, problem, h('p', { class: 'muted small' }, 'The performer\'s own stream, from ', h('code', {}, new URL(url).host), ': it sees your address, livestars does not relay it.')),
    stop: () => {
      stopped = true;
      hls?.destroy();
      video.removeAttribute('src');
    },
  };
}

/** The goal's bar: raised of amount, and whether it is reached. */
export function goalBar(room: Room): HTMLElement | null {
  const goal = room.document.goal;
  const progress = room.goal;
  if (!goal || !progress) return null;
  const raised = BigInt(progress.raised);
  const amount = BigInt(goal.amount);
  const ratio = amount > 0n ? Number((raised * 1000n) / amount) / 10 : 100;
  const state = progress.reached ? 'Reached!' : progress.lapsed ? 'Lapsed.' : goal.deadline_ms ? `until ${new Date(goal.deadline_ms).toLocaleString()}` : '';
  return h(
    'div',
    { class: 'goal', 'data-testid': 'goal', 'data-raised': progress.raised, 'data-reached': progress.reached },
    h('p', {}, h('strong', {}, goal.label), ` · ${tokens(raised)} of ${tokens(amount)} LIVE ${state}`),
    h('progress', { 'data-testid': 'goal-bar', max: 100, value: Math.min(100, ratio) }),
  );
}

/** The tip menu, each item with its price and a button that picks it in the tip form. */
export function menuList(menu: MenuItem[], pick: (item: MenuItem) => void): HTMLElement {
  if (!menu.length) return h('p', { class: 'muted' }, 'No tip menu.');
  return h(
    'ul',
    { class: 'menu', 'data-testid': 'menu' },
    ...menu.map((item) =>
      h(
        'li',
        {},
        h('span', {}, item.label),
        ' ',
        h('strong', {}, `${tokens(item.price)} LIVE`),
        ' ',
        h('button', { type: 'button', class: 'small', 'data-item': item.id, onclick: () => pick(item) }, 'Tip for this'),
      ),
    ),
  );
}

/** The room's menu and goal, refreshed by `load()`; `current()` is the room last read. */
export function roomPanel(performer: string, pick: (item: MenuItem) => void) {
  const element = h('div', { class: 'room', 'data-testid': 'room' });
  let current: Room | null = null;
  return {
    element,
    current: () => current,
    /** Reads the room again; a failure is shown in its place (the last menu stays usable). */
    async load() {
      try {
        current = await api.room(performer);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) {
          return mount(element, h('p', { class: 'form-status error', role: 'alert' }, `The tip menu cannot be read: ${(error as Error).message}`));
        }
        current = null;
      }
      mount(element, current ? goalBar(current) : null, current ? menuList(current.document.menu, pick) : h('p', { class: 'muted' }, 'No tip menu or goal.'));
    },
  };
}

/** Hands `note` to the API once the tip of block `block` is indexed (the API finds the
 * tip by its memo, the note's hash): retried for 30 s while the tip is not indexed yet. */
export async function attachNote(performer: string, block: number, note: TipNote): Promise<Note> {
  for (let waited = 0; ; waited += 500) {
    try {
      return await api.attachNote(performer, block, note);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404) || waited >= 30_000) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The note on `tip`, once its viewer's browser has handed it over (it does just after
 * the tip's block): looked for among the performer's newest notes for 15 s; `null` if
 * none came. */
export async function noteOf(tip: Tip): Promise<Note | null> {
  for (let waited = 0; waited < 15_000; waited += 1000) {
    const notes = await api.notes(tip.performer, 20).catch(() => null);
    const note = notes?.items.find((candidate) => candidate.tip.id === tip.id);
    if (note) return note;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return null;
}

/** A note as the performer sees it: amount, item, the message opened with `secret`
 * (or why it cannot be), the viewer, and `actions` (the dashboard's Block). */
export function noteItem(note: Note, secret: Uint8Array | null, ...actions: HTMLElement[]): HTMLElement {
  let message: HTMLElement | null = null;
  if (note.message) {
    const text = secret ? open(note.message, secret) : null;
    message = text !== null
      ? h('blockquote', { class: 'message', 'data-testid': 'message' }, text)
      : h('p', { class: 'muted small' }, secret ? 'A message sealed to another key.' : 'A sealed message: restore your message key to read it.');
  }
  return h(
    'li',
    { class: 'note', 'data-tip': note.tip.id },
    h('strong', { class: 'amount' }, `${tokens(note.tip.gross)} LIVE`),
    note.item_label ? h('span', { class: 'item', 'data-testid': 'note-item' }, ` for ${note.item_label}`) : null,
    h('span', { class: 'muted' }, ' from ', accountLabel(note.tip.viewer)),
    ...actions,
    message,
  );
}
