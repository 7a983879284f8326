// The private pocket: what this browser holds so a viewer can pay without naming their
// wallet (docs/PRIVACY.md). One seed, 12 words the viewer can write down (restoring them
// restores every key); keys derived from it (`<seed>//livestars//<n>`), each used for one
// performer only, the first it pays; and the vouchers bought and not yet redeemed. Kept
// in this origin's localStorage; nothing of it leaves the browser but redemptions.

import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util';
import { cryptoWaitReady, mnemonicGenerate, mnemonicValidate } from '@polkadot/util-crypto';
import { sameAccount } from '../addresses';
import { api } from '../api';
import type { AnonymousKey } from '../chain';
import { UserError, type WalletAccount } from '../wallet';

/** A key of the pocket, usable wherever a wallet account is: it signs transactions
 * itself (`pair`) and messages as an extension would (`signRaw`, the bytes wrapped in
 * `<Bytes>…</Bytes>`), e.g. the private-show relay's challenge. */
export type PocketKey = AnonymousKey & WalletAccount;

/** A voucher bought and blind-signed, waiting to be redeemed into key `key`. */
export interface Voucher {
  keyId: number;
  /** LIVE it redeems for (base units), less the relay fee. */
  denomination: string;
  /** The pocket key it pays (its index). */
  key: number;
  /** 32 bytes of hex. */
  serial: string;
  /** 64 bytes of hex: the desk's unblinded signature. */
  signature: string;
  /** Not redeemed before this time (ms): a random delay, so the redemption does not
   * follow the purchase closely. */
  redeemAfter: number;
  /** The block it was redeemed in, once it was. */
  redeemedIn?: number;
}

export interface Pocket {
  seed: string;
  /** Keys derived so far: the next key's index. */
  keys: number;
  /** The key that pays each performer (SS58 → index). */
  performers: Record<string, number>;
  vouchers: Voucher[];
}

const STORED = 'livestars.pocket';

export function loadPocket(): Pocket | null {
  const text = localStorage.getItem(STORED);
  if (!text) return null;
  const pocket = JSON.parse(text) as Pocket;
  return mnemonicValidate(pocket.seed) ? pocket : null;
}

export function savePocket(pocket: Pocket): void {
  localStorage.setItem(STORED, JSON.stringify(pocket));
}

/** A new pocket with a fresh seed. */
export async function createPocket(): Promise<Pocket> {
  await cryptoWaitReady();
  const pocket: Pocket = { seed: mnemonicGenerate(12), keys: 0, performers: {}, vouchers: [] };
  savePocket(pocket);
  return pocket;
}

/** The pocket of the 12 words `phrase`, with its first `keys` keys, each bound again to
 * the performer it last tipped (read back from the API), so no key comes to pay a
 * second performer. Vouchers not yet redeemed are not in the words. */
export async function restorePocket(phrase: string, keys = 20): Promise<Pocket> {
  await cryptoWaitReady();
  const seed = phrase.trim().split(/\s+/).join(' ');
  if (!mnemonicValidate(seed)) throw new UserError('These are not 12 valid backup words.');
  const pocket: Pocket = { seed, keys, performers: {}, vouchers: [] };
  for (let index = 0; index < keys; index++) {
    const tipped = await api.viewerTips((await keyAt(pocket, index)).address, 1);
    const performer = tipped.items[0]?.performer;
    if (performer && pocket.performers[performer] === undefined) pocket.performers[performer] = index;
  }
  savePocket(pocket);
  return pocket;
}

/** The pocket's key `index`. */
export async function keyAt(pocket: Pocket, index: number): Promise<PocketKey> {
  await cryptoWaitReady();
  const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(`${pocket.seed}//livestars//${index}`);
  const signRaw = async ({ data }: { data: string }) => ({ id: 0, signature: u8aToHex(pair.sign(u8aWrapBytes(hexToU8a(data)))) });
  return { address: pair.address, pair, source: 'private pocket', signer: { signRaw } };
}

/** The pocket's key that is `address`, if any. */
export async function keyOf(pocket: Pocket, address: string): Promise<PocketKey | null> {
  for (let index = 0; index < pocket.keys; index++) {
    const key = await keyAt(pocket, index);
    if (sameAccount(key.address, address)) return key;
  }
  return null;
}

/** A key never used before. */
export function freshKey(pocket: Pocket): number {
  const index = pocket.keys;
  pocket.keys += 1;
  savePocket(pocket);
  return index;
}

/** Keys already paying another performer. */
function bound(pocket: Pocket): Set<number> {
  return new Set(Object.values(pocket.performers));
}

/** The key to pay `performer` `amount` from: the one already paying them if it holds
 * enough, else a key that pays no one yet and holds enough (now bound to them).
 * `balance` reads a key's LIVE. */
export async function keyFor(
  pocket: Pocket,
  performer: string,
  amount: bigint,
  balance: (address: string) => Promise<bigint>,
): Promise<PocketKey> {
  const own = pocket.performers[performer];
  const taken = bound(pocket);
  const candidates = own !== undefined ? [own] : [...Array(pocket.keys).keys()].filter((index) => !taken.has(index));
  for (const index of candidates) {
    const key = await keyAt(pocket, index);
    if ((await balance(key.address)) >= amount) {
      pocket.performers[performer] = index;
      savePocket(pocket);
      return key;
    }
  }
  throw new UserError(
    own !== undefined
      ? 'The private key that pays this performer holds too little LIVE: buy more privately (Private LIVE, top).'
      : 'No unused private key holds this much LIVE: buy LIVE privately first (Private LIVE, top).',
  );
}
