// The profile a performer composes (the editor, with the commitment it hashes to) and
// publishes (`register` or `set_profile` on-chain when needed, then the signed upload),
// and the accepted-fee field: shared by becoming a performer and managing the account.

import { base64Encode } from '@polkadot/util-crypto';
import { api, indexed, loadChainInfo, type ChainInfo, type ProfileDocument } from '../api';
import * as chain from '../chain';
import { h } from '../dom';
import { avatarHash, commitment, sign, statement } from '../profile';
import { UserError, type WalletAccount } from '../wallet';

const AGE_RANGES = ['18-24', '25-34', '35-44', '45-54', '55+'];
const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const MAX_AVATAR_BYTES = 256 * 1024;

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The editor's controls, labelled, in a fieldset. */
function editorFieldset({ stageName, bio, tags, languages, gender, age, schedule, stream, avatarInput, preview, problem, shownCommitment }: {
  stageName: HTMLInputElement;
  bio: HTMLTextAreaElement;
  tags: HTMLInputElement;
  languages: HTMLInputElement;
  gender: HTMLInputElement;
  age: HTMLSelectElement;
  schedule: HTMLInputElement;
  stream: HTMLInputElement;
  avatarInput: HTMLInputElement;
  preview: HTMLImageElement;
  problem: HTMLElement;
  shownCommitment: HTMLElement;
}): HTMLFieldSetElement {
  const field = (id: string, label: string, control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control);
  return h(
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
    field('stream', 'Your stream (an HLS URL from your streaming server; livestars hosts no video)', stream),
    h('div', { class: 'field' }, h('label', { for: 'avatar' }, 'Avatar (PNG, JPEG or WebP, at most 256 KiB)'), avatarInput, preview),
    problem,
    h('p', { class: 'muted small' }, 'Only this hash goes on-chain: ', shownCommitment, '. The document itself is kept by livestars until you withdraw or erase it.'),
  );
}

/** The profile editor; `read()` gives the document and the avatar (base64) it names. */
export function profileEditor(initial: ProfileDocument | null, avatarUrl: string | null) {
  const stageName = h('input', { id: 'stage-name', required: true, maxlength: 40, value: initial?.stage_name ?? '', autocomplete: 'off' });
  const bio = h('textarea', { id: 'bio', maxlength: 500, rows: 3 });
  bio.value = initial?.bio ?? '';
  const tags = h('input', { id: 'tags', value: initial?.tags.join(', ') ?? '', placeholder: 'music, chat', autocomplete: 'off' });
  const languages = h('input', { id: 'languages', value: initial?.languages.join(', ') ?? '', placeholder: 'en, pt-BR', autocomplete: 'off' });
  const gender = h('input', { id: 'gender', maxlength: 32, value: initial?.gender ?? '', autocomplete: 'off' });
  const age = h('select', { id: 'age-range' }, h('option', { value: '' }, 'Not shown'), ...AGE_RANGES.map((range) => h('option', { value: range, selected: initial?.age_range === range }, range)));
  const schedule = h('input', { id: 'schedule', maxlength: 200, value: initial?.schedule ?? '', placeholder: 'Mon–Fri 20:00 UTC', autocomplete: 'off' });
  const stream = h('input', { id: 'stream', type: 'url', maxlength: 300, value: initial?.stream ?? '', placeholder: 'https://…/live.m3u8', autocomplete: 'off' });
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
    // Set in the dashboard's message key section, kept as it is here.
    message_key: initial?.message_key ?? null,
    schedule: schedule.value.trim() || null,
    stage_name: stageName.value.trim(),
    stream: stream.value.trim() || null,
    tags: list(tags.value).map((tag) => tag.toLowerCase()),
  });
  const update = () => {
    shownCommitment.textContent = commitment(document());
  };
  const chooseAvatar = async (file: File | undefined) => {
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
  };
  // `read()` waits for the chosen file, so a quick "publish" does not leave the avatar out.
  let avatarChosen: Promise<void> = Promise.resolve();
  avatarInput.addEventListener('change', () => {
    avatarChosen = chooseAvatar(avatarInput.files?.[0]);
  });
  for (const control of [stageName, bio, tags, languages, gender, age, schedule, stream]) control.addEventListener('input', update);
  void avatarLoad.then(update);
  update();

  const element = editorFieldset({ stageName, bio, tags, languages, gender, age, schedule, stream, avatarInput, preview, problem, shownCommitment });
  return {
    element,
    async read() {
      await Promise.all([avatarLoad, avatarChosen]);
      return { document: document(), avatar: avatar ? base64Encode(avatar) : null };
    },
  };
}

/** Checks the document with the API (its hash must be the one computed here), commits it
 * on-chain if needed (`register` for a newcomer, `set_profile` for a changed document),
 * then signs and uploads it. */
export async function publish(
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
export function maxFeeField(maxFeeBps: number) {
  const input = h('input', { id: 'max-fee', inputmode: 'decimal', value: String(maxFeeBps / 100), size: 6, autocomplete: 'off' });
  const label = h('label', { for: 'max-fee' }, 'Most of a tip you accept to lose to the platform fee and the rating stake together (%)');
  return { input, label };
}

/** Basis points from a percentage typed by a person ("2.5" → 250). */
export function bps(text: string): number | null {
  const value = Number(text.trim().replace(',', '.'));
  return Number.isFinite(value) && value >= 0 && value <= 100 ? Math.round(value * 100) : null;
}

