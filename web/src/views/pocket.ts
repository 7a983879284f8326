// `#/pocket`, Private LIVE: the viewer's private pocket (src/vouchers/pocket.ts). Buy LIVE
// with the wallet as vouchers the desk signs blind, redeem them into keys of the pocket,
// and tip, rate or pay shows from those keys on performers' pages ("from a private key"),
// with plain words on what stays private and what does not (docs/PRIVACY.md).

import { loadChainInfo } from '../api';
import { h, mount } from '../dom';
import { parseTokens, shortAccount, tokens, when } from '../format';
import { onAccount, UserError, type WalletAccount } from '../wallet';
import { createPocket, keyAt, loadPocket, restorePocket, type Pocket } from '../vouchers/pocket';
import { buyPrivately, redeem } from '../vouchers/purchase';
import { onSubmit, perform } from './form';
import { statusLine } from './status';

const PRIVACY_WORDS = [
  'What stays private: which keys your LIVE goes to. The desk signs your vouchers without seeing them, so nobody, ' +
    'the desk included, can tell which purchase a key was paid from; performers and everyone else see only that key.',
  'What does not: your wallet’s purchase (how much, when) is public, like any payment; each key’s tips are public. ' +
    'A redemption right after a purchase, or an unusual amount, can point back at you: vouchers wait a random delay ' +
    '(up to 2 hours) before they are redeemed, and each performer gets a key of its own. The desk and the relayer ' +
    'see your IP address when you buy and redeem; use another network for one of them if that matters.',
  'Your keys live in this browser only. Write down the 12 backup words: they restore the keys (not vouchers still ' +
    'waiting to be redeemed).',
];

/** The pocket's keys with their balances. */
async function keysTable(pocket: Pocket): Promise<HTMLElement> {
  if (!pocket.keys) return h('p', { class: 'muted' }, 'No key has been paid yet.');
  const keys = await Promise.all([...Array(pocket.keys).keys()].map((index) => keyAt(pocket, index)));
  const chain = await import('../chain');
  const balances = await chain.balances(await loadChainInfo(), keys.map((key) => key.address));
  const performerOf = new Map(Object.entries(pocket.performers).map(([performer, index]) => [index, performer]));
  return h(
    'table',
    { class: 'keys', 'data-testid': 'pocket-keys' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'LIVE'), h('th', {}, 'For fees'), h('th', {}, 'Pays'))),
    h(
      'tbody',
      {},
      ...keys.map((key, index) =>
        h(
          'tr',
          { 'data-key': key.address },
          h('td', { class: 'mono', title: key.address }, shortAccount(key.address)),
          h('td', { 'data-testid': 'key-live' }, tokens(balances[index].live)),
          h('td', {}, tokens(balances[index].native)),
          h('td', {}, performerOf.has(index) ? shortAccount(performerOf.get(index)!) : 'no one yet'),
        ),
      ),
    ),
  );
}

function vouchersLine(pocket: Pocket): string {
  const waiting = pocket.vouchers.filter((voucher) => voucher.redeemedIn === undefined);
  if (!waiting.length) return 'No voucher is waiting to be redeemed.';
  const next = Math.min(...waiting.map((voucher) => voucher.redeemAfter));
  return `${waiting.length} voucher(s) waiting; the next is redeemed after ${when(next)} (when this page is open), or now with the button.`;
}

function pocketView(element: HTMLElement, pocket: Pocket, wallet: () => WalletAccount | null): void {
  const keys = h('div', {}, h('p', { class: 'muted' }, 'Reading the keys’ balances…'));
  const showKeys = () =>
    keysTable(pocket).then(
      (table) => mount(keys, table),
      (error: unknown) => mount(keys, h('p', { class: 'form-status error', role: 'alert' }, (error as Error).message)),
    );
  const waiting = h('p', { 'data-testid': 'vouchers-waiting' }, vouchersLine(pocket));

  const amount = h('input', { id: 'buy-amount', inputmode: 'decimal', required: true, value: '10', autocomplete: 'off' });
  const currency = h(
    'select',
    { id: 'buy-with' },
    h('option', { value: 'live' }, 'LIVE (the voucher’s value)'),
    h('option', { value: 'native' }, 'the chain’s native currency (the desk’s posted price)'),
  );
  const buy = h('button', { type: 'submit' }, 'Buy privately');
  const buyStatus = statusLine();
  const buyForm = h(
    'form',
    {
      class: 'stack',
      'aria-label': 'Buy LIVE privately',
      onsubmit: onSubmit(buyStatus, [buy], async () => {
        const from = wallet();
        if (!from) throw new UserError('Connect a wallet first (top right): it pays for the vouchers.');
        const value = parseTokens(amount.value);
        if (value === null || value === 0n) throw new UserError('Enter an amount of LIVE, e.g. 10.');
        const purchase = { amount: value, native: currency.value === 'native' };
        const count = await buyPrivately(await loadChainInfo(), from, pocket, purchase, buyStatus.progress);
        waiting.textContent = vouchersLine(pocket);
        return `${count} voucher(s) signed blind and kept in this browser; they are redeemed into a fresh key after a random delay.`;
      }),
    },
    h('label', { for: 'buy-amount' }, 'Amount (LIVE; vouchers come in 1, 10 and 100)'),
    amount,
    h('label', { for: 'buy-with' }, 'Pay with'),
    currency,
    buy,
    buyStatus.line,
  );

  const redeemStatus = statusLine();
  const redeemNow = h('button', { type: 'button' }, 'Redeem now');
  redeemNow.addEventListener('click', () => {
    void perform(redeemStatus, [redeemNow], async () => {
      const count = await redeem(pocket, true, redeemStatus.progress);
      waiting.textContent = vouchersLine(pocket);
      void showKeys();
      return count ? `${count} voucher(s) redeemed into your private key.` : 'Nothing to redeem.';
    });
  });

  const words = h('p', { class: 'mono', hidden: true, 'data-testid': 'backup-words' }, pocket.seed);
  const reveal = h('button', { type: 'button', onclick: () => (words.hidden = !words.hidden) }, 'Show or hide the 12 backup words');

  mount(
    element,
    h('section', { 'aria-labelledby': 'keys-title' }, h('h2', { id: 'keys-title' }, 'Your private keys'), keys),
    h('section', { 'aria-labelledby': 'buy-title' }, h('h2', { id: 'buy-title' }, 'Buy LIVE privately'), buyForm),
    h('section', { 'aria-labelledby': 'vouchers-title' }, h('h2', { id: 'vouchers-title' }, 'Vouchers'), waiting, redeemNow, redeemStatus.line),
    h('section', { 'aria-labelledby': 'backup-title' }, h('h2', { id: 'backup-title' }, 'Backup'), reveal, words),
  );
  void showKeys();
  // Vouchers whose random delay is over are redeemed whenever this page is open.
  void redeem(pocket, false, redeemStatus.progress).then(
    (count) => {
      if (!count) return;
      redeemStatus.done(`${count} voucher(s) redeemed into your private key.`);
      waiting.textContent = vouchersLine(pocket);
      void showKeys();
    },
    (error: unknown) => redeemStatus.fail(error),
  );
}

/** The start: create a pocket, or restore one from its words. */
function startView(element: HTMLElement, started: (pocket: Pocket) => void): void {
  const create = h('button', { type: 'button' }, 'Create my private keys');
  const status = statusLine();
  create.addEventListener('click', () => void perform(status, [create], async () => started(await createPocket())));
  const phrase = h('input', { id: 'restore-words', autocomplete: 'off', size: 60 });
  const restore = h('button', { type: 'submit' }, 'Restore');
  const restoreForm = h(
    'form',
    { class: 'stack', onsubmit: onSubmit(status, [restore], async () => started(await restorePocket(phrase.value))) },
    h('label', { for: 'restore-words' }, 'Or restore from your 12 backup words'),
    phrase,
    restore,
  );
  mount(element, create, restoreForm, status.line);
}

/** Renders the page; returns a function that stops it. */
export function renderPocket(main: HTMLElement): () => void {
  let wallet: WalletAccount | null = null;
  const body = h('div');
  mount(main, h('h1', {}, 'Private LIVE'), ...PRIVACY_WORDS.map((text) => h('p', { class: 'muted' }, text)), body);
  const pocket = loadPocket();
  if (pocket) pocketView(body, pocket, () => wallet);
  else startView(body, (created) => pocketView(body, created, () => wallet));
  return onAccount((account) => (wallet = account));
}
