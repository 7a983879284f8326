// The performer's side (`#/dashboard`), for the connected wallet's account: become a
// performer (compose the profile, pick an avatar, see the commitment, one signed
// `register`, one signed upload), then manage it: the profile (a new commitment via
// `set_profile`, then the upload), splits with how a 10 LIVE tip divides now (the
// contract's `quote`), the accepted fee, earnings, the 18+ status, private shows (the
// price and availability via `set_show_terms`, the open shows with a link to each
// call, followed live), and erasure.

import { api, ApiError } from '../api';
import { h, mount } from '../dom';
import { onAccount, UserError, type WalletAccount } from '../wallet';
import { onSubmit } from './form';
import { manage } from './manage';
import { bps, maxFeeField, profileEditor, publish } from './profile-editor';
import { statusLine } from './status';

function becomePerformer(account: WalletAccount, done: (notice: string) => void): HTMLElement {
  const editor = profileEditor(null, null);
  const maxFee = maxFeeField(500);
  const status = statusLine();
  const button = h('button', { type: 'submit' }, 'Register and publish');
  const form = h(
    'form',
    {
      class: 'stack',
      'aria-label': 'Become a performer',
      onsubmit: onSubmit(status, [button], async () => {
        const fee = bps(maxFee.input.value);
        if (fee === null) throw new UserError('Enter the fee you accept as a percentage, e.g. 5.');
        await publish(account, await editor.read(), null, fee, status.progress);
        done('Registered and published. An 18+ verifier must attest you before tips can reach you.');
      }),
    },
    editor.element,
    maxFee.label,
    maxFee.input,
    button,
    status.line,
  );
  return h('section', { 'aria-labelledby': 'become-title' }, h('h2', { id: 'become-title' }, 'Become a performer'), h('p', {}, 'Two signatures: one registers the hash of your profile on-chain, one publishes the profile here. Tips then go straight to this wallet.'), form);
}


/** Renders the dashboard; returns a function that stops following the wallet. */
export function renderDashboard(main: HTMLElement): () => void {
  const body = h('div');
  mount(main, h('h1', {}, 'Performer dashboard'), body);
  let current: WalletAccount | null = null;
  // What the shown view follows live (its open shows), stopped when it is replaced.
  let following: (() => void)[] = [];
  const unfollow = () => {
    following.forEach((stop) => stop());
    following = [];
  };
  /** Shows the view for the connected account, with `notice` (what just happened) on top. */
  const load = async (notice?: string) => {
    unfollow();
    const account = current;
    if (!account) return mount(body, h('p', {}, 'Connect a wallet (top right) to become a performer or manage your account.'));
    mount(body, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const performer = await api.performer(account.address).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      });
      if (account !== current) return;
      const reload = (next: string) => void load(next);
      mount(
        body,
        notice ? h('p', { class: 'form-status ok', role: 'status', 'data-testid': 'notice' }, notice) : null,
        performer ? manage(account, performer, reload, (stop) => following.push(stop)) : becomePerformer(account, reload),
      );
    } catch (error) {
      mount(body, h('p', { class: 'form-status error', role: 'alert' }, (error as Error).message));
    }
  };
  const stopAccount = onAccount((account) => {
    current = account;
    void load();
  });
  return () => {
    stopAccount();
    unfollow();
    current = null;
  };
}

