// The 18+ verifier console (`#/verify`): an allow-listed verifier sees the performers
// awaiting an attestation and attests or revokes with one signed call each. livestars
// never receives a document: the verifier checks age by their own means, and only
// their yes or no goes on-chain.

import { api, indexed, loadChainInfo, type Performer } from '../api';
import * as chain from '../chain';
import { h, mount } from '../dom';
import { shortAccount } from '../format';
import { onAccount, type WalletAccount } from '../wallet';
import { accountLabel } from './account';
import { perform } from './form';
import { statusLine, type StatusLine } from './status';

function row(performer: Performer, action: string, status: StatusLine, act: () => Promise<void>): HTMLElement {
  const button = h('button', { type: 'button' }, action);
  button.onclick = () => perform(status, [button], act);
  return h(
    'li',
    { 'data-account': performer.account },
    h('strong', {}, performer.public_profile?.document.stage_name ?? shortAccount(performer.account)),
    ' ',
    accountLabel(performer.account, true),
    ' ',
    button,
  );
}

export function renderVerify(main: HTMLElement): () => void {
  const body = h('div');
  mount(
    main,
    h('h1', {}, '18+ verifier console'),
    h('p', {}, 'No document is uploaded to livestars at any point. You check a performer\u2019s age by your own means; only your yes or no, signed by you, goes on-chain.'),
    body,
  );
  let current: WalletAccount | null = null;
  const status = statusLine();
  const load = async () => {
    const account = current;
    if (!account) return mount(body, h('p', {}, 'Connect the wallet of an allow-listed verifier (top right).'));
    mount(body, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const info = await loadChainInfo();
      if (!(await chain.isVerifier(info, account.address))) {
        return mount(body, h('p', { role: 'alert' }, `${shortAccount(account.address)} is not an allow-listed 18+ verifier.`));
      }
      const [awaiting, attested] = await Promise.all([
        api.performers({ attested: false, limit: 200 }),
        api.performers({ attested: true, limit: 200 }),
      ]);
      if (account !== current) return;
      const attest = (performer: Performer, adult: boolean) => async () => {
        const block = await chain.call(info, account, 'set_adult_attestation', [performer.account, adult], status.progress);
        status.progress(`Recorded in block #${block}; waiting for livestars to index it…`);
        await indexed(block);
        status.done(adult ? `Attested ${shortAccount(performer.account)} as 18+.` : `Revoked the attestation of ${shortAccount(performer.account)}.`);
        await load();
      };
      const mine = attested.items.filter((performer) => performer.adult_verifier === account.address);
      mount(
        body,
        h('h2', {}, 'Awaiting attestation'),
        awaiting.items.length
          ? h('ul', { class: 'verify-list', 'aria-label': 'Awaiting attestation' }, ...awaiting.items.map((p) => row(p, 'Attest 18+', status, attest(p, true))))
          : h('p', { class: 'muted' }, 'Nobody is waiting.'),
        h('h2', {}, 'Attested by you'),
        mine.length
          ? h('ul', { class: 'verify-list', 'aria-label': 'Attested by you' }, ...mine.map((p) => row(p, 'Revoke', status, attest(p, false))))
          : h('p', { class: 'muted' }, 'None yet.'),
        status.line,
      );
    } catch (error) {
      mount(body, h('p', { class: 'form-status error', role: 'alert' }, (error as Error).message));
    }
  };
  return onAccount((account) => {
    current = account;
    void load();
  });
}
