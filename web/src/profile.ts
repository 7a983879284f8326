// Public profiles in the browser: the document's canonical JSON and its commitment (the
// blake2-256 a performer registers on-chain), and the statement the performer's wallet
// signs to publish or withdraw it. The API recomputes both (indexer/src/profile.rs) and
// refuses a document whose hash is not the commitment on-chain. The other statements a
// wallet signs live here too: presence, and a private show's signaling challenge.

import { stringToHex, u8aToHex } from '@polkadot/util';
import { blake2AsHex, blake2AsU8a } from '@polkadot/util-crypto';
import type { ProfileDocument } from './api';
import { UserError, isRejection, type WalletAccount } from './wallet';

const KEYS = ['age_range', 'avatar', 'bio', 'gender', 'languages', 'message_key', 'schedule', 'stage_name', 'stream', 'tags'] as const;
/** Fields left out when absent (newer than the first documents, whose commitments stay). */
const LEFT_OUT_WHEN_ABSENT: readonly string[] = ['message_key', 'stream'];

/** Keys in alphabetical order, absent fields as null (the newer ones left out), no
 * whitespace. */
export function canonical(document: ProfileDocument): string {
  const entries = KEYS.map((key) => [key, document[key] ?? null] as const);
  return JSON.stringify(Object.fromEntries(entries.filter(([key, value]) => value !== null || !LEFT_OUT_WHEN_ABSENT.includes(key))));
}

/** The commitment of `document` (0x + 64 hex). */
export function commitment(document: ProfileDocument): string {
  return blake2AsHex(new TextEncoder().encode(canonical(document)), 256);
}

/** The hash a document names its avatar by. */
export function avatarHash(bytes: Uint8Array): string {
  return u8aToHex(blake2AsU8a(bytes, 256));
}

/** The text a performer signs (the API checks the same, word for word). */
export function statement(action: 'publish' | 'withdraw', genesis: string, address: string, profileCommitment: string): string {
  return `livestars: ${action} my profile\nchain: ${genesis}\naccount: ${address}\nprofile: ${profileCommitment}`;
}

/** The text a performer signs to be shown online until `until` (ms). */
export function presenceStatement(genesis: string, address: string, signedAt: number, until: number): string {
  return `livestars: online until ${until}\nchain: ${genesis}\naccount: ${address}\nsigned at: ${signedAt}`;
}

/** The text a party signs to join show `showId`'s signaling relay from a page of
 * `origin`, answering its challenge (docs/SHOWS.md); `genesis` and `nonce` are 0x-hex.
 * The origin is the page's own (`location.origin`), which the browser also sends to the
 * relay: a signature a page of another origin obtains opens no connection from here. */
export function signalStatement(origin: string, genesis: string, showId: number, nonce: string): string {
  return `livestars: signal show ${showId}\norigin: ${origin}\nchain: ${genesis}\nnonce: ${nonce}`;
}

/** Signs `text` with the wallet (`signRaw`, which wraps it in `<Bytes>…</Bytes>`). */
export async function sign(account: WalletAccount, text: string): Promise<string> {
  if (!account.signer.signRaw) throw new UserError('This wallet cannot sign messages.');
  try {
    const { signature } = await account.signer.signRaw({ address: account.address, data: stringToHex(text), type: 'bytes' });
    return signature;
  } catch (error) {
    throw isRejection(error) ? new UserError('You rejected the request in your wallet. Nothing was sent.') : error;
  }
}
