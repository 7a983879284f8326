// The leaderboard: performers ranked by open rating or by support (LIVE burned for them,
// which costs the same to fake as to earn), among those tipped in a window. LIVE received
// is shown for what it is and never ranked by: a performer's own LIVE sent round through a
// second account would buy it at the fee.

import { api, type By, type LeaderboardEntry, type Window } from '../api';
import { h, mount } from '../dom';
import { percent, roundedTokens, stars, tokens } from '../format';
import { accountLabel } from './account';
import { pager } from './pager';

const WINDOWS: [Window, string][] = [
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['all', 'All time'],
];

function row(entry: LeaderboardEntry): HTMLTableRowElement {
  return h(
    'tr',
    {},
    h('td', { class: 'num' }, entry.rank),
    h('th', { scope: 'row' }, accountLabel(entry.performer, true)),
    h('td', { class: 'num' }, percent(entry.rating.rating_ppm), h('div', { class: 'muted small' }, `${stars(entry.rating.stars_milli)} ★`)),
    h('td', { class: 'num' }, `${roundedTokens(entry.rating.support)} LIVE`),
    h('td', { class: 'num' }, `${tokens(entry.tips_gross)} LIVE`, h('div', { class: 'muted small' }, entry.tips === 1 ? '1 tip' : `${entry.tips} tips`)),
    h('td', { class: 'num' }, entry.supporters),
  );
}

function select(label: string, name: string, options: [string, string][], value: string, onChange: (v: string) => void) {
  const control = h('select', { id: name, name, onchange: () => onChange(control.value) });
  for (const [optionValue, text] of options) {
    control.append(h('option', { value: optionValue, selected: optionValue === value }, text));
  }
  return h('label', { for: name }, label, ' ', control);
}

export function renderLeaderboard(main: HTMLElement): void {
  let by: By = 'rating';
  let window: Window = 'all';

  const body = h('tbody');
  const message = h('p', { role: 'status', class: 'muted' });
  const pages = pager(
    message,
    (cursor) => api.leaderboard(by, window, cursor),
    (page) => {
      mount(body, ...page.items.map(row));
      message.textContent = page.items.length ? '' : 'No performers in this window yet.';
      return page.next_cursor;
    },
  );
  const restart = pages.restart;

  mount(
    main,
    h('h1', {}, 'Leaderboard'),
    h(
      'div',
      { class: 'controls' },
      select('Rank by', 'by', [['rating', 'Rating'], ['support', 'LIVE burned for them']], by, (v) => {
        by = v as By;
        restart();
      }),
      select('Window', 'window', WINDOWS, window, (v) => {
        window = v as Window;
        restart();
      }),
    ),
    h(
      'table',
      { class: 'board' },
      h('caption', { class: 'sr-only' }, 'Performers ranked'),
      h(
        'thead',
        {},
        h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Performer'), h('th', { scope: 'col' }, 'Rating'), h('th', { scope: 'col', title: 'LIVE burned by tips and shows, by anyone, halving every 512 hours: what the rating counts' }, 'Burned for them'), h('th', { scope: 'col', title: 'Gross tips in the window, fees and splits included: shown, never ranked by' }, 'Received'), h('th', { scope: 'col' }, 'Supporters')),
      ),
      body,
    ),
    message,
    pages.element,
  );
  restart();
}
