// The dashboard of a registered performer: the 18+ status, "online now", private shows,
// the room (views/room-editor.ts: menu, goal, message key, notes, overlay link, toys),
// earnings, the profile (a new commitment via `set_profile`, then the upload, or its
// withdrawal), splits with how a 10 LIVE tip divides now (the contract's `quote`), the
// accepted fee, and erasure.

import { api, indexed, loadChainInfo, type Performer } from '../api';
import * as chain from '../chain';
import { h, mount } from '../dom';
import { shortAccount, tokens } from '../format';
import { presenceStatement, sign, statement } from '../profile';
import { UserError, type WalletAccount } from '../wallet';
import { onSubmit, perform } from './form';
import { bps, maxFeeField, profileEditor, publish } from './profile-editor';
import { roomSections } from './room-editor';
import { privateShows } from './show-terms';
import { statusLine } from './status';

const TEN_LIVE = 10n * 10n ** 12n;

/** Reloads the dashboard with a notice of what just happened. */
type Reload = (notice: string) => void;

function earningsSection(address: string): HTMLElement {
  const out = h('div', { 'data-testid': 'earnings' }, h('p', { class: 'muted' }, 'Loading…'));
  void api.earnings(address).then(
    (earnings) => {
      const most = earnings.days.reduce((max, day) => (BigInt(day.gross) > max ? BigInt(day.gross) : max), 1n);
      mount(
        out,
        earnings.totals.length
          ? h('ul', {}, ...earnings.totals.map((total) => {
              const symbol = total.token === 'native' ? 'native' : 'LIVE';
              return h('li', {}, `${symbol}: ${tokens(total.gross)} received, ${tokens(total.net)} to you, ${total.tips} tips from ${total.supporters} supporters`);
            }))
          : h('p', { class: 'muted' }, 'No tips yet.'),
        h('p', { class: 'muted small' }, 'LIVE received per day, last 30 days (UTC), today on the right'),
        h(
          'ol',
          { class: 'days', 'aria-label': 'LIVE received per day, last 30 days' },
          ...earnings.days.map((day) => {
            const label = `${new Date(day.start).toISOString().slice(0, 10)}: ${tokens(day.gross)} LIVE in ${day.tips} tips`;
            return h('li', { title: label, 'aria-label': label, style: `height: ${Number((BigInt(day.gross) * 100n) / most)}%` });
          }),
        ),
      );
    },
    (error: Error) => mount(out, h('p', { class: 'form-status error', role: 'alert' }, error.message)),
  );
  return out;
}

/** The profile form: publish a changed document, or withdraw it. */
function profileForm(account: WalletAccount, performer: Performer, reload: Reload): HTMLElement {
  const profile = performer.public_profile;
  const editor = profileEditor(profile?.document ?? null, profile?.avatar_url ?? null);
  const status = statusLine();
  const save = h('button', { type: 'submit' }, 'Save profile');
  const withdrawProfile = async () => {
    const info = await loadChainInfo();
    if (!info.genesis_hash || !profile) throw new UserError('livestars cannot reach the chain right now; try again shortly.');
    status.progress('Sign the withdrawal in your wallet…');
    const signature = await sign(account, statement('withdraw', info.genesis_hash, account.address, `0x${profile.commitment}`));
    await api.withdrawProfile(account.address, signature);
    reload('Withdrawn: the profile and avatar are gone from livestars.');
  };
  // On success the dashboard reloads: the button stays disabled until then.
  const onclick = () => perform(status, [withdraw], withdrawProfile, { enable: (ok) => !ok });
  const withdraw = h('button', { type: 'button', disabled: !profile, onclick }, 'Withdraw profile');
  const submit = async () => {
    await publish(account, await editor.read(), performer.profile, null, status.progress);
    reload('Profile published.');
  };
  return h(
    'form',
    { class: 'stack', 'aria-label': 'Your profile', onsubmit: onSubmit(status, [save], submit) },
    editor.element,
    h('div', { class: 'pager' }, save, withdraw),
    status.line,
  );
}

/** How a 10 LIVE tip divides now (the contract's `quote`); `show()` reads it again. */
function quotePreview(account: WalletAccount) {
  const element = h('p', { 'data-testid': 'split-preview', 'aria-live': 'polite' });
  const show = async () => {
    try {
      const division = await chain.quote(await loadChainInfo(), account.address, TEN_LIVE);
      element.textContent =
        `A 10 LIVE tip now divides: ${tokens(division.platformFee)} platform fee, ${tokens(division.burned)} burned as rating stake, ` +
        division.splits.map(([recipient, amount]) => `${tokens(amount)} to ${shortAccount(recipient)}, `).join('') +
        `${tokens(division.net)} to you.`;
    } catch (error) {
      element.textContent = (error as Error).message;
    }
  };
  return { element, show };
}

/** Splits: up to 4 recipients and their shares (`set_splits`), with the preview. */
function splitsForm(account: WalletAccount, performer: Performer, preview: ReturnType<typeof quotePreview>): HTMLElement {
  const rows = [0, 1, 2, 3].map((i) => {
    const existing = performer.splits[i];
    return {
      recipient: h('input', { id: `split-recipient-${i}`, value: existing?.[0] ?? '', placeholder: 'address', autocomplete: 'off', 'aria-label': `Split ${i + 1} recipient` }),
      share: h('input', { id: `split-share-${i}`, value: existing ? String(existing[1] / 100) : '', placeholder: '%', size: 5, autocomplete: 'off', 'aria-label': `Split ${i + 1} share (%)` }),
    };
  });
  const status = statusLine();
  const setSplits = async (splits: { recipient: string; bps: number }[]) => {
    const block = await chain.call(await loadChainInfo(), account, 'set_splits', [splits], status.progress);
    status.done(splits.length ? `Splits set in block #${block}.` : `Splits cleared in block #${block}.`);
    await preview.show();
  };
  const typed = () => {
    const splits: { recipient: string; bps: number }[] = [];
    for (const row of rows) {
      if (!row.recipient.value.trim()) continue;
      const share = bps(row.share.value);
      if (share === null || share === 0) throw new UserError('Give each split a share in %, e.g. 10.');
      splits.push({ recipient: row.recipient.value.trim(), bps: share });
    }
    return splits;
  };
  return h(
    'form',
    { class: 'stack', 'aria-label': 'Splits', onsubmit: onSubmit(status, [], async () => setSplits(typed())) },
    ...rows.map((row) => h('div', { class: 'split-row' }, row.recipient, row.share)),
    h('div', { class: 'pager' }, h('button', { type: 'submit' }, 'Set splits'), h('button', { type: 'button', onclick: () => perform(status, [], () => setSplits([])) }, 'Clear splits')),
    status.line,
    preview.element,
  );
}

/** The accepted fee (`set_max_fee`). */
function feeForm(account: WalletAccount, performer: Performer, preview: ReturnType<typeof quotePreview>): HTMLElement {
  const maxFee = maxFeeField(performer.max_fee_bps);
  const status = statusLine();
  const submit = async () => {
    const fee = bps(maxFee.input.value);
    if (fee === null) throw new UserError('Enter a percentage, e.g. 5.');
    const block = await chain.call(await loadChainInfo(), account, 'set_max_fee', [fee], status.progress);
    status.done(`Changed in block #${block}.`);
    await preview.show();
  };
  return h(
    'form',
    { class: 'stack', 'aria-label': 'Accepted fee', onsubmit: onSubmit(status, [], submit) },
    maxFee.label,
    maxFee.input,
    h('button', { type: 'submit' }, 'Change'),
    status.line,
  );
}

/** "Online now": one signature says until when (at most 12 hours), one ends it. */
function presenceSection(account: WalletAccount, performer: Performer): HTMLElement {
  const status = statusLine();
  const now = h('p', { 'data-testid': 'presence' }, performer.online ? 'Viewers see you online now.' : 'Viewers see you offline.');
  const presence = (hours: number) =>
    perform(status, [], async () => {
      const info = await loadChainInfo();
      if (!info.genesis_hash) throw new UserError('livestars cannot reach the chain right now; try again shortly.');
      const signedAt = Date.now();
      const until = signedAt + hours * 3_600_000;
      status.progress('Sign in your wallet (a message, not a transaction)…');
      const signature = await sign(account, presenceStatement(info.genesis_hash, account.address, signedAt, until));
      const answer = await api.setPresence(account.address, until, signedAt, signature);
      status.done(answer.online ? `Online until ${new Date(answer.until).toLocaleTimeString()}.` : 'Offline.');
      now.textContent = answer.online ? 'Viewers see you online now.' : 'Viewers see you offline.';
    });
  return h(
    'section',
    { 'aria-labelledby': 'presence-title' },
    h('h2', { id: 'presence-title' }, 'Online now'),
    now,
    h('div', { class: 'pager' }, h('button', { type: 'button', onclick: () => presence(4) }, 'Go online for 4 hours'), h('button', { type: 'button', onclick: () => presence(0) }, 'Go offline')),
    status.line,
  );
}

const ERASE_WARNING =
  'Erase your performer account?\n\n' +
  'Gone at once: your registration on-chain (tips to you fail from now on), and your profile and avatar from every livestars page, search and cache.\n\n' +
  'Stays on-chain forever: past tip events (amounts, accounts, times) and the anonymous sums of your rating.';

/** Erasure (`erase`), once confirmed. */
function eraseSection(account: WalletAccount, reload: Reload): HTMLElement {
  const status = statusLine();
  const eraseAccount = async () => {
    const block = await chain.call(await loadChainInfo(), account, 'erase', [], status.progress);
    status.progress(`Erased in block #${block}; waiting for livestars to index it…`);
    await indexed(block);
    reload('Erased: your registration, profile and avatar are gone; past tips stay on-chain.');
  };
  const onclick = () => {
    if (confirm(ERASE_WARNING)) void perform(status, [erase], eraseAccount, { enable: (ok) => !ok });
  };
  const erase = h('button', { type: 'button', class: 'danger', onclick }, 'Erase my performer account');
  return h('section', { 'aria-labelledby': 'erase-title' }, h('h2', { id: 'erase-title' }, 'Erase'), erase, status.line);
}

/** The dashboard of `performer`; `onLeave` is given what to stop when it is replaced. */
export function manage(account: WalletAccount, performer: Performer, reload: Reload, onLeave: (stop: () => void) => void): HTMLElement {
  const profile = profileForm(account, performer, reload);
  const preview = quotePreview(account);
  const splits = splitsForm(account, performer, preview);
  void preview.show();
  const fee = feeForm(account, performer, preview);
  const presence = presenceSection(account, performer);
  const erase = eraseSection(account, reload);
  const shows = privateShows(account);
  onLeave(shows.stop);
  const room = roomSections(account, performer, reload);
  onLeave(room.stop);

  return h(
    'div',
    {},
    h(
      'p',
      { 'data-testid': 'adult-status' },
      performer.adult_verifier
        ? `18+ attested by ${shortAccount(performer.adult_verifier)}: tips can reach you.`
        : 'Awaiting an 18+ attestation by an allow-listed verifier: tips cannot reach you yet.',
    ),
    presence,
    shows.element,
    room.element,
    h('section', { 'aria-labelledby': 'earnings-title' }, h('h2', { id: 'earnings-title' }, 'Earnings'), earningsSection(account.address)),
    h('section', { 'aria-labelledby': 'profile-title' }, h('h2', { id: 'profile-title' }, 'Profile'), profile),
    h('section', { 'aria-labelledby': 'splits-title' }, h('h2', { id: 'splits-title' }, 'Splits'), h('p', { class: 'muted' }, 'Up to 4 accounts get a share of each tip, in the same transaction.'), splits),
    h('section', { 'aria-labelledby': 'fee-title' }, h('h2', { id: 'fee-title' }, 'Accepted fee'), fee),
    erase,
  );
}
