// The overlay a performer adds to OBS as a Browser source (`#/overlay/TOKEN`, docs/ROOM.md):
// a transparent page with an alert per tip (amount, menu item, and the message when the
// link carries the performer's message key: `?key=0x…`, opened in the page, never sent),
// the goal's bar and the last tips, none from viewers the performer blocked, and "goal
// reached". Driven by the live feeds (`/v1/tips/stream`, `/v1/goals/stream`); the link's
// secret (and the block list) is checked
// again every 30 s, so a revoked link goes blank.

import { api, ApiError, type Note, type Room, type Tip } from '../api';
import { h, mount } from '../dom';
import { shortAccount, tokens } from '../format';
import { onGoal, onTip } from '../live';
import { open } from '../room/seal';
import { goalBar, noteOf } from './room';

const ALERT_MS = 8_000;
const TICKER = 5;

export function renderOverlay(main: HTMLElement, token: string, params: URLSearchParams): () => void {
  document.body.classList.add('overlay-mode');
  const secret = /^0x[0-9a-f]{64}$/.test(params.get('key') ?? '') ? hexBytes(params.get('key')!) : null;
  const alert = h('div', { class: 'overlay-alert', 'data-testid': 'overlay-alert', 'aria-live': 'assertive', hidden: true });
  // Its own banner: the goal and the tip that reached it come on two feeds in either
  // order, and the tip's alert must not replace the announcement.
  const reachedBanner = h('div', { class: 'overlay-alert', 'aria-live': 'assertive', hidden: true });
  const goal = h('div', { 'data-testid': 'overlay-goal' });
  const ticker = h('ol', { class: 'overlay-ticker', 'data-testid': 'overlay-ticker' });
  mount(main, h('div', { class: 'overlay' }, reachedBanner, alert, goal, ticker));
  let performer: string | null = null;
  /** Viewers the performer blocked: their tips are not shown. */
  let blocked = new Set<string>();
  const showAlert = flash(alert);
  const showReached = flash(reachedBanner);
  let stopTips = () => {};

  const revoked = () => {
    stopTips();
    performer = null;
    mount(main, h('p', { class: 'overlay-revoked', 'data-testid': 'overlay-revoked' }, 'This overlay link was revoked or replaced.'));
  };
  const loadGoal = async () => {
    if (!performer) return;
    let room: Room | null = null;
    try {
      room = await api.room(performer);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    mount(goal, room && goalBar(room));
  };
  const alertFor = (tip: Tip, note: Note | null) => {
    const message = note?.message && secret ? open(note.message, secret) : null;
    showAlert.show(
      h('strong', { class: 'amount' }, `${tokens(tip.gross)} LIVE`),
      ` from ${shortAccount(tip.viewer)}`,
      note?.item_label ? h('span', { 'data-testid': 'overlay-item' }, ` for ${note.item_label}`) : null,
      message !== null ? h('blockquote', { 'data-testid': 'overlay-message' }, message) : null,
    );
  };
  const onSettled = (tip: Tip) => {
    if (tip.performer !== performer || blocked.has(tip.viewer)) return;
    ticker.prepend(h('li', {}, `${tokens(tip.gross)} LIVE · ${shortAccount(tip.viewer)}`));
    while (ticker.children.length > TICKER) ticker.lastElementChild?.remove();
    alertFor(tip, null);
    if (tip.memo) void noteOf(tip).then((note) => note && alertFor(tip, note));
    // The bar keeps its last value when the room cannot be read; say why in the console
    // (the overlay shows nothing but alerts).
    void loadGoal().catch((error: Error) => console.warn(`livestars overlay: the goal: ${error.message}`));
  };

  const check = async () => {
    try {
      const owner = await api.overlayOwner(token);
      blocked = new Set(await api.blocked(owner.performer));
      if (!performer) {
        performer = owner.performer;
        const stopSettled = onTip(onSettled);
        const stopGoals = onGoal((reached) => {
          if (reached.performer === performer) showReached.show(h('strong', { 'data-testid': 'goal-reached' }, `Goal reached: ${reached.label}!`));
        });
        stopTips = () => {
          stopSettled();
          stopGoals();
        };
        await loadGoal().catch((error: Error) => console.warn(`livestars overlay: the goal: ${error.message}`));
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) revoked();
    }
  };
  void check();
  const recheck = setInterval(() => void check(), 30_000);
  return () => {
    clearInterval(recheck);
    showAlert.stop();
    showReached.stop();
    stopTips();
    document.body.classList.remove('overlay-mode');
  };
}

/** Shows content in `element` for ALERT_MS, the newest replacing the last. */
function flash(element: HTMLElement): { show(...children: (HTMLElement | string | null)[]): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    show(...children) {
      mount(element, ...children);
      element.hidden = false;
      clearTimeout(timer);
      timer = setTimeout(() => (element.hidden = true), ALERT_MS);
    },
    stop: () => clearTimeout(timer),
  };
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.slice(2).match(/../g)!, (byte) => parseInt(byte, 16));
}
