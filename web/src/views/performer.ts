// A performer's page, which is also their room (views/room.ts: the stream, the tip menu
// and the goal; a tip may name a menu item and carry a message sealed to the performer):
// totals, the rating broken into its formula terms with a Verify
// button (the API recomputes it from events and compares with the contract), recent tips
// arriving live, the forms to tip and rate from a browser wallet or from a private key of
// this browser (Private LIVE, docs/PRIVACY.md), and, when the performer offers them, the
// request of a private show (one signed `open_show`, then the call).

import { api, ApiError, indexed, loadChainInfo, type Audit, type Performer, type PublicProfile, type Rating, type ShowTerms } from '../api';
import { showDeposit } from '../call/meter';
import { h, mount } from '../dom';
import { parseTokens, percent, roundedTokens, shortAccount, stars, tokens, when } from '../format';
import { onTip } from '../live';
import type { Payer } from '../chain';
import { onAccount, UserError, type WalletAccount } from '../wallet';
import { accountLabel } from './account';
import { onSubmit } from './form';
import { statusLine } from './status';
import { tipItem } from './feed';
import { noteItem, noteOf, roomPanel, streamPlayer } from './room';
import type { MenuItem } from '../room/document';

function totals(performer: Performer): HTMLElement {
  if (!performer.totals.length) return h('p', { class: 'muted' }, 'No tips yet.');
  return h(
    'div',
    { class: 'cards' },
    ...performer.totals.map((total) => {
      const symbol = total.token === 'native' ? 'native' : 'LIVE';
      return h(
        'dl',
        { class: 'card', 'data-token': symbol },
        h('dt', {}, `Received (${symbol})`),
        h('dd', { class: 'big', 'data-testid': `gross-${symbol}` }, `${tokens(total.gross)} ${symbol}`),
        // Net of the platform fee, the performer's splits and the burned rating stake.
        h('dt', {}, 'To the performer'),
        h('dd', { 'data-testid': `net-${symbol}` }, `${tokens(total.net)} ${symbol}`),
        h('dt', {}, 'Tips / supporters'),
        h('dd', {}, `${total.tips} / ${total.supporters}`),
        h('dt', {}, 'Last tip'),
        h('dd', {}, when(total.last_tip_at)),
      );
    }),
  );
}

/** The public profile, or why there is none. */
function profileSection(profile: PublicProfile | null): HTMLElement {
  if (!profile) {
    return h('p', { class: 'muted', 'data-testid': 'no-profile' }, 'No public profile: never published, withdrawn, or erased by the performer.');
  }
  const document = profile.document;
  const facts: [string, string | null][] = [
    ['Languages', document.languages.join(', ') || null],
    ['Gender', document.gender],
    ['Age', document.age_range],
    ['Usually online', document.schedule],
  ];
  return h(
    'div',
    { class: 'profile', 'data-testid': 'profile' },
    profile.avatar_url ? h('img', { class: 'avatar', src: profile.avatar_url, alt: '', width: 96, height: 96 }) : h('div', { class: 'avatar placeholder', 'aria-hidden': 'true' }, document.stage_name.slice(0, 1).toUpperCase()),
    h(
      'div',
      {},
      h('h2', { class: 'stage-name' }, document.stage_name),
      document.bio ? h('p', { class: 'bio' }, document.bio) : null,
      document.tags.length ? h('ul', { class: 'tags', 'aria-label': 'Tags' }, ...document.tags.map((tag) => h('li', {}, tag))) : null,
      h('dl', { class: 'facts' }, ...facts.filter(([, value]) => value).flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)])),
      h('p', { class: 'muted small' }, `Published by the performer; its hash ${shortAccount(profile.commitment)} is their commitment on-chain.`),
    ),
  );
}

function ratingTerms(rating: Rating): HTMLElement {
  const voters = rating.voters === 1 ? '1 voter' : `${rating.voters} voters`;
  return h(
    'dl',
    { class: 'terms' },
    h('dt', {}, 'Rating'),
    h('dd', { class: 'big' }, percent(rating.rating_ppm)),
    h('dt', {}, 'Stars term'),
    h(
      'dd',
      {},
      `${stars(rating.stars_milli)} ★ from ${voters} (≈${roundedTokens(rating.vote_weight)} LIVE of stake), averaged with the prior`,
    ),
    h('dt', {}, 'Support term'),
    h('dd', {}, `${percent(rating.support_ppm)} of saturation: ≈${roundedTokens(rating.support)} LIVE burned for them, by anyone`),
    h('dt', {}, 'Recency'),
    h('dd', {}, `stake halves every 512 hours; computed for ${when(rating.at)} (parameters v${rating.params_version})`),
  );
}

/** How the terms above arise, and what faking them costs (docs/RATING.md, formula
 * version 2, "Honest units"). */
const RATING_RULE =
  'What this measures: LIVE burned for this performer, by anyone (1% of each LIVE tip and paid show under parameters v1), ' +
  "decayed with a half-life of 512 hours; each supporter's stars weigh as much as their decayed stake. " +
  'Native tips burn nothing and do not count. Faking it costs what it states: a performer tipping themselves ' +
  'through another account loses the same burned LIVE as fans would (plus the fee), which is 1–6% of the tips ' +
  'such support suggests, so rankings here count burned LIVE, never LIVE received.';

function auditResult(audit: Audit): HTMLElement {
  return h(
    'dl',
    { class: `audit ${audit.match ? 'ok' : 'bad'}`, 'data-testid': 'audit' },
    h('dt', {}, 'Result'),
    h('dd', { class: 'big' }, audit.match ? '✓ match' : '✗ mismatch'),
    h('dt', {}, 'At block'),
    h('dd', {}, `#${audit.block} `, h('span', { class: 'mono small', title: audit.block_hash }, shortAccount(audit.block_hash))),
    h('dt', {}, 'On-chain value'),
    h('dd', {}, `${percent(audit.on_chain.rating_ppm)} (${audit.on_chain.rating_ppm} ppm)`),
    h('dt', {}, 'Recomputed from events'),
    h('dd', {}, `${percent(audit.recomputed.rating_ppm)} (${audit.recomputed.rating_ppm} ppm) from ${audit.events_replayed} events`),
  );
}

/** The rating (its terms go in `rating`) and the Verify button with the audit. */
function ratingSection(address: string, rating: HTMLElement): HTMLElement {
  const auditOut = h('div', { 'aria-live': 'polite' });
  const verify = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        verify.disabled = true;
        mount(auditOut, h('p', { class: 'muted' }, 'Recomputing from events and asking the contract…'));
        try {
          mount(auditOut, auditResult(await api.audit(address)));
        } catch (error) {
          mount(auditOut, h('p', { class: 'form-status error', role: 'alert' }, (error as Error).message));
        } finally {
          verify.disabled = false;
        }
      },
    },
    'Verify',
  );
  return h(
    'section',
    { 'aria-labelledby': 'rating-title' },
    h('h2', { id: 'rating-title' }, 'Open rating'),
    rating,
    h('p', { class: 'muted' }, RATING_RULE),
    h('p', {}, 'Every term follows the ', h('a', { href: '/RATING.md' }, 'published formula (docs/RATING.md)'), '. Check it yourself: '),
    verify,
    auditOut,
  );
}

/** Who pays: the wallet, or "a private key" of the pocket, the one that pays this
 * performer (see src/vouchers/pocket.ts). */
function fromChoice(id: string): { select: HTMLSelectElement; hint: HTMLElement; value: () => string } {
  const select = h(
    'select',
    { id, name: 'from' },
    h('option', { value: 'wallet' }, 'my wallet'),
    h('option', { value: 'private' }, 'a private key (anonymous)'),
  );
  const hint = h(
    'p',
    { class: 'muted small', hidden: true },
    'From the private key of this browser that pays this performer: your wallet signs nothing and is named nowhere.',
  );
  select.addEventListener('change', () => (hint.hidden = select.value !== 'private'));
  return { select, hint, value: () => select.value };
}

/** The signer `from` names for paying `performer` `amount` (0: a vote, which needs the
 * key that already pays them). */
async function payer(from: string, wallet: WalletAccount | null, performer: string, amount: bigint): Promise<Payer> {
  if (from !== 'private') {
    if (!wallet) throw new UserError('Connect a wallet first (top right).');
    return wallet;
  }
  const pockets = await import('../vouchers/pocket');
  const pocket = pockets.loadPocket();
  if (!pocket) throw new UserError('You have no private keys yet: create them and buy LIVE privately (Private LIVE, top).');
  if (amount === 0n) {
    const index = pocket.performers[performer];
    if (index === undefined) throw new UserError('None of your private keys has tipped this performer yet.');
    return pockets.keyAt(pocket, index);
  }
  const chain = await import('../chain');
  const info = await loadChainInfo();
  return pockets.keyFor(pocket, performer, amount, async (key) => (await chain.balances(info, [key]))[0].live);
}

/** What the room gives the tip form: the menu, and the key messages are sealed to. */
interface TipContext {
  menu: () => MenuItem[];
  messageKey: () => string | null;
}

function tipForm(address: string, account: () => WalletAccount | null, context: TipContext) {
  const amount = h('input', { id: 'tip-amount', name: 'amount', inputmode: 'decimal', required: true, value: '5', autocomplete: 'off' });
  const item = h('select', { id: 'tip-item', name: 'item' });
  const message = h('textarea', { id: 'tip-message', name: 'message', maxlength: 280, rows: 2 });
  const messageHint = h('p', { class: 'muted small' });
  const from = fromChoice('tip-from');
  const button = h('button', { type: 'submit' }, 'Tip');
  const status = statusLine();
  /** Shows the room's menu and whether messages can be sealed. */
  const refresh = () => {
    const chosen = item.value;
    mount(item, h('option', { value: '' }, 'nothing in particular'), ...context.menu().map((entry) => h('option', { value: entry.id, selected: String(entry.id) === chosen }, `${entry.label} (${tokens(entry.price)} LIVE)`)));
    const sealed = context.messageKey() !== null;
    message.disabled = !sealed;
    messageHint.textContent = sealed
      ? 'Sealed in your browser to the performer\'s key: only they can read it. The tip\'s memo commits to it.'
      : 'This performer has published no message key: messages cannot reach them.';
  };
  item.addEventListener('change', () => {
    const entry = context.menu().find((candidate) => String(candidate.id) === item.value);
    if (entry) amount.value = tokens(entry.price);
  });
  const form = h(
    'form',
    {
      class: 'stack',
      'aria-label': 'Tip this performer',
      onsubmit: onSubmit(status, [button], async () => {
        const value = parseTokens(amount.value);
        if (value === null || value === 0n) throw new UserError('Enter an amount of LIVE, e.g. 5 or 2.5.');
        const entry = context.menu().find((candidate) => String(candidate.id) === item.value) ?? null;
        if (entry && value < BigInt(entry.price)) throw new UserError(`${entry.label} is ${tokens(entry.price)} LIVE.`);
        const text = message.value.trim();
        const paying = await payer(from.value(), account(), address, value);
        const [chain, room, seal] = await Promise.all([import('../chain'), import('../room/document'), import('../room/seal')]);
        const key = context.messageKey();
        const note = entry || (text && key) ? room.newNote(paying.address, entry?.id ?? null, text && key ? seal.seal(text, key) : null) : null;
        const block = await chain.tip(
          await loadChainInfo(),
          paying,
          { performer: address, amount: value, memoCommitment: note ? room.noteCommitment(note) : null },
          status.progress,
        );
        const done = `Tip of ${tokens(value)} LIVE${'pair' in paying ? ` from your private key ${shortAccount(paying.address)}` : ''} confirmed in block #${block}; it is in the performer's wallet.`;
        if (!note) return done;
        status.progress(`${done} Handing the performer your note…`);
        const { attachNote } = await import('./room');
        await attachNote(address, block, note);
        message.value = '';
        return `${done} ${entry ? `It is for ${entry.label}. ` : ''}${note.message ? 'Your sealed message reached the performer.' : ''}`.trim();
      }),
    },
    h('label', { for: 'tip-item' }, 'For'),
    item,
    h('label', { for: 'tip-amount' }, 'Amount (LIVE)'),
    amount,
    h('label', { for: 'tip-message' }, 'Message to the performer (optional)'),
    message,
    messageHint,
    h('label', { for: 'tip-from' }, 'From'),
    from.select,
    from.hint,
    button,
    status.line,
  );
  refresh();
  return {
    element: form,
    refresh,
    pick(entry: MenuItem) {
      refresh();
      item.value = String(entry.id);
      amount.value = tokens(entry.price);
      amount.focus();
    },
  };
}

function rateForm(address: string, account: () => WalletAccount | null, rated: () => void): HTMLElement {
  const from = fromChoice('rate-from');
  const button = h('button', { type: 'submit' }, 'Rate');
  const status = statusLine();
  const choices = [1, 2, 3, 4, 5].map((n) =>
    h('label', { class: 'star' }, h('input', { type: 'radio', name: 'stars', value: n, checked: n === 5 }), ` ${n} ★`),
  );
  const form = h(
    'form',
    {
      class: 'stack',
      'aria-label': 'Rate this performer',
      onsubmit: onSubmit(status, [button], async () => {
        const paying = await payer(from.value(), account(), address, 0n);
        const picked = Number(new FormData(form).get('stars'));
        const chain = await import('../chain');
        const block = await chain.rate(await loadChainInfo(), paying, address, picked, status.progress);
        status.done(`Your ${picked} ★ rating is recorded in block #${block}.`);
        await indexed(block);
        rated();
      }),
    },
    h('fieldset', {}, h('legend', {}, 'Your stars (for viewers who tipped in LIVE; weighted by your stake)'), h('div', { class: 'stars' }, ...choices)),
    h('label', { for: 'rate-from' }, 'From'),
    from.select,
    from.hint,
    button,
    status.line,
  );
  return form;
}

const MAX_SHOW_MINUTES = 600;

/** Where a viewer with a show open with this performer is offered to rejoin it;
 * `onAccount` looks for one of the connected account's. */
function openShowNotice(performer: () => string) {
  const element = h('p', { 'data-testid': 'open-show', hidden: true });
  let asked = 0;
  return {
    element,
    onAccount(viewer: WalletAccount | null) {
      const run = ++asked;
      element.hidden = true;
      if (!viewer) return;
      void api.shows(viewer.address, { open: true, limit: 50 }).then(
        (page) => {
          if (run !== asked) return;
          // The API names accounts in SS58, as `performer()` once the page has read it.
          const show = page.items.find((item) => item.open && item.performer === performer() && viewer.address !== performer());
          if (!show) return;
          mount(element, `You have show #${show.show_id} open with this performer: `, h('a', { href: `#/show/${show.show_id}` }, 'rejoin the call'), '.');
          element.hidden = false;
        },
        () => undefined,
      );
    },
  };
}

/** The request of a private show, when the performer offers them: minutes → deposit
 * (price × minutes), one signed `open_show`, then the call (`#/show/ID`) once livestars
 * has indexed it. A viewer with a show open with this performer is offered to rejoin it. */
function showRequest(address: string, account: () => WalletAccount | null, performer: () => string): { element: HTMLElement; onAccount(account: WalletAccount | null): void } {
  const element = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const openShow = openShowNotice(performer);
  let terms: ShowTerms | null = null;

  const minutes = h('input', { id: 'show-minutes', inputmode: 'numeric', required: true, value: '5', size: 5, autocomplete: 'off' });
  const from = fromChoice('show-from');
  const deposit = h('p', { 'data-testid': 'show-deposit', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit' }, 'Request');
  const status = statusLine();
  const wanted = (): number | null => {
    const value = Number(minutes.value.trim());
    return Number.isInteger(value) && value >= 1 && value <= MAX_SHOW_MINUTES ? value : null;
  };
  const quote = () => {
    const count = wanted();
    deposit.textContent =
      terms && count !== null
        ? `Deposit: ${tokens(showDeposit(terms.price_per_minute, count))} LIVE (${tokens(terms.price_per_minute)} LIVE a minute × ${count}). ` +
          'You pay per whole second from the moment the show opens; either of you ends it at any time, and what is not used comes back to you in the same transaction.'
        : `Enter whole minutes, 1 to ${MAX_SHOW_MINUTES}.`;
  };
  minutes.addEventListener('input', quote);
  const form = h(
    'form',
    {
      class: 'stack',
      'aria-label': 'Request a private show',
      onsubmit: onSubmit(status, [button], async () => {
        const count = wanted();
        if (!terms || count === null) throw new UserError(`Enter whole minutes, 1 to ${MAX_SHOW_MINUTES}.`);
        const amount = showDeposit(terms.price_per_minute, count);
        const paying = await payer(from.value(), account(), address, amount);
        const chain = await import('../chain');
        const opened = await chain.openShow(await loadChainInfo(), paying, address, amount, BigInt(terms.price_per_minute), status.progress);
        status.progress(`Show #${opened.showId} opened in block #${opened.block}; waiting for livestars to index it…`);
        await indexed(opened.block);
        location.hash = `#/show/${opened.showId}`;
      }),
    },
    h('label', { for: 'show-minutes' }, 'Minutes'),
    minutes,
    deposit,
    h('label', { for: 'show-from' }, 'From'),
    from.select,
    from.hint,
    button,
    status.line,
  );

  void api.showTerms(address).then(
    (read) => {
      terms = read;
      if (!read.available) {
        return mount(element, h('p', { class: 'muted', 'data-testid': 'shows-unavailable' }, 'This performer is not taking private shows right now.'), openShow.element);
      }
      quote();
      mount(element, h('p', {}, `A one-to-one video call at ${tokens(read.price_per_minute)} LIVE a minute, browser to browser.`), openShow.element, form);
    },
    (error: unknown) =>
      mount(
        element,
        error instanceof ApiError && error.status === 404
          ? h('p', { class: 'muted', 'data-testid': 'shows-unavailable' }, 'This performer offers no private shows.')
          : h('p', { class: 'form-status error', role: 'alert' }, (error as Error).message),
        openShow.element,
      ),
  );

  return { element, onAccount: openShow.onAccount };
}

/** Renders the page; returns a function that stops its live updates. */
export function renderPerformer(main: HTMLElement, address: string): () => void {
  let wallet: WalletAccount | null = null;
  const summary = h('section', { 'aria-labelledby': 'totals-title' });
  const profile = h('section', { 'aria-label': 'Profile' });
  // The feed names performers in SS58; a page opened by 0x… hex learns its SS58 here.
  let shown = address;
  const rating = h('div');
  const recent = h('ol', { class: 'tips', 'aria-label': 'Recent tips to this performer' });
  const walletNote = h('p', { class: 'muted' });
  const privateShow = showRequest(address, () => wallet, () => shown);
  const stream = h('div');
  let player: ReturnType<typeof streamPlayer> | null = null;
  let messageKey: string | null = null;
  const room = roomPanel(address, (item) => tip.pick(item));
  // The performer's own messages, opened in their browser when they visit their room.
  const ownNotes = h('section', { 'aria-labelledby': 'own-notes-title', hidden: true });
  const loadOwnNotes = async () => {
    const key = wallet && wallet.address === shown ? (await import('../room/seal')).loadMessageKey(wallet.address) : null;
    ownNotes.hidden = !key;
    if (!key) return;
    const title = h('h2', { id: 'own-notes-title' }, 'Your tips with messages (only you see them)');
    try {
      const page = await api.notes(address, 20);
      mount(ownNotes, title, h('ol', { class: 'tips', 'data-testid': 'own-notes' }, ...page.items.map((note) => noteItem(note, key.secret))));
    } catch (error) {
      mount(ownNotes, title, h('p', { class: 'form-status error', role: 'alert' }, (error as Error).message));
    }
  };
  const tip = tipForm(address, () => wallet, { menu: () => room.current()?.document.menu ?? [], messageKey: () => messageKey });
  const loadRoom = () => room.load().then(tip.refresh);

  const refresh = async () => {
    try {
      const performer = await api.performer(address);
      shown = performer.account;
      mount(profile, profileSection(performer.public_profile));
      const document = performer.public_profile?.document;
      messageKey = document?.message_key ?? null;
      tip.refresh();
      if (document?.stream && !player) {
        player = streamPlayer(document.stream);
        mount(stream, player.element);
      }
      mount(summary, h('h2', { id: 'totals-title' }, 'Totals'), totals(performer));
      mount(rating, ratingTerms(performer.rating));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        mount(profile, h('p', { 'data-testid': 'no-profile' }, 'This account is not a registered performer: never registered, or erased by its owner. No profile of it is kept.'));
      }
      mount(summary, h('p', { class: 'form-status error', role: 'alert' }, (error as Error).message));
    }
  };
  const loadTips = async () => {
    const page = await api.performerTips(address).catch(() => null);
    if (page) mount(recent, ...page.items.map(tipItem));
  };

  mount(
    main,
    h('h1', {}, 'Performer ', accountLabel(address)),
    profile,
    stream,
    h('section', { 'aria-labelledby': 'room-title' }, h('h2', { id: 'room-title' }, 'Tip menu and goal'), room.element),
    ownNotes,
    summary,
    ratingSection(address, rating),
    h(
      'div',
      { class: 'forms' },
      h('section', { 'aria-labelledby': 'tip-title' }, h('h2', { id: 'tip-title' }, 'Tip'), walletNote, tip.element),
      h('section', { 'aria-labelledby': 'rate-title' }, h('h2', { id: 'rate-title' }, 'Rate'), rateForm(address, () => wallet, refresh)),
      h('section', { 'aria-labelledby': 'show-title' }, h('h2', { id: 'show-title' }, 'Private show'), privateShow.element),
    ),
    h('section', { 'aria-labelledby': 'recent-title' }, h('h2', { id: 'recent-title' }, 'Recent tips'), recent),
  );
  void refresh();
  void loadTips();
  void loadRoom();

  const stopAccount = onAccount((account) => {
    wallet = account;
    privateShow.onAccount(account);
    void loadOwnNotes();
    walletNote.textContent = account
      ? `From ${shortAccount(account.address)}, one signature: the tip, minus the platform fee, any splits and the burned rating stake, lands in the performer's wallet in the same block.`
      : 'Connect a wallet (top right) to tip from your own account.';
  });
  const stopTips = onTip((settled) => {
    if (settled.performer !== shown) return;
    recent.prepend(tipItem(settled));
    // The feed announces a tip once it is stored; the totals come from the read
    // model, which follows a moment later: wait until it serves the tip's block.
    void indexed(settled.block).then(() => Promise.all([refresh(), loadRoom()]));
    // On the performer's own page: show the note once the viewer's browser hands it over.
    if (settled.memo && !ownNotes.hidden) void noteOf(settled).then((note) => note && loadOwnNotes());
  }, loadTips);
  return () => {
    stopAccount();
    stopTips();
    player?.stop();
  };
}
