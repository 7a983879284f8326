// The performer's room in the dashboard: the tip menu and the goal (a document the
// wallet signs, no transaction), the message key (made and kept in this browser, backed
// up with a passphrase, published in the profile), the overlay link for OBS, the notes on
// tips with their messages opened here, the viewers blocked on-chain, and the toys.

import { api, ApiError, indexed, loadChainInfo, type Performer, type Room } from '../api';
import { h, mount } from '../dom';
import { parseTokens, tokens } from '../format';
import { onTip } from '../live';
import { sign } from '../profile';
import { formatMenu, parseMenu } from '../room/menu';
import { overlayStatement, roomStatement, type RoomDocument } from '../room/document';
import { exportMessageKey, importMessageKey, loadMessageKey, newMessageKey, storeMessageKey, type MessageKey } from '../room/seal';
import { UserError, type WalletAccount } from '../wallet';
import { onSubmit, perform } from './form';
import { publish } from './profile-editor';
import { accountLabel } from './account';
import { goalBar, noteItem, noteOf } from './room';
import { statusLine } from './status';
import { toysPanel } from './toys';

async function genesis(): Promise<string> {
  const info = await loadChainInfo();
  if (!info.genesis_hash) throw new UserError('livestars cannot reach the chain right now; try again shortly.');
  return info.genesis_hash;
}

function menuForm(account: WalletAccount, room: () => Room | null, saved: (room: Room) => void): HTMLElement {
  const current = room()?.document;
  const menu = h('textarea', { id: 'room-menu', rows: 4, placeholder: 'Song request = 20\nDance = 50 toy 80% 5s' });
  menu.value = current ? formatMenu(current.menu) : '';
  const goalLabel = h('input', { id: 'goal-label', maxlength: 60, value: current?.goal?.label ?? '', placeholder: 'Dance at 500', autocomplete: 'off' });
  const goalAmount = h('input', { id: 'goal-amount', inputmode: 'decimal', value: current?.goal ? tokens(current.goal.amount) : '', autocomplete: 'off' });
  const goalHours = h('input', { id: 'goal-hours', inputmode: 'decimal', placeholder: 'none', autocomplete: 'off' });
  const status = statusLine();
  const save = h('button', { type: 'submit' }, 'Sign and save the menu and goal');
  const submit = async () => {
    const items = parseMenu(menu.value, room()?.document.menu ?? []);
    let goal: RoomDocument['goal'] = null;
    const signedAt = Date.now();
    if (goalLabel.value.trim()) {
      const amount = parseTokens(goalAmount.value);
      if (!amount) throw new UserError('Enter the goal as an amount of LIVE, e.g. 500.');
      const hours = goalHours.value.trim() ? Number(goalHours.value.replace(',', '.')) : null;
      if (hours !== null && !(hours > 0 && hours <= 24 * 30)) throw new UserError('Enter the deadline as hours from now (up to 720), or leave it empty.');
      const before = room()?.document.goal;
      // The same goal keeps counting from its start (and keeps its deadline unless a
      // new one is given); a new one counts from now.
      const same = before && before.label === goalLabel.value.trim() && before.amount === amount.toString();
      const deadline = hours !== null ? signedAt + Math.round(hours * 3_600_000) : same ? before.deadline_ms : null;
      goal = { amount: amount.toString(), deadline_ms: deadline, label: goalLabel.value.trim(), since_ms: same ? before.since_ms : signedAt };
    }
    const document: RoomDocument = { goal, menu: items };
    status.progress('Sign the room in your wallet (a message, not a transaction)…');
    const signature = await sign(account, roomStatement(await genesis(), account.address, document, signedAt));
    saved(await api.setRoom(account.address, document, signedAt, signature));
    return 'Saved: viewers see this menu and goal in your room.';
  };
  return h(
    'form',
    { class: 'stack', 'aria-label': 'Tip menu and goal', onsubmit: onSubmit(status, [save], submit) },
    h('label', { for: 'room-menu' }, 'Tip menu, one item per line: label = price in LIVE, optionally "toy 80% 5s"'),
    menu,
    h('label', { for: 'goal-label' }, 'Goal (leave empty for none)'),
    goalLabel,
    h('label', { for: 'goal-amount' }, 'Goal amount (LIVE, counted from tips after it is set)'),
    goalAmount,
    h('label', { for: 'goal-hours' }, 'Deadline (optional, hours from now; tips after it do not count)'),
    goalHours,
    save,
    status.line,
  );
}

/** The message key: in this browser or not, published or not; make, back up, restore,
 * publish. */
function keySection(account: WalletAccount, performer: Performer, keyChanged: (key: MessageKey | null) => void, reload: (notice: string) => void): HTMLElement {
  const status = statusLine();
  const state = h('p', { 'data-testid': 'message-key' });
  const backup = h('textarea', { id: 'key-backup', rows: 2, placeholder: 'livestars-message-key:1:0x…' });
  const passphrase = h('input', { id: 'key-passphrase', type: 'password', autocomplete: 'new-password' });
  const published = performer.public_profile?.document.message_key ?? null;
  let key = loadMessageKey(account.address);
  const describe = () => {
    state.textContent = !key
      ? 'No message key in this browser: make one (or restore your backup) to read tip messages.'
      : key.public === published
        ? `Your message key ${key.public.slice(0, 10)}… is in this browser and published: viewers can write to you.`
        : `Your message key ${key.public.slice(0, 10)}… is in this browser but not published yet.`;
    keyChanged(key);
  };
  const use = (next: MessageKey) => {
    key = next;
    storeMessageKey(account.address, next);
    describe();
  };
  const publishKey = async () => {
    if (!key) throw new UserError('Make or restore a message key first.');
    const profile = performer.public_profile;
    if (!profile) throw new UserError('Publish your profile first: the key goes in it.');
    let avatar: string | null = null;
    if (profile.avatar_url) {
      const bytes = new Uint8Array(await (await fetch(profile.avatar_url)).arrayBuffer());
      avatar = btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
    }
    await publish(account, { document: { ...profile.document, message_key: key.public }, avatar }, performer.profile, null, status.progress);
    // Reloaded, the profile form carries the key too.
    reload('Message key published: viewers\' browsers now seal their messages to it.');
  };
  const button = (label: string, testid: string, action: () => Promise<string | void>) =>
    h('button', { type: 'button', 'data-testid': testid, onclick: () => void perform(status, [], action) }, label);
  describe();
  return h(
    'div',
    { class: 'stack' },
    state,
    h(
      'div',
      { class: 'pager' },
      button('Make a new key', 'key-new', async () => {
        if (key && !confirm('Replace the key in this browser? Messages sealed to the old one can then be read only with its backup.')) return;
        use(newMessageKey());
        return 'A new key is in this browser. Back it up, then publish it.';
      }),
      button('Publish it in my profile', 'key-publish', publishKey),
    ),
    h('label', { for: 'key-passphrase' }, 'Backup passphrase'),
    passphrase,
    h(
      'div',
      { class: 'pager' },
      button('Back up', 'key-export', async () => {
        if (!key) throw new UserError('There is no key in this browser.');
        backup.value = exportMessageKey(key, passphrase.value);
        return 'Keep this text (it is sealed with your passphrase) to read your messages in another browser.';
      }),
      button('Restore from backup', 'key-import', async () => {
        try {
          use(importMessageKey(backup.value, passphrase.value));
        } catch (error) {
          throw new UserError((error as Error).message);
        }
        return 'Restored.';
      }),
    ),
    backup,
    status.line,
  );
}

/** The overlay link: make a new one (the old one stops), or revoke it. */
function overlaySection(account: WalletAccount, key: () => MessageKey | null): HTMLElement {
  const status = statusLine();
  const link = h('p', { 'data-testid': 'overlay-link' });
  const withMessages = h('input', { type: 'checkbox', id: 'overlay-messages' });
  const change = async (action: 'renew' | 'revoke') => {
    const signedAt = Date.now();
    status.progress('Sign in your wallet (a message, not a transaction)…');
    const signature = await sign(account, overlayStatement(action, await genesis(), account.address, signedAt));
    if (action === 'revoke') {
      await api.revokeOverlay(account.address, signedAt, signature);
      mount(link);
      return 'Revoked: the old link shows nothing any more.';
    }
    const answer = await api.renewOverlay(account.address, signedAt, signature);
    const secret = key();
    const messages = withMessages.checked && secret ? `?key=0x${Array.from(secret.secret, (b) => b.toString(16).padStart(2, '0')).join('')}` : '';
    const url = `${location.origin}${answer.path}${messages}`;
    mount(link, h('code', { 'data-testid': 'overlay-url' }, url));
    return 'In OBS: Sources → + → Browser → paste this URL, width 800, height 600. Keep it secret; make a new one to stop the old.';
  };
  return h(
    'div',
    { class: 'stack' },
    h('label', {}, withMessages, ' Show tip messages in the overlay (the link then carries your message key: keep it to OBS)'),
    h(
      'div',
      { class: 'pager' },
      h('button', { type: 'button', 'data-testid': 'overlay-new', onclick: () => void perform(status, [], () => change('renew')) }, 'Make a new overlay link'),
      h('button', { type: 'button', 'data-testid': 'overlay-revoke', onclick: () => void perform(status, [], () => change('revoke')) }, 'Revoke it'),
    ),
    link,
    status.line,
  );
}

/** Block or unblock `viewer` (one transaction); `done` with what happened. */
async function setBlocked(account: WalletAccount, viewer: string, blocked: boolean, progress: (step: string) => void): Promise<void> {
  const chain = await import('../chain');
  const block = await chain.call(await loadChainInfo(), account, blocked ? 'block_viewer' : 'unblock_viewer', [viewer], progress);
  progress(`${blocked ? 'Blocked' : 'Unblocked'} in block #${block}; waiting for livestars to index it…`);
  await indexed(block);
}

/** The viewers the performer blocked, each with Unblock. */
function blockedSection(account: WalletAccount) {
  const list = h('ul', { 'data-testid': 'blocked' });
  const status = statusLine();
  const load = async () => {
    const viewers = await api.blocked(account.address);
    mount(
      list,
      ...(viewers.length
        ? viewers.map((viewer) =>
            h('li', {}, accountLabel(viewer), ' ', h('button', { type: 'button', class: 'small', onclick: () => void perform(status, [], async () => {
              await setBlocked(account, viewer, false, status.progress);
              await load();
              return 'Unblocked.';
            }) }, 'Unblock')),
          )
        : [h('li', { class: 'muted' }, 'Nobody.')]),
    );
  };
  void load();
  return { element: h('div', {}, h('p', { class: 'muted' }, 'Blocked viewers cannot request or extend your private shows (the contract refuses them); their notes are dropped and the overlay hides their tips. Tips they send still reach you.'), list, status.line), load };
}

/** The dashboard's room sections; `stop()` when the dashboard is replaced. */
export function roomSections(account: WalletAccount, performer: Performer, reload: (notice: string) => void): { element: HTMLElement; stop(): void } {
  let room: Room | null = null;
  let key = loadMessageKey(account.address);
  const goal = h('div');
  const notes = h('ol', { class: 'tips', 'data-testid': 'notes', 'aria-label': 'Notes on your tips' });
  const editor = h('div');
  const toys = toysPanel(() => room?.document.menu ?? []);
  const blocked = blockedSection(account);
  const notesStatus = statusLine();
  const blockButton = (viewer: string) =>
    h('button', { type: 'button', class: 'small', 'data-testid': 'block-viewer', onclick: () => void perform(notesStatus, [], async () => {
      await setBlocked(account, viewer, true, notesStatus.progress);
      await Promise.all([blocked.load(), loadNotes()]);
      return 'Blocked: this viewer\'s notes are gone from here and from the overlay.';
    }) }, 'Block');
  const loadNotes = async () => {
    const page = await api.notes(account.address, 20);
    mount(notes, ...page.items.map((note) => noteItem(note, key?.secret ?? null, blockButton(note.tip.viewer))));
  };
  const loadRoom = async () => {
    try {
      room = await api.room(account.address);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      room = null;
    }
    mount(goal, room && goalBar(room));
  };
  void loadRoom().then(() => mount(editor, menuForm(account, () => room, (saved) => {
    room = saved;
    mount(goal, goalBar(saved));
  })));
  void loadNotes();
  const stopTips = onTip((tip) => {
    if (tip.performer !== performer.account) return;
    void loadRoom();
    if (!tip.memo) return toys.onTip({ gross: BigInt(tip.gross), item: null });
    // The viewer's browser hands the note over just after the tip: wait for it.
    void noteOf(tip).then((note) => {
      if (note) void loadNotes();
      toys.onTip({ gross: BigInt(tip.gross), item: note?.item ?? null });
    });
  });
  const section = (id: string, title: string, ...children: (HTMLElement | string)[]) =>
    h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
  return {
    element: h(
      'div',
      { 'data-testid': 'room-sections' },
      section('room-title', 'Your room: tip menu and goal', h('p', { class: 'muted' }, 'Viewers see them on ', h('a', { href: `#/room/${account.address}` }, 'your room'), '.'), goal, editor),
      section('notes-title', 'Tips with notes', h('p', { class: 'muted' }, 'Messages are opened here, with the key in this browser; livestars stores only sealed bytes.'), notes, notesStatus.line),
      section('blocked-title', 'Blocked viewers', blocked.element),
      section('key-title', 'Message key', keySection(account, performer, (next) => {
        key = next;
        void loadNotes();
      }, reload)),
      section('overlay-title', 'Overlay for OBS', overlaySection(account, () => key)),
      toys.element,
    ),
    stop: () => {
      stopTips();
      toys.stop();
    },
  };
}
