// Buying LIVE privately and redeeming it (docs/PRIVACY.md): the wallet pays for vouchers
// on chain; the desk blind-signs each (src/vouchers/blind.ts), so it never sees which key
// they pay; after a random delay the API's relayer redeems them into a fresh key of the
// pocket, which then pays its own fees from the stipend that came with them.

import { hexToU8a, u8aToHex } from '@polkadot/util';
import { decodeAddress, randomAsU8a, sr25519Verify } from '@polkadot/util-crypto';
import { sameAccount } from '../addresses';
import { api, ApiError, indexed, type ChainInfo, type VoucherKey } from '../api';
import type { ChainVoucherKey } from '../chain';
import { tokens } from '../format';
import { UserError, type WalletAccount } from '../wallet';
import { blind, voucherMessage } from './blind';
import { freshKey, keyAt, savePocket, type Pocket, type Voucher } from './pocket';

/** The longest random wait before a voucher is redeemed: 2 hours. */
export const REDEEM_DELAY_MS = 2 * 3_600_000;

const hex = (bytes: Uint8Array) => u8aToHex(bytes).slice(2);

/** A voucher key's price in LIVE, or (`native`) in the chain's currency; 0: not sold so. */
export function priceOf(key: VoucherKey, native: boolean): bigint {
  return BigInt(native ? key.price_native : key.price_live);
}

/** How many vouchers of each key make `amount`: the largest denominations first, among
 * the keys sold in the currency chosen, the oldest key of each denomination. */
export function split(amount: bigint, keys: VoucherKey[], native = false): { key: VoucherKey; count: number }[] {
  const larger = (a: VoucherKey, b: VoucherKey) => BigInt(b.denomination) - BigInt(a.denomination);
  const sold = keys
    .filter((key) => priceOf(key, native) > 0n)
    .sort((a, b) => Math.sign(Number(larger(a, b))) || a.key_id - b.key_id);
  let rest = amount;
  const plan = [];
  for (const key of sold) {
    const count = rest / BigInt(key.denomination);
    if (count > 0n) plan.push({ key, count: Number(count) });
    rest -= count * BigInt(key.denomination);
  }
  if (rest !== 0n || !plan.length) {
    const sizes = sold.map((key) => tokens(key.denomination)).join(', ');
    throw new UserError(`The desk sells vouchers of ${sizes || 'no size'} LIVE: choose an amount made of those.`);
  }
  return plan;
}

/** A key must stay valid this long after a purchase, for the random delay before its
 * redemption: a day. */
const VALID_AFTER_PURCHASE_MS = 24 * 3_600_000;

/** Refuses a key the desk could have made to single this buyer out (docs/PRIVACY.md, key
 * tagging): read from the chain, not from the API, the key must be what the desk says,
 * and the oldest of its desk and denomination that stays valid for a day, which every
 * buyer is offered until it nears its end. */
export function checkOffer(key: VoucherKey, onChain: ChainVoucherKey[], now: number): void {
  const record = onChain.find((candidate) => candidate.keyId === key.key_id);
  const same =
    record !== undefined &&
    sameAccount(record.desk, key.desk) &&
    record.publicKey === key.public_key &&
    record.denomination === BigInt(key.denomination) &&
    record.prices[0] === BigInt(key.price_live) &&
    record.prices[1] === BigInt(key.price_native);
  if (!same) throw new UserError(`The desk describes voucher key ${key.key_id} differently from the chain; not buying from it.`);
  const usable = (candidate: ChainVoucherKey) =>
    sameAccount(candidate.desk, record.desk) &&
    candidate.denomination === record.denomination &&
    candidate.redeemUntil >= now + VALID_AFTER_PURCHASE_MS;
  const oldest = onChain.filter(usable).sort((a, b) => a.keyId - b.keyId)[0];
  if (oldest?.keyId !== record.keyId) {
    throw new UserError(
      `The desk offers voucher key ${key.key_id} while an older key of ${tokens(key.denomination)} LIVE is valid: a key not every buyer gets ` +
        'could single you out, so nothing was bought.',
    );
  }
}

/** Opens a signing session, waiting while another buyer's session holds the key. */
async function openSession(order: Uint8Array, key: VoucherKey) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api.openSession(hex(order), key.key_id);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 503) || attempt === 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 + Math.random() * 500));
    }
  }
}

/** One voucher of `key` for `order`, paying `recipient`, signed blind. */
async function signOne(info: ChainInfo, key: VoucherKey, order: Uint8Array, recipient: string, index: number): Promise<Voucher> {
  const opened = await openSession(order, key);
  const serial = randomAsU8a(32);
  const publicKey = hexToU8a(`0x${key.public_key}`);
  const message = voucherMessage(decodeAddress(info.live_token), BigInt(key.key_id), decodeAddress(recipient), serial);
  const blinded = blind(publicKey, hexToU8a(`0x${opened.commitment}`), message);
  const answered = await api.answerSession(opened.session, hex(blinded.challenge));
  const signature = blinded.unblind(hexToU8a(`0x${answered.response}`));
  if (!sr25519Verify(message, signature, publicKey)) throw new Error('the voucher does not verify');
  return {
    keyId: key.key_id,
    denomination: (BigInt(key.denomination) - BigInt(key.relay_fee)).toString(),
    key: index,
    serial: hex(serial),
    signature: hex(signature),
    redeemAfter: Date.now() + Math.floor(Math.random() * REDEEM_DELAY_MS),
  };
}

/** Buys `amount` LIVE of vouchers with `wallet`, paying in LIVE or (`native`) in the
 * chain's currency, for a fresh key of `pocket`: one signed purchase per denomination,
 * then each voucher signed blind and kept in the pocket. Answers how many it signed. */
export async function buyPrivately(
  info: ChainInfo,
  wallet: WalletAccount,
  pocket: Pocket,
  { amount, native }: { amount: bigint; native: boolean },
  progress: (step: string) => void,
): Promise<number> {
  const plan = split(amount, (await api.desk()).keys, native);
  const chain = await import('../chain');
  const onChain = await chain.voucherKeys(info);
  plan.forEach(({ key }) => checkOffer(key, onChain, Date.now()));
  const index = freshKey(pocket);
  const recipient = (await keyAt(pocket, index)).address;
  let signed = 0;
  for (const { key, count } of plan) {
    const order = randomAsU8a(32);
    const purchase = { keyId: key.key_id, count, order: u8aToHex(order), price: priceOf(key, native), native };
    const block = await chain.buyVouchers(info, wallet, purchase, progress);
    progress(`Paid in block #${block}; waiting for the desk to see it…`);
    await indexed(block);
    for (let n = 0; n < count; n++) {
      progress(`The desk signs voucher ${signed + 1} without seeing it…`);
      pocket.vouchers.push(await signOne(info, key, order, recipient, index));
      savePocket(pocket);
      signed += 1;
    }
  }
  return signed;
}

/** The redemption running now, if any: one at a time, so no voucher is sent twice. */
let redeeming: Promise<number> = Promise.resolve(0);

/** Redeems the pocket's vouchers (all of them, or those whose delay is over) through the
 * API's relayer, after any redemption already running. Answers how many it redeemed. */
export function redeem(pocket: Pocket, all: boolean, progress: (step: string) => void): Promise<number> {
  redeeming = redeeming.catch(() => 0).then(() => redeemNow(pocket, all, progress));
  return redeeming;
}

async function redeemNow(pocket: Pocket, all: boolean, progress: (step: string) => void): Promise<number> {
  let redeemed = 0;
  for (const voucher of pocket.vouchers) {
    if (voucher.redeemedIn !== undefined || (!all && voucher.redeemAfter > Date.now())) continue;
    progress(`Redeeming voucher ${redeemed + 1}…`);
    const recipient = (await keyAt(pocket, voucher.key)).address;
    try {
      const done = await api.redeem({ key_id: voucher.keyId, recipient, serial: voucher.serial, signature: voucher.signature });
      voucher.redeemedIn = done.block;
      redeemed += 1;
    } catch (error) {
      // Redeemed already (by another tab of this pocket): nothing is lost.
      if (!(error instanceof ApiError && error.status === 409 && /VoucherSpent/.test(error.message))) throw error;
      voucher.redeemedIn = 0;
    }
    savePocket(pocket);
  }
  return redeemed;
}
