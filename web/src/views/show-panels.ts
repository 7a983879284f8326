// The parts of a private show's page that show something: the meter, the two videos,
// the chat, and the settlement of an ended show.

import type { Show } from '../api';
import { clock, meter } from '../call/meter';
import { CHAT_MAX } from '../call/peer';
import type { Role } from '../call/signaling';
import { h } from '../dom';
import { tokens, when } from '../format';
import { accountLabel } from './account';

/** What an ended show settled. */
export function settlement(show: Show): HTMLElement {
  return h(
    'dl',
    { class: 'meter', 'data-testid': 'show-final' },
    h('dt', {}, 'Ended'),
    h('dd', {}, show.ended_at ? when(show.ended_at) : '—', show.ended_by ? h('span', {}, ' by ', accountLabel(show.ended_by)) : null),
    h('dt', {}, 'Billed'),
    h('dd', { 'data-testid': 'final-seconds' }, show.billed_seconds === null ? '—' : clock(show.billed_seconds)),
    h('dt', {}, 'Paid'),
    h(
      'dd',
      { 'data-testid': 'final-paid' },
      `${tokens(show.paid)} LIVE (${tokens(show.net)} to the performer, ${tokens(show.platform_fee)} platform fee, ${tokens(show.burned)} burned as rating stake)`,
    ),
    h('dt', {}, 'Refunded to the viewer'),
    h('dd', { 'data-testid': 'final-refunded' }, `${tokens(show.refunded)} LIVE of the ${tokens(show.deposit)} LIVE deposit`),
  );
}

/** The meter: what the show costs so far, ticking every second until `stop()`. */
export function meterPanel(role: Role, initial: Show) {
  let show = initial;
  const elapsed = h('dd', { id: 'show-elapsed', 'data-testid': 'show-elapsed' });
  const earned = h('dd', { id: 'show-earned', 'data-testid': 'show-earned' });
  const refund = h('dd', { id: 'show-refund', 'data-testid': 'show-refund' });
  const claimed = h('dd', { id: 'show-claimed', 'data-testid': 'show-claimed' });
  const deposit = h('dd', { 'data-testid': 'show-deposit' });
  const spentNote = h('p', { class: 'form-status', role: 'status', hidden: true }, 'The deposit is spent: the show costs nothing more. End it to settle.');
  const list = h(
    'dl',
    { class: 'meter', 'data-testid': 'meter', 'aria-label': 'What the show costs so far' },
    h('dt', {}, 'Time'),
    elapsed,
    h('dt', {}, role === 'viewer' ? 'Cost so far' : 'Earned so far'),
    earned,
    h('dt', {}, 'Refund if ended now'),
    refund,
    h('dt', {}, 'Deposit'),
    deposit,
    h('dt', {}, 'Paid out so far'),
    claimed,
  );
  const tick = () => {
    const now = meter(show, Date.now());
    elapsed.textContent = clock(now.seconds);
    earned.textContent = `${tokens(now.earned)} LIVE`;
    refund.textContent = `${tokens(now.refund)} LIVE`;
    spentNote.hidden = !now.spent;
  };
  const describe = () => {
    deposit.textContent = `${tokens(show.deposit)} LIVE at ${tokens(show.price_per_minute)} LIVE a minute`;
    claimed.textContent = `${tokens(show.paid)} LIVE (${tokens(show.net)} LIVE reached the performer)`;
    tick();
  };
  describe();
  const ticking = setInterval(tick, 1000);
  return {
    elements: [list, spentNote],
    /** The show as last read (a top-up, a claim or the end changed it). */
    update(next: Show) {
      show = next;
      describe();
    },
    /** The ended show: the time and cost it came to. */
    final(next: Show) {
      show = next;
      tick();
    },
    stop: () => clearInterval(ticking),
  };
}

/** The two videos; `show(stream)` plays the other side's. */
export function videoPanel(other: Role) {
  const remote = h('video', { id: 'remote-video', 'data-testid': 'remote-video', autoplay: true, playsinline: true, 'aria-label': `The ${other}'s camera` });
  const local = h('video', { id: 'local-video', 'data-testid': 'local-video', autoplay: true, playsinline: true, 'aria-label': 'Your camera' });
  local.muted = true;
  const play = h('button', { type: 'button', hidden: true, onclick: () => void remote.play().then(() => (play.hidden = true), () => undefined) }, 'Play the call');
  let firstFrameAt: number | null = null;
  const watchFirstFrame = () => {
    if (firstFrameAt !== null) return;
    const seen = () => {
      firstFrameAt ??= Date.now();
    };
    // Not in every browser yet; `loadeddata` is when the first frame is there.
    if (typeof remote.requestVideoFrameCallback === 'function') remote.requestVideoFrameCallback(seen);
    else remote.addEventListener('loadeddata', seen, { once: true });
  };
  return {
    remote,
    local,
    play,
    element: h(
      'div',
      { class: 'videos' },
      h('figure', {}, remote, h('figcaption', {}, `The ${other}`)),
      h('figure', { class: 'self' }, local, h('figcaption', {}, 'You')),
    ),
    firstFrameAt: () => firstFrameAt,
    show(stream: MediaStream) {
      if (remote.srcObject !== stream) {
        remote.srcObject = stream;
        watchFirstFrame();
      }
      remote.play().then(
        () => (play.hidden = true),
        (error: DOMException) => {
          // Autoplay with sound needs a gesture on some browsers: one click plays it.
          if (error?.name === 'NotAllowedError') play.hidden = false;
        },
      );
    },
  };
}

/** The chat: its log, and a form that sends with `send` (false: not sent). */
export function chatPanel(send: (text: string) => boolean) {
  const log = h('ol', { class: 'chat-log', id: 'chat-log', 'data-testid': 'chat-log', 'aria-label': 'Chat', 'aria-live': 'polite' });
  const input = h('input', { id: 'chat-input', autocomplete: 'off', maxlength: CHAT_MAX, disabled: true, 'aria-label': 'Message' });
  const button = h('button', { type: 'submit', id: 'chat-send', disabled: true }, 'Send');
  const submit = (event: Event) => {
    event.preventDefault();
    if (send(input.value)) input.value = '';
  };
  const form = h('form', { class: 'chat-form', 'aria-label': 'Send a chat message', onsubmit: submit }, input, button);
  return {
    form,
    section: h(
      'section',
      { 'aria-labelledby': 'chat-title', class: 'chat' },
      h('h2', { id: 'chat-title' }, 'Chat'),
      h('p', { class: 'muted small' }, 'Goes browser to browser: livestars never sees it, and nothing keeps it after the call.'),
      log,
      form,
    ),
    enable(on: boolean) {
      input.disabled = !on;
      button.disabled = !on;
    },
    line(who: string, text: string, mine: boolean) {
      log.append(h('li', { class: mine ? 'mine' : 'theirs' }, h('strong', {}, `${who}: `), text));
      log.scrollTop = log.scrollHeight;
    },
  };
}

