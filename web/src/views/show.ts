// A private show's page (`#/show/ID`, docs/SHOWS.md): the show as the API reads it, the
// connected account's role in it (its viewer or its performer; anyone else is told they
// are not a party), then the call (views/show-call.ts). The signaling relay
// (`/v1/shows/ID/signal`) only introduces the two browsers: this page answers its
// challenge with a wallet signature, then the viewer offers a WebRTC connection and the
// performer answers. Video, sound and the chat (a data channel) go browser to browser,
// encrypted between them.
//
// A meter counts what the show costs so far, as the contract does (whole seconds since
// the show opened at the performer's price, never more than the deposit). Either side
// ends the show on-chain (`end_show`); the performer may claim what is earned meanwhile
// (`claim_show`). When the show ends, the call closes and the page shows the settlement.

import { sameAccount } from '../addresses';
import { api, ApiError, type Show } from '../api';
import type { Role } from '../call/signaling';
import { h, mount } from '../dom';
import { onShowEvent } from '../live';
import { onAccount, type WalletAccount } from '../wallet';
import { accountLabel } from './account';
import { joinCall, type Call } from './show-call';
import { settlement } from './show-panels';

/** Reads the show, waiting up to `ms` for the index to hold it (it may have just opened). */
async function loadShow(id: number, ms = 30_000): Promise<Show> {
  for (let waited = 0; ; waited += 1000) {
    try {
      return await api.show(id);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404) || waited >= ms) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The connected account's role in `show`, or null when it is no party to it. */
function roleOf(address: string, show: Show): Role | null {
  if (sameAccount(address, show.viewer)) return 'viewer';
  return sameAccount(address, show.performer) ? 'performer' : null;
}

/** Why the connected account cannot join. */
function notAParty(show: Show): HTMLElement {
  return h(
    'p',
    { class: 'form-status error', role: 'alert', 'data-testid': 'not-a-party' },
    'The connected account is not a party to this show: only its viewer (',
    accountLabel(show.viewer),
    ') and its performer (',
    accountLabel(show.performer, true),
    ') can join the call.',
  );
}

/** The private key of this browser that is the show's viewer, if any. */
async function privateViewer(show: Show): Promise<WalletAccount | null> {
  const { keyOf, loadPocket } = await import('../vouchers/pocket');
  const pocket = loadPocket();
  return pocket ? keyOf(pocket, show.viewer) : null;
}

/** Renders `#/show/ID`; returns a function that closes the call. */
export function renderShow(main: HTMLElement, id: number): () => void {
  const body = h('div', { class: 'show' });
  mount(main, h('h1', {}, `Private show #${id}`), body);
  let current: WalletAccount | null = null;
  let call: Call | null = null;
  let loads = 0;

  const start = async () => {
    const run = ++loads;
    call?.close();
    call = null;
    const account = current;
    mount(body, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const show = await loadShow(id);
      if (run !== loads) return;
      if (!show.open) {
        return mount(body, h('p', { 'data-testid': 'show-ended' }, 'This show has ended.'), h('h2', {}, 'Settlement'), settlement(show));
      }
      // The wallet, or else the private key of this browser that opened the show.
      const party = account && roleOf(account.address, show) ? account : ((await privateViewer(show)) ?? account);
      if (run !== loads) return;
      if (!party) {
        return mount(body, h('p', { 'data-testid': 'show-connect' }, 'Connect a wallet (top right) to join this call as its viewer or its performer.'));
      }
      const role = roleOf(party.address, show);
      if (!role) return mount(body, notAParty(show));
      call = joinCall(body, party, show, role);
    } catch (error) {
      if (run !== loads) return;
      const text =
        error instanceof ApiError && error.status === 404
          ? `livestars knows no show #${id}. If it was just opened, reload this page in a moment.`
          : (error as Error).message;
      mount(body, h('p', { class: 'form-status error', role: 'alert' }, text));
    }
  };

  const stopAccount = onAccount((account) => {
    if (account?.address === current?.address && call) return;
    current = account;
    void start();
  });
  const stopShows = onShowEvent((event) => {
    if (event && event.show_id !== id) return;
    void api.show(id).then((show) => call?.update(show), () => undefined);
  });
  return () => {
    loads += 1;
    stopAccount();
    stopShows();
    call?.close();
    call = null;
  };
}
