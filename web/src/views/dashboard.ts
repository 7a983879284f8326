// The performer's side (`#/dashboard`), for the connected wallet's account: become a
// performer (compose the profile, pick an avatar, see the commitment, one signed
// `register`, one signed upload), then manage it: the profile (a new commitment via
// `set_profile`, then the upload), splits with how a 10 LIVE tip divides now (the
// contract's `quote`), the accepted fee, earnings, the 18+ status, private shows (the
// price and availability via `set_show_terms`, the open shows with a link to each
// call, followed live), and erasure.

import { base64Encode } from '@polkadot/util-crypto';
import { api, ApiError, indexed, loadChainInfo, type ChainInfo, type Performer, type ProfileDocument, type Show } from '../api';
import * as chain from '../chain';
import { h, mount } from '../dom';
import { parseTokens, shortAccount, tokens, when } from '../format';
import { onShowEvent } from '../live';
import { avatarHash, commitment, presenceStatement, sign, statement } from '../profile';
import { onAccount, UserError, type WalletAccount } from '../wallet';
import { accountLabel } from './account';
import { sameAccount } from './show';
import { statusLine } from './status';

const AGE_RANGES = ['18-24', '25-34', '35-44', '45-54', '55+'];
const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const MAX_AVATAR_BYTES = 256 * 1024;
const TEN_LIVE = 10n * 10n ** 12n;

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The profile editor; `read()` gives the document and the avatar (base64) it names. */
function profileEditor(initial: ProfileDocument | null, avatarUrl: string | null) {
  const field = (id: string, label: string, control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const stageName = h('input', { id: 'stage-name', required: true, maxlength: 40, value: initial?.stage_name ?? '', autocomplete: 'off' });
  const bio = h('textarea', { id: 'bio', maxlength: 500, rows: 3 });
  bio.value = initial?.bio ?? '';
  const tags = h('input', { id: 'tags', value: initial?.tags.join(', ') ?? '', placeholder: 'music, chat', autocomplete: 'off' });
  const languages = h('input', { id: 'languages', value: initial?.languages.join(', ') ?? '', placeholder: 'en, pt-BR', autocomplete: 'off' });
  const gender = h('input', { id: 'gender', maxlength: 32, value: initial?.gender ?? '', autocomplete: 'off' });
  const age = h('select', { id: 'age-range' }, h('option', { value: '' }, 'Not shown'), ...AGE_RANGES.map((range) => h('option', { value: range, selected: initial?.age_range === range }, range)));
  const schedule = h('input', { id: 'schedule', maxlength: 200, value: initial?.schedule ?? '', placeholder: 'Mon–Fri 20:00 UTC', autocomplete: 'off' });
  const avatarInput = h('input', { id: 'avatar', type: 'file', accept: AVATAR_TYPES.join(',') });
  const preview = h('img', { class: 'avatar', alt: '', width: 96, height: 96, hidden: !avatarUrl, src: avatarUrl ?? undefined });
  const shownCommitment = h('code', { 'data-testid': 'commitment' });
  const problem = h('p', { class: 'form-status error', role: 'alert', hidden: true });
  let avatar: Uint8Array | null = null;
  let avatarLoad: Promise<void> = Promise.resolve();
  if (avatarUrl) {
    // Published before: the same image goes with the next upload unless replaced.
    avatarLoad = fetch(avatarUrl)
      .then((response) => (response.ok ? response.arrayBuffer() : null))
      .then((bytes) => {
        avatar = bytes ? new Uint8Array(bytes) : null;
      });
  }

  const document = (): ProfileDocument => ({
    age_range: age.value || null,
    avatar: avatar ? avatarHash(avatar) : null,
    bio: bio.value,
    gender: gender.value.trim() || null,
    languages: list(languages.value),
    schedule: schedule.value.trim() || null,
    stage_name: stageName.value.trim(),
    tags: list(tags.value).map((tag) => tag.toLowerCase()),
  });
  const update = () => {
    shownCommitment.textContent = commitment(document());
  };
  avatarInput.addEventListener('change', async () => {
    const file = avatarInput.files?.[0];
    problem.hidden = true;
    if (!file) return;
    if (!AVATAR_TYPES.includes(file.type) || file.size > MAX_AVATAR_BYTES) {
      problem.hidden = false;
      problem.textContent = 'The avatar must be a PNG, JPEG or WebP image of at most 256 KiB.';
      return;
    }
    avatar = new Uint8Array(await file.arrayBuffer());
    preview.src = URL.createObjectURL(file);
    preview.hidden = false;
    update();
  });
  for (const control of [stageName, bio, tags, languages, gender, age, schedule]) control.addEventListener('input', update);
  void avatarLoad.then(update);
  update();

  const element = h(
    'fieldset',
    { class: 'stack' },
    h('legend', {}, 'Public profile (everything here is optional but the stage name; nothing else is asked)'),
    field('stage-name', 'Stage name', stageName),
    field('bio', 'About you', bio),
    field('tags', 'Tags (comma-separated)', tags),
    field('languages', 'Languages (codes, comma-separated)', languages),
    field('gender', 'Gender, as you want it shown', gender),
    field('age-range', 'Age range', age),
    field('schedule', 'Usually online', schedule),
    h('div', { class: 'field' }, h('label', { for: 'avatar' }, 'Avatar (PNG, JPEG or WebP, at most 256 KiB)'), avatarInput, preview),
    problem,
    h('p', { class: 'muted small' }, 'Only this hash goes on-chain: ', shownCommitment, '. The document itself is kept by livestars until you withdraw or erase it.'),
  );
  return {
    element,
    async read() {
      await avatarLoad;
      return { document: document(), avatar: avatar ? base64Encode(avatar) : null };
    },
  };
}

/** Checks the document with the API (its hash must be the one computed here), commits it
 * on-chain if needed (`register` for a newcomer, `set_profile` for a changed document),
 * then signs and uploads it. */
async function publish(
  account: WalletAccount,
  draft: { document: ProfileDocument; avatar: string | null },
  onChain: string | null,
  registerWithMaxFee: number | null,
  progress: (step: string) => void,
): Promise<void> {
  progress('Checking the profile…');
  const local = commitment(draft.document);
  const checked = await api.checkProfile(draft.document, draft.avatar);
  if (`0x${checked.commitment}` !== local) {
    throw new UserError('This browser and the API hash the profile differently; nothing was sent. Please report this.');
  }
  let info: ChainInfo = await loadChainInfo();
  let block: number | null = null;
  if (registerWithMaxFee !== null) block = await chain.call(info, account, 'register', [local, registerWithMaxFee], progress);
  else if (onChain !== checked.commitment) block = await chain.call(info, account, 'set_profile', [local], progress);
  if (block !== null) {
    progress(`Committed in block #${block}; waiting for livestars to index it…`);
    await indexed(block);
  }
  info = await loadChainInfo();
  if (!info.genesis_hash) throw new UserError('livestars cannot reach the chain right now; try again shortly.');
  progress('Sign the publication in your wallet (a message, not a transaction)…');
  const signature = await sign(account, statement('publish', info.genesis_hash, account.address, local));
  progress('Publishing…');
  await api.publishProfile(account.address, draft.document, draft.avatar, signature);
}

/** The most of a tip the performer accepts to lose to the platform fee and the rating
 * stake together: its label and its input (a percentage), from basis points. */
function maxFeeField(maxFeeBps: number) {
  const input = h('input', { id: 'max-fee', inputmode: 'decimal', value: String(maxFeeBps / 100), size: 6, autocomplete: 'off' });
  const label = h('label', { for: 'max-fee' }, 'Most of a tip you accept to lose to the platform fee and the rating stake together (%)');
  return { input, label };
}

/** Basis points from a percentage typed by a person ("2.5" → 250). */
function bps(text: string): number | null {
  const value = Number(text.trim().replace(',', '.'));
  return Number.isFinite(value) && value >= 0 && value <= 100 ? Math.round(value * 100) : null;
}

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
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const fee = bps(maxFee.input.value);
        if (fee === null) return status.fail(new UserError('Enter the fee you accept as a percentage, e.g. 5.'));
        button.disabled = true;
        try {
          await publish(account, await editor.read(), null, fee, status.progress);
          done('Registered and published. An 18+ verifier must attest you before tips can reach you.');
        } catch (error) {
          status.fail(error);
        } finally {
          button.disabled = false;
        }
      },
    },
    editor.element,
    maxFee.label,
    maxFee.input,
    button,
    status.line,
  );
  return h('section', { 'aria-labelledby': 'become-title' }, h('h2', { id: 'become-title' }, 'Become a performer'), h('p', {}, 'Two signatures: one registers the hash of your profile on-chain, one publishes the profile here. Tips then go straight to this wallet.'), form);
}

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

/** Private shows: the price per minute and whether new shows may open
 * (`set_show_terms`), and the performer's open shows, each with a link to its call,
 * reloaded whenever a show event arrives. `stop` ends the following. */
function privateShows(account: WalletAccount): { element: HTMLElement; stop: () => void } {
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
    save.disabled = true;
    try {
      const block = await chain.call(await loadChainInfo(), account, 'set_show_terms', [pricePerMinute, open], status.progress);
      status.progress(`Saved in block #${block}; waiting for livestars to index it…`);
      await indexed(block);
      await loadTerms();
      status.done(pricePerMinute === 0n ? `Offer withdrawn in block #${block}.` : `Show terms saved in block #${block}.`);
    } catch (error) {
      status.fail(error);
    } finally {
      save.disabled = false;
    }
  };
  const form = h(
    'form',
    {
      class: 'stack',
      'aria-label': 'Private show terms',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const value = parseTokens(price.value);
        if (value === null || value === 0n) return status.fail(new UserError('Enter a price per minute in LIVE, e.g. 2 or 0.5.'));
        await setTerms(value, available.checked);
      },
    },
    h('label', { for: 'show-price' }, 'Price per minute (LIVE)'),
    price,
    h('label', { class: 'check' }, available, ' Available for private shows'),
    h(
      'div',
      { class: 'pager' },
      save,
      h('button', { type: 'button', class: 'secondary', onclick: () => setTerms(0n, false) }, 'Withdraw offer'),
    ),
    status.line,
  );

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

  const element = h(
    'section',
    { 'aria-labelledby': 'shows-title' },
    h('h2', { id: 'shows-title' }, 'Private shows'),
    h(
      'p',
      { class: 'muted' },
      'One-to-one video calls, billed per whole second from the deposit the viewer puts in when opening one; either of you ends it, and the rest goes back to the viewer in the same transaction. Video and chat go browser to browser.',
    ),
    current,
    form,
    h('h3', {}, 'Open shows'),
    list,
  );
  return { element, stop };
}

function manage(account: WalletAccount, performer: Performer, reload: (notice: string) => void, onLeave: (stop: () => void) => void): HTMLElement {
  const profile = performer.public_profile;
  const editor = profileEditor(profile?.document ?? null, profile?.avatar_url ?? null);
  const profileStatus = statusLine();
  const save = h('button', { type: 'submit' }, 'Save profile');
  const withdraw = h(
    'button',
    {
      type: 'button',
      disabled: !profile,
      onclick: async () => {
        withdraw.disabled = true;
        try {
          const info = await loadChainInfo();
          if (!info.genesis_hash || !profile) throw new UserError('livestars cannot reach the chain right now; try again shortly.');
          profileStatus.progress('Sign the withdrawal in your wallet…');
          const signature = await sign(account, statement('withdraw', info.genesis_hash, account.address, `0x${profile.commitment}`));
          await api.withdrawProfile(account.address, signature);
          reload('Withdrawn: the profile and avatar are gone from livestars.');
        } catch (error) {
          profileStatus.fail(error);
          withdraw.disabled = false;
        }
      },
    },
    'Withdraw profile',
  );
  const profileForm = h(
    'form',
    {
      class: 'stack',
      'aria-label': 'Your profile',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        save.disabled = true;
        try {
          await publish(account, await editor.read(), performer.profile, null, profileStatus.progress);
          reload('Profile published.');
        } catch (error) {
          profileStatus.fail(error);
        } finally {
          save.disabled = false;
        }
      },
    },
    editor.element,
    h('div', { class: 'pager' }, save, withdraw),
    profileStatus.line,
  );

  // Splits, with how a 10 LIVE tip divides now.
  const preview = h('p', { 'data-testid': 'split-preview', 'aria-live': 'polite' });
  const showQuote = async () => {
    try {
      const division = await chain.quote(await loadChainInfo(), account.address, TEN_LIVE);
      preview.textContent =
        `A 10 LIVE tip now divides: ${tokens(division.platformFee)} platform fee, ${tokens(division.burned)} burned as rating stake, ` +
        division.splits.map(([recipient, amount]) => `${tokens(amount)} to ${shortAccount(recipient)}, `).join('') +
        `${tokens(division.net)} to you.`;
    } catch (error) {
      preview.textContent = (error as Error).message;
    }
  };
  const rows = [0, 1, 2, 3].map((i) => {
    const existing = performer.splits[i];
    return {
      recipient: h('input', { id: `split-recipient-${i}`, value: existing?.[0] ?? '', placeholder: 'address', autocomplete: 'off', 'aria-label': `Split ${i + 1} recipient` }),
      share: h('input', { id: `split-share-${i}`, value: existing ? String(existing[1] / 100) : '', placeholder: '%', size: 5, autocomplete: 'off', 'aria-label': `Split ${i + 1} share (%)` }),
    };
  });
  const splitStatus = statusLine();
  const setSplits = async (splits: { recipient: string; bps: number }[]) => {
    try {
      const block = await chain.call(await loadChainInfo(), account, 'set_splits', [splits], splitStatus.progress);
      splitStatus.done(splits.length ? `Splits set in block #${block}.` : `Splits cleared in block #${block}.`);
      await showQuote();
    } catch (error) {
      splitStatus.fail(error);
    }
  };
  const splitsForm = h(
    'form',
    {
      class: 'stack',
      'aria-label': 'Splits',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const splits: { recipient: string; bps: number }[] = [];
        for (const row of rows) {
          if (!row.recipient.value.trim()) continue;
          const share = bps(row.share.value);
          if (share === null || share === 0) return splitStatus.fail(new UserError('Give each split a share in %, e.g. 10.'));
          splits.push({ recipient: row.recipient.value.trim(), bps: share });
        }
        await setSplits(splits);
      },
    },
    ...rows.map((row) => h('div', { class: 'split-row' }, row.recipient, row.share)),
    h('div', { class: 'pager' }, h('button', { type: 'submit' }, 'Set splits'), h('button', { type: 'button', onclick: () => setSplits([]) }, 'Clear splits')),
    splitStatus.line,
    preview,
  );
  void showQuote();

  const maxFee = maxFeeField(performer.max_fee_bps);
  const feeStatus = statusLine();
  const feeForm = h(
    'form',
    {
      class: 'stack',
      'aria-label': 'Accepted fee',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const fee = bps(maxFee.input.value);
        if (fee === null) return feeStatus.fail(new UserError('Enter a percentage, e.g. 5.'));
        try {
          const block = await chain.call(await loadChainInfo(), account, 'set_max_fee', [fee], feeStatus.progress);
          feeStatus.done(`Changed in block #${block}.`);
          await showQuote();
        } catch (error) {
          feeStatus.fail(error);
        }
      },
    },
    maxFee.label,
    maxFee.input,
    h('button', { type: 'submit' }, 'Change'),
    feeStatus.line,
  );

  // "Online now": one signature says until when (at most 12 hours), one ends it.
  const presenceStatus = statusLine();
  const presenceNow = h('p', { 'data-testid': 'presence' }, performer.online ? 'Viewers see you online now.' : 'Viewers see you offline.');
  const presence = async (hours: number) => {
    try {
      const info = await loadChainInfo();
      if (!info.genesis_hash) throw new UserError('livestars cannot reach the chain right now; try again shortly.');
      const signedAt = Date.now();
      const until = signedAt + hours * 3_600_000;
      presenceStatus.progress('Sign in your wallet (a message, not a transaction)…');
      const signature = await sign(account, presenceStatement(info.genesis_hash, account.address, signedAt, until));
      const answer = await api.setPresence(account.address, until, signedAt, signature);
      presenceStatus.done(answer.online ? `Online until ${new Date(answer.until).toLocaleTimeString()}.` : 'Offline.');
      presenceNow.textContent = answer.online ? 'Viewers see you online now.' : 'Viewers see you offline.';
    } catch (error) {
      presenceStatus.fail(error);
    }
  };

  const eraseStatus = statusLine();
  const erase = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      onclick: async () => {
        const sure = confirm(
          'Erase your performer account?\n\n' +
            'Gone at once: your registration on-chain (tips to you fail from now on), and your profile and avatar from every livestars page, search and cache.\n\n' +
            'Stays on-chain forever: past tip events (amounts, accounts, times) and the anonymous sums of your rating.',
        );
        if (!sure) return;
        erase.disabled = true;
        try {
          const block = await chain.call(await loadChainInfo(), account, 'erase', [], eraseStatus.progress);
          eraseStatus.progress(`Erased in block #${block}; waiting for livestars to index it…`);
          await indexed(block);
          reload('Erased: your registration, profile and avatar are gone; past tips stay on-chain.');
        } catch (error) {
          eraseStatus.fail(error);
          erase.disabled = false;
        }
      },
    },
    'Erase my performer account',
  );

  const shows = privateShows(account);
  onLeave(shows.stop);

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
    h(
      'section',
      { 'aria-labelledby': 'presence-title' },
      h('h2', { id: 'presence-title' }, 'Online now'),
      presenceNow,
      h('div', { class: 'pager' }, h('button', { type: 'button', onclick: () => presence(4) }, 'Go online for 4 hours'), h('button', { type: 'button', onclick: () => presence(0) }, 'Go offline')),
      presenceStatus.line,
    ),
    shows.element,
    h('section', { 'aria-labelledby': 'earnings-title' }, h('h2', { id: 'earnings-title' }, 'Earnings'), earningsSection(account.address)),
    h('section', { 'aria-labelledby': 'profile-title' }, h('h2', { id: 'profile-title' }, 'Profile'), profileForm),
    h('section', { 'aria-labelledby': 'splits-title' }, h('h2', { id: 'splits-title' }, 'Splits'), h('p', { class: 'muted' }, 'Up to 4 accounts get a share of each tip, in the same transaction.'), splitsForm),
    h('section', { 'aria-labelledby': 'fee-title' }, h('h2', { id: 'fee-title' }, 'Accepted fee'), feeForm),
    h('section', { 'aria-labelledby': 'erase-title' }, h('h2', { id: 'erase-title' }, 'Erase'), erase, eraseStatus.line),
  );
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

