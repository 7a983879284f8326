// The dashboard's private shows: the price per minute and whether new shows may open
// (`set_show_terms`), and the performer's open shows, each with a link to its call,
// reloaded whenever a show event arrives.

import { sameAccount } from '../addresses';
import { api, ApiError, indexed, loadChainInfo, type Show } from '../api';
import * as chain from '../chain';
import { h, mount } from '../dom';
import { parseTokens, tokens, when } from '../format';
import { onShowEvent } from '../live';
import { UserError, type WalletAccount } from '../wallet';
import { accountLabel } from './account';
import { onSubmit, perform } from './form';
import { statusLine } from './status';

/** The terms now, and the form that changes them. */
function termsForm(account: WalletAccount): HTMLElement[] {
  const current = h('p', { 'data-testid': 'show-terms' }, 'Loading…');
  const price = h('input', { id: 'show-price', inputmode: 'decimal', size: 8, autocomplete: 'off', placeholder: '2' });
  const available = h('input', { id: 'show-available', type: 'checkbox' });
  const status = statusLine();
  const save = h('button', { type: 'submit' }, 'Save show terms');
  const loadTerms = async () => {
    try {
      const terms = await api.showTerms(account.address).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      });
      current.textContent = terms
        ? `${tokens(terms.price_per_minute)} LIVE a minute; ${terms.available ? 'available for private shows.' : 'paused: no new shows open.'}`
        : 'You offer no private shows.';
      return terms;
    } catch (error) {
      current.textContent = (error as Error).message;
      return null;
    }
  };
  void loadTerms().then((terms) => {
    if (!terms || price.value) return;
    price.value = tokens(terms.price_per_minute);
    available.checked = terms.available;
  });
  const setTerms = async (pricePerMinute: bigint, open: boolean) => {
    const block = await chain.call(await loadChainInfo(), account, 'set_show_terms', [pricePerMinute, open], status.progress);
    status.progress(`Saved in block #${block}; waiting for livestars to index it…`);
    await indexed(block);
    await loadTerms();
    return pricePerMinute === 0n ? `Offer withdrawn in block #${block}.` : `Show terms saved in block #${block}.`;
  };
  const submit = async () => {
    const value = parseTokens(price.value);
    if (value === null || value === 0n) throw new UserError('Enter a price per minute in LIVE, e.g. 2 or 0.5.');
    return setTerms(value, available.checked);
  };
  const withdraw = () => perform(status, [save], () => setTerms(0n, false));
  const form = h(
    'form',
    { class: 'stack', 'aria-label': 'Private show terms', onsubmit: onSubmit(status, [save], submit) },
    h('label', { for: 'show-price' }, 'Price per minute (LIVE)'),
    price,
    h('label', { class: 'check' }, available, ' Available for private shows'),
    h('div', { class: 'pager' }, save, h('button', { type: 'button', class: 'secondary', onclick: withdraw }, 'Withdraw offer')),
    status.line,
  );
  return [current, form];
}

/** The performer's open shows, followed live until `stop()`. */
function openShows(account: WalletAccount): { element: HTMLElement; stop: () => void } {
  const list = h('ul', { class: 'show-list', 'aria-label': 'Open private shows', 'data-testid': 'open-shows' });
  const item = (show: Show) =>
    h(
      'li',
      { 'data-show-id': show.show_id },
      h('strong', {}, `Show #${show.show_id}`),
      ' with ',
      accountLabel(show.viewer),
      ` since ${when(show.opened_at)}: ${tokens(show.deposit)} LIVE deposited at ${tokens(show.price_per_minute)} LIVE a minute. `,
      h('a', { href: `#/show/${show.show_id}`, class: 'join' }, 'Join call'),
    );
  let loading = 0;
  const loadShows = async () => {
    const run = ++loading;
    try {
      const page = await api.shows(account.address, { open: true, limit: 50 });
      if (run !== loading) return;
      const mine = page.items.filter((show) => show.open && sameAccount(show.performer, account.address));
      mount(list, ...(mine.length ? mine.map(item) : [h('li', { class: 'muted' }, 'No open shows. When a viewer opens one, it appears here.')]));
    } catch (error) {
      if (run === loading) mount(list, h('li', { class: 'form-status error', role: 'alert' }, (error as Error).message));
    }
  };
  void loadShows();
  const stop = onShowEvent((show) => {
    if (!show || show.performer === undefined || sameAccount(show.performer, account.address)) void loadShows();
  });
  return { element: list, stop };
}

/** Private shows: the terms and the open shows. `stop` ends the following. */
export function privateShows(account: WalletAccount): { element: HTMLElement; stop: () => void } {
  const terms = termsForm(account);
  const shows = openShows(account);
  const element = h(
    'section',
    { 'aria-labelledby': 'shows-title' },
    h('h2', { id: 'shows-title' }, 'Private shows'),
    h(
      'p',
      { class: 'muted' },
      'One-to-one video calls, billed per whole second from the deposit the viewer puts in when opening one; either of you ends it, and the rest goes back to the viewer in the same transaction. Video and chat go browser to browser.',
    ),
    ...terms,
    h('h3', {}, 'Open shows'),
    shows.element,
  );
  return { element, stop: shows.stop };
}
