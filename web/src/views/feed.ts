// The live feed: the latest tips, newest first, growing as the stream delivers them.

import { api, type Tip } from '../api';
import { h, mount } from '../dom';
import { tokens, when } from '../format';
import { onConnection, onGoal, onTip } from '../live';
import { accountLabel } from './account';

const SHOWN = 20;

/** One tip as a list item. */
export function tipItem(tip: Tip): HTMLLIElement {
  const symbol = tip.token === null ? 'native' : 'LIVE';
  return h(
    'li',
    { class: 'tip', 'data-tip': tip.id },
    h('strong', { class: 'amount' }, `${tokens(tip.gross)} ${symbol}`),
    BigInt(tip.burned) > 0n && h('span', { class: 'muted small' }, ` (${tokens(tip.burned)} burned as rating stake)`),
    ' to ',
    accountLabel(tip.performer, true),
    h('span', { class: 'muted' }, ' from ', accountLabel(tip.viewer)),
    h('time', { class: 'muted small', datetime: new Date(tip.at).toISOString() }, `block #${tip.block} · ${when(tip.at)}`),
  );
}

export function renderFeed(aside: HTMLElement): void {
  const status = h('span', { class: 'status', role: 'status' });
  const list = h('ol', { class: 'tips', 'aria-live': 'polite', 'aria-label': 'Latest tips' });
  mount(aside, h('h2', {}, 'Live tips ', status), list);

  const seen = new Set<string>();
  const show = (tip: Tip, newest: boolean) => {
    if (seen.has(tip.id)) return;
    seen.add(tip.id);
    const item = tipItem(tip);
    if (newest) {
      list.prepend(item);
      item.classList.add('fresh');
    } else list.append(item);
    while (list.children.length > SHOWN) list.lastElementChild?.remove();
  };
  // The latest tips from the API; also after the stream reports it dropped some.
  const reload = () =>
    api
      .tips(SHOWN)
      .then((page) => {
        seen.clear();
        list.replaceChildren();
        page.items.forEach((tip) => show(tip, false));
      })
      .catch((error: Error) => list.append(h('li', { class: 'error' }, error.message)));

  onConnection((state) => {
    status.textContent = state === 'live' ? '● live' : state === 'connecting' ? 'connecting…' : 'reconnecting…';
    status.className = `status ${state}`;
  });
  void reload();
  onTip((tip) => show(tip, true), reload);
  onGoal((goal) => {
    const item = h('li', { class: 'goal-reached fresh', 'data-goal': goal.id }, '★ ', accountLabel(goal.performer, true), ` reached their goal “${goal.label}” (${tokens(goal.amount)} LIVE)`);
    list.prepend(item);
    while (list.children.length > SHOWN) list.lastElementChild?.remove();
  });
}
