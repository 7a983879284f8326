// Tip messages only the performer can read. The performer's browser holds an x25519
// key pair (published: the public half, in the signed profile as `message_key`); a
// viewer's browser seals a message to it and the API stores only the sealed bytes.
//
// Sealing: a fresh ephemeral x25519 key pair per message; the shared secret with the
// performer's key, hashed with both public keys (blake2b-256, keyed by a label), keys
// XSalsa20-Poly1305 (nacl secretbox) under a random 24-byte nonce. The plaintext is
// padded to 64, 256 or 1024 bytes first, so the size shows only its class. Sealed bytes:
// ephemeral public key (32) ‖ nonce (24) ‖ secretbox (padded + 16). The box is
// authenticated (a changed byte fails to open); who sent it is bound on-chain instead:
// the tip's memo commits to the sealed bytes, and the tip is signed by its viewer.
//
// The secret key stays in this browser (localStorage), exportable as a backup sealed
// with a passphrase (scrypt, then secretbox), and restorable from it.

import { x25519 } from '@noble/curves/ed25519';
import { scrypt } from '@noble/hashes/scrypt';
import { hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, naclDecrypt, naclEncrypt, randomAsU8a } from '@polkadot/util-crypto';

/** Padded plaintext sizes (indexer/src/room.rs `MESSAGE_CLASSES`). */
export const CLASSES = [64, 256, 1024] as const;
/** The longest message, in UTF-8 bytes (2 bytes of the largest class give its length). */
export const MAX_MESSAGE_BYTES = CLASSES[CLASSES.length - 1] - 2;

const LABEL = new TextEncoder().encode('livestars tip message v1');

function boxKey(shared: Uint8Array, ephemeral: Uint8Array, recipient: Uint8Array): Uint8Array {
  return blake2AsU8a(u8aConcat(shared, ephemeral, recipient), 256, LABEL);
}

function pad(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_MESSAGE_BYTES) throw new Error(`A message is at most ${MAX_MESSAGE_BYTES} bytes.`);
  const size = CLASSES.find((class_) => class_ >= bytes.length + 2)!;
  const padded = new Uint8Array(size);
  padded[0] = bytes.length & 0xff;
  padded[1] = bytes.length >> 8;
  padded.set(bytes, 2);
  return padded;
}

function unpad(padded: Uint8Array): string | null {
  const length = padded[0] | (padded[1] << 8);
  return length + 2 > padded.length ? null : new TextDecoder().decode(padded.subarray(2, 2 + length));
}

/** `text` sealed to `recipient` (0x + 64 hex x25519 public key), base64. */
export function seal(text: string, recipient: string): string {
  const recipientKey = hexToU8a(recipient);
  const ephemeralSecret = x25519.utils.randomPrivateKey();
  const ephemeral = x25519.getPublicKey(ephemeralSecret);
  const key = boxKey(x25519.getSharedSecret(ephemeralSecret, recipientKey), ephemeral, recipientKey);
  const nonce = randomAsU8a(24);
  const { encrypted } = naclEncrypt(pad(text), key, nonce);
  return base64(u8aConcat(ephemeral, nonce, encrypted));
}

/** The text of `sealed` (base64) with the key pair's `secret`; null when it is not
 * for this key or was altered. */
export function open(sealed: string, secret: Uint8Array): string | null {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(sealed), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  if (bytes.length < 32 + 24 + 16) return null;
  const ephemeral = bytes.subarray(0, 32);
  const ours = x25519.getPublicKey(secret);
  const key = boxKey(x25519.getSharedSecret(secret, ephemeral), ephemeral, ours);
  const padded = naclDecrypt(bytes.subarray(56), bytes.subarray(32, 56), key);
  return padded && unpad(padded);
}

function base64(bytes: Uint8Array): string {
  return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
}

/** A message key pair. */
export interface MessageKey {
  secret: Uint8Array;
  /** 0x + 64 hex: what the profile publishes. */
  public: string;
}

export function newMessageKey(): MessageKey {
  return fromSecret(x25519.utils.randomPrivateKey());
}

export function fromSecret(secret: Uint8Array): MessageKey {
  return { secret, public: u8aToHex(x25519.getPublicKey(secret)) };
}

const storageKey = (performer: string) => `livestars.messageKey.${performer}`;

/** The performer's message key kept in this browser, if any. */
export function loadMessageKey(performer: string): MessageKey | null {
  const stored = localStorage.getItem(storageKey(performer));
  return stored ? fromSecret(hexToU8a(stored)) : null;
}

export function storeMessageKey(performer: string, key: MessageKey): void {
  localStorage.setItem(storageKey(performer), u8aToHex(key.secret));
}

/** scrypt's cost: about a second in a browser, once per export or restore. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, dkLen: 32 };

/** A backup of `key` sealed with `passphrase`: text to keep anywhere. */
export function exportMessageKey(key: MessageKey, passphrase: string): string {
  if (passphrase.length < 8) throw new Error('Choose a passphrase of at least 8 characters.');
  const salt = randomAsU8a(16);
  const nonce = randomAsU8a(24);
  const { encrypted } = naclEncrypt(key.secret, scrypt(passphrase, salt, SCRYPT), nonce);
  return `livestars-message-key:1:${u8aToHex(u8aConcat(salt, nonce, encrypted))}`;
}

/** The key in `backup`; throws when the passphrase or the text is wrong. */
export function importMessageKey(backup: string, passphrase: string): MessageKey {
  const match = /^livestars-message-key:1:(0x[0-9a-f]+)$/.exec(backup.trim());
  if (!match) throw new Error('This is not a livestars message key backup.');
  const bytes = hexToU8a(match[1]);
  const secret = naclDecrypt(bytes.subarray(40), bytes.subarray(16, 40), scrypt(passphrase, bytes.subarray(0, 16), SCRYPT));
  if (!secret || secret.length !== 32) throw new Error('Wrong passphrase (or a damaged backup).');
  return fromSecret(secret);
}
