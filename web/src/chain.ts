// Signing calls to LIVE (the livestars contract: token, tips and rating) with the person's
// own wallet, or with an anonymous key this browser holds (src/vouchers/pocket.ts). Loaded
// only when someone tips, rates, buys vouchers, or opens or ends a private show, so
// reading the leaderboard never downloads the chain library.
//
// Every call is dry-run first: a refusal (e.g. "not a supporter") is shown before the
// wallet asks for a signature, and the dry run gives the gas and storage deposit to send.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { ContractPromise } from '@polkadot/api-contract';
import type { ContractCallOutcome } from '@polkadot/api-contract/types';
import type { ISubmittableResult } from '@polkadot/types/types';
import type { DispatchError, WeightV2 } from '@polkadot/types/interfaces';
import type { KeyringPair } from '@polkadot/keyring/types';
import { BN } from '@polkadot/util';
import tokenMetadata from '@contracts/live_token.json';
import type { ChainInfo } from './api';
import { tokens } from './format';
import { isRejection, UserError, type WalletAccount } from './wallet';

interface Chain {
  api: ApiPromise;
  token: ContractPromise;
}

/** A key this browser holds (an anonymous key of the pocket): it signs by itself. */
export interface AnonymousKey {
  address: string;
  pair: KeyringPair;
}

/** Who signs a call: the person's wallet, or an anonymous key held here. */
export type Payer = WalletAccount | AnonymousKey;

/** What a person reads when the contract refuses a call, by `live_token::Error` variant. */
const REFUSALS: Record<string, string> = {
  NotRegistered: 'This performer is not registered for tips.',
  NotAttested: 'This performer has no 18+ attestation yet, so cannot receive tips.',
  FeeNotAccepted: 'The platform fee and rating stake are above what this performer accepts, so tips are paused.',
  SplitsExceedTip: 'This tip is too small to be split as the performer set up.',
  ZeroAmount: 'A tip must be more than zero.',
  TipTooSmall: 'This tip is too small to burn any rating stake (a share of every LIVE tip); tip a little more.',
  SelfTip: 'You cannot tip yourself.',
  SelfTransfer: "This account receives part of this performer's tips (platform treasury or a split), so it cannot tip them.",
  InsufficientBalance: 'Insufficient LIVE balance for this tip.',
  InvalidStars: 'Stars must be 1 to 5.',
  NotASupporter: 'Only viewers who tipped this performer in LIVE can rate them.',
  Overflow: 'A counter would overflow.',
  NotVerifier: 'Only an allow-listed 18+ verifier may attest.',
  AttestedByAnother: 'Another allow-listed verifier holds this attestation; only they may change it.',
  AlreadyRegistered: 'This account is registered already.',
  FeeAboveCap: 'That fee is above its hard cap.',
  TooManySplits: 'At most 4 splits.',
  InvalidSplit: 'Each split needs more than 0 bps and a recipient named once.',
  InvalidRecipient: 'A split cannot go to yourself, the contract or the zero account.',
  ShowsUnavailable: 'This performer is not taking private shows right now.',
  ShowAlreadyOpen: 'You have a private show open with this performer already; rejoin it or end it before requesting another.',
  NoSuchShow: 'This show is not open: it has ended already, or it never existed.',
  NotAParty: 'Only the viewer and the performer of this show may do that (anyone may end it once its deposit is spent).',
  DepositBelowOneMinute: "The deposit must pay for at least one minute at the performer's price.",
  DepositTooLarge: 'That deposit is more than a show can hold; choose fewer minutes.',
  ShowSpent: 'The deposit is spent: the show can only be ended now.',
  PriceAboveBound: 'The performer changed their price since this page showed it; nothing was charged. Reload to see the new price.',
  NoSuchVoucherKey: 'The desk no longer sells vouchers of this key; reload to see its keys.',
  VoucherKeyExpired: 'This voucher key has expired: it neither sells nor redeems any more.',
  InvalidCount: 'Buy between 1 and 1000 vouchers of a key at once.',
  NotForSale: 'The desk does not sell this key for this currency.',
  WrongPayment: 'The payment is not the price the desk posts; reload to see it.',
  InsufficientBacking: 'The desk has not backed enough vouchers of this key; try another amount or later.',
  VoucherSpent: 'This voucher was redeemed already.',
  InvalidVoucher: 'The desk signature does not fit this voucher.',
  ViewerBlocked: 'This performer blocked this account: it cannot request or extend their private shows.',
};

const TIMEOUT_MS = 10_000;
let connection: Promise<Chain> | null = null;

function unreachable(url: string): UserError {
  return new UserError(`The chain at ${url} cannot be reached right now. Nothing was sent; try again shortly.`);
}

async function open(info: ChainInfo): Promise<Chain> {
  const provider = new WsProvider(info.node_url, false);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(unreachable(info.node_url)), TIMEOUT_MS));
  try {
    await Promise.race([provider.connect(), timeout]);
    const api = await Promise.race([ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true }), timeout]);
    return { api, token: new ContractPromise(api, tokenMetadata, info.live_token) };
  } catch (error) {
    await provider.disconnect().catch(() => undefined);
    throw error instanceof UserError ? error : unreachable(info.node_url);
  }
}

/** The chain connection, opened once; a broken one is reopened on the next call. */
async function chain(info: ChainInfo): Promise<Chain> {
  const current = connection ? await connection.catch(() => null) : null;
  if (current?.api.isConnected) return current;
  await current?.api.disconnect().catch(() => undefined);
  connection = open(info);
  return connection;
}

// Codec values as the contract's `Result`s and enums arrive (duck-typed: api-contract
// builds them from the metadata at runtime).
interface Variant {
  type: string;
}
interface ResultCodec {
  isOk: boolean;
  isErr: boolean;
  asOk: unknown;
  asErr: Variant;
}
const isResult = (value: unknown): value is ResultCodec =>
  typeof (value as ResultCodec)?.isErr === 'boolean' && 'asErr' in (value as object);

function refusal(error: Variant): string {
  return REFUSALS[error.type] ?? `The contract refused the call: ${error.type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}.`;
}

function dispatchText(api: ApiPromise, error: DispatchError): string {
  if (!error.isModule) return error.toString();
  const { section, name } = api.registry.findMetaError(error.asModule);
  return `${section}.${name}`;
}

/** The value a message returns, or the contract's refusal as a [`UserError`]. */
function unwrap(api: ApiPromise, outcome: ContractCallOutcome): unknown {
  if (outcome.result.isErr) {
    throw new UserError(`The chain could not run the call (${dispatchText(api, outcome.result.asErr)}).`);
  }
  const output = outcome.output as unknown as ResultCodec | null;
  if (!output || output.isErr) throw new UserError('The contract could not read the call; reload the page.');
  const value = output.asOk;
  if (isResult(value) && value.isErr) throw new UserError(refusal(value.asErr));
  return isResult(value) ? value.asOk : value;
}

/** Dry runs may use a whole block's weight (api-contract's default has no proof size). */
function dryRunLimits(api: ApiPromise) {
  const { maxBlock } = api.consts.system.blockWeights as unknown as { maxBlock: WeightV2 };
  return { gasLimit: api.registry.createType<WeightV2>('WeightV2', maxBlock), storageDepositLimit: null };
}

async function dryRun(api: ApiPromise, contract: ContractPromise, message: string, origin: string, args: unknown[], value = 0n) {
  const method = contract.abi.findMessage(message).method;
  return contract.query[method](origin, { ...dryRunLimits(api), value }, ...args);
}

async function read(api: ApiPromise, contract: ContractPromise, message: string, origin: string, args: unknown[]) {
  return unwrap(api, await dryRun(api, contract, message, origin, args));
}

async function readAmount(api: ApiPromise, contract: ContractPromise, message: string, origin: string, args: unknown[]) {
  return BigInt(String(await read(api, contract, message, origin, args)));
}

/** The most weight one normal extrinsic may use (the whole block if the chain sets no limit). */
function maxExtrinsic(api: ApiPromise): WeightV2 {
  const weights = api.consts.system.blockWeights as unknown as {
    maxBlock: WeightV2;
    perClass: { normal: { maxExtrinsic: { isSome: boolean; unwrap(): WeightV2 } } };
  };
  const normal = weights.perClass.normal.maxExtrinsic;
  return normal.isSome ? normal.unwrap() : weights.maxBlock;
}

/** Messages whose cost depends on the block time they run at. */
const BILLED_WHEN_CALLED = new Set(['claim_show', 'end_show']);

/** Dry-runs, then signs and submits `message` (with `value` of the native currency, for
 * a payable message); resolves with the block it landed in. */
async function send(
  api: ApiPromise,
  contract: ContractPromise,
  message: string,
  account: Payer,
  args: unknown[],
  value = 0n,
): Promise<number> {
  const outcome = await dryRun(api, contract, message, account.address, args, value);
  unwrap(api, outcome);
  const method = contract.abi.findMessage(message).method;
  const storageDepositLimit = outcome.storageDeposit.isCharge ? outcome.storageDeposit.asCharge : null;
  // The dry run's estimate can fall short in the block (a demo tip once failed with
  // Contracts::OutOfGas); a margin costs nothing, since unused weight is refunded.
  // A show's claim or end is dry-run at the last block's time, when it may owe
  // nothing, so its estimate can miss the whole payment: it gets 20x, up to a block.
  const required = outcome.gasRequired as WeightV2;
  const [times, per] = BILLED_WHEN_CALLED.has(message) ? [20, 1] : [5, 4];
  const cap = maxExtrinsic(api);
  const gasLimit = api.registry.createType<WeightV2>('WeightV2', {
    refTime: BN.min(required.refTime.toBn().muln(times).divn(per), cap.refTime.toBn()),
    proofSize: BN.min(required.proofSize.toBn().muln(times).divn(per), cap.proofSize.toBn()),
  });
  const tx = contract.tx[method]({ gasLimit, storageDepositLimit, value }, ...args);
  const included = await new Promise<ISubmittableResult>((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    let done = false;
    const finish = () => {
      done = true;
      unsubscribe?.();
    };
    const watch = (result: ISubmittableResult) => {
      if (result.status.isInBlock || result.status.isFinalized) {
        finish();
        if (result.dispatchError) {
          reject(new UserError(`The chain rejected the call (${dispatchText(api, result.dispatchError)}).`));
        } else resolve(result);
      } else if (result.isError) {
        finish();
        reject(new UserError('The chain dropped the transaction. Nothing was charged; try again.'));
      }
    };
    // An anonymous key held here signs by itself; a wallet's key signs in the extension.
    const signing = 'pair' in account ? tx.signAndSend(account.pair, watch) : tx.signAndSend(account.address, { signer: account.signer }, watch);
    signing
      .then((stop) => (done ? stop() : (unsubscribe = stop)))
      .catch((error: unknown) =>
        reject(isRejection(error) ? new UserError('You rejected the request in your wallet. Nothing was sent.') : error),
      );
  });
  const blockHash = included.status.isInBlock ? included.status.asInBlock : included.status.asFinalized;
  return (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
}

/** Refuses, before any signature, a payment of `amount` LIVE (`what`: "the tip") that
 * `account` cannot make: no native balance for the fee, or too little LIVE. */
async function checkFunds(api: ApiPromise, token: ContractPromise, account: Payer, amount: bigint, what: string): Promise<void> {
  const native = (await api.query.system.account(account.address)) as unknown as { data: { free: { isZero(): boolean } } };
  if (native.data.free.isZero()) {
    throw new UserError('This account has no native balance to pay the transaction fee.');
  }
  const balance = await readAmount(api, token, 'PSP22::balance_of', account.address, [account.address]);
  if (balance < amount) {
    throw new UserError(`Insufficient balance: this account holds ${tokens(balance)} LIVE and ${what} is ${tokens(amount)} LIVE.`);
  }
}

export interface TipRequest {
  performer: string;
  amount: bigint;
  memoCommitment: string | null;
}

/** Tips from `account`'s own LIVE: checks the balance, then one signature (the contract
 * moves the tip from the caller's balance, so there is nothing to approve). Reports each
 * step through `progress`; resolves with the tip's block. */
export async function tip(
  info: ChainInfo,
  account: Payer,
  request: TipRequest,
  progress: (step: string) => void,
): Promise<number> {
  progress('Connecting to the chain…');
  const { api, token } = await chain(info);
  await checkFunds(api, token, account, request.amount, 'the tip');
  progress('Confirm the tip in your wallet…');
  return send(api, token, 'tip', account, [request.performer, request.amount, request.memoCommitment]);
}

/** One of the performer's own calls (register, set_profile, set_max_fee, set_splits,
 * erase, set_show_terms, claim_show, block_viewer, unblock_viewer), a verifier's (set_adult_attestation), or either
 * party's end_show: dry-run, one signature; resolves with the block. */
export async function call(
  info: ChainInfo,
  account: WalletAccount,
  message:
    | 'register'
    | 'set_profile'
    | 'set_max_fee'
    | 'set_splits'
    | 'erase'
    | 'set_adult_attestation'
    | 'set_show_terms'
    | 'claim_show'
    | 'end_show'
    | 'block_viewer'
    | 'unblock_viewer',
  args: unknown[],
  progress: (step: string) => void,
): Promise<number> {
  progress('Connecting to the chain…');
  const { api, token } = await chain(info);
  progress('Confirm in your wallet…');
  return send(api, token, message, account, args);
}

/** The zero account (SS58, generic prefix): never a treasury, a split recipient or a
 * performer, so a quote in its name meets only the checks every viewer meets. */
const ANY_VIEWER = '5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM';

/** How a LIVE tip of `amount` from `viewer` (by default any viewer) to `performer` divides
 * now, or the refusal it would meet (the contract's `quote`, which checks for its caller). */
export async function quote(
  info: ChainInfo,
  performer: string,
  amount: bigint,
  viewer = ANY_VIEWER,
): Promise<{ platformFee: bigint; burned: bigint; splits: [string, bigint][]; net: bigint }> {
  const { api, token } = await chain(info);
  const division = (await read(api, token, 'quote', viewer, [performer, amount])) as {
    toJSON(): { platformFee: string | number; burned: string | number; splits: [string, string | number][]; net: string | number };
  };
  const json = division.toJSON();
  return {
    platformFee: BigInt(json.platformFee),
    burned: BigInt(json.burned),
    splits: json.splits.map(([recipient, amount]) => [recipient, BigInt(amount)]),
    net: BigInt(json.net),
  };
}

/** Whether `account` is an allow-listed 18+ verifier now. */
export async function isVerifier(info: ChainInfo, account: string): Promise<boolean> {
  const { api, token } = await chain(info);
  const answer = (await read(api, token, 'is_verifier', account, [account])) as { toJSON(): unknown };
  return answer.toJSON() === true;
}

/** Rates `performer` 1–5 stars from `account`; resolves with the block. */
export async function rate(
  info: ChainInfo,
  account: Payer,
  performer: string,
  stars: number,
  progress: (step: string) => void,
): Promise<number> {
  progress('Connecting to the chain…');
  const { api, token } = await chain(info);
  progress('Confirm the rating in your wallet…');
  return send(api, token, 'rate', account, [performer, stars]);
}

/** Opens a private show with `performer`, moving `deposit` from `account`'s LIVE into the
 * contract: checks the balance, then one signature. `pricePerMinute` is the price the page
 * showed: the contract refuses the show if the performer's price is above it by the time
 * the request executes. Resolves with the block and the show's id (read back from the
 * contract: the one open show of this pair). */
export async function openShow(
  info: ChainInfo,
  account: Payer,
  performer: string,
  deposit: bigint,
  pricePerMinute: bigint,
  progress: (step: string) => void,
): Promise<{ block: number; showId: number }> {
  progress('Connecting to the chain…');
  const { api, token } = await chain(info);
  await checkFunds(api, token, account, deposit, 'the deposit');
  progress('Confirm the deposit in your wallet…');
  const block = await send(api, token, 'open_show', account, [performer, deposit, pricePerMinute]);
  const id = ((await read(api, token, 'open_show_between', account.address, [account.address, performer])) as { toJSON(): unknown }).toJSON();
  if (typeof id !== 'number' && typeof id !== 'string') {
    throw new UserError(`The show opened in block #${block}, but the contract no longer lists it open: it may have ended already.`);
  }
  return { block, showId: Number(id) };
}

/** Pays for `count` vouchers of the desk key `keyId` from `account` (the wallet), in LIVE
 * or (`native`) in the chain's currency at the key's `price` each, under the order
 * reference `order` (0x and 32 bytes of hex): the desk then blind-signs that many.
 * Resolves with the block. */
export async function buyVouchers(
  info: ChainInfo,
  account: WalletAccount,
  purchase: { keyId: number; count: number; order: string; price: bigint; native: boolean },
  progress: (step: string) => void,
): Promise<number> {
  progress('Connecting to the chain…');
  const { api, token } = await chain(info);
  const total = purchase.price * BigInt(purchase.count);
  const args = [purchase.keyId, purchase.count, purchase.order];
  if (purchase.native) {
    const free = (await balances(info, [account.address]))[0].native;
    if (free <= total) throw new UserError(`Insufficient balance: this account holds ${tokens(free)} and the purchase is ${tokens(total)} of the native currency, plus the fee.`);
    progress('Confirm the purchase in your wallet…');
    return send(api, token, 'buy_vouchers_native', account, args, total);
  }
  await checkFunds(api, token, account, total, 'the purchase');
  progress('Confirm the purchase in your wallet…');
  return send(api, token, 'buy_vouchers', account, args);
}

/** The LIVE and native balances of `addresses`. */
export async function balances(info: ChainInfo, addresses: string[]): Promise<{ live: bigint; native: bigint }[]> {
  const { api, token } = await chain(info);
  return Promise.all(
    addresses.map(async (address) => {
      const account = (await api.query.system.account(address)) as unknown as { data: { free: { toString(): string } } };
      return {
        live: await readAmount(api, token, 'PSP22::balance_of', address, [address]),
        native: BigInt(account.data.free.toString()),
      };
    }),
  );
}

/** A voucher key as the contract holds it (`voucher_key`). */
export interface ChainVoucherKey {
  keyId: number;
  desk: string;
  publicKey: string;
  denomination: bigint;
  prices: [bigint, bigint];
  redeemUntil: number;
}

/** Every voucher key the contract holds (closed ones are gone), read from the chain
 * itself, not from the API: what a buyer checks the desk's offer against. */
export async function voucherKeys(info: ChainInfo): Promise<ChainVoucherKey[]> {
  const { api, token } = await chain(info);
  const count = Number(await readAmount(api, token, 'voucher_key_count', info.live_token, []));
  const keys: ChainVoucherKey[] = [];
  for (let keyId = 0; keyId < count; keyId++) {
    const answer = (await read(api, token, 'voucher_key', info.live_token, [keyId])) as { toPrimitive(): unknown };
    const key = answer.toPrimitive() as {
      desk: string;
      public: string;
      terms: { denomination: string | number; priceLive: string | number; priceNative: string | number };
      redeemUntil: number;
    } | null;
    if (!key) continue;
    keys.push({
      keyId,
      desk: key.desk,
      publicKey: key.public.replace(/^0x/, ''),
      denomination: BigInt(key.terms.denomination),
      prices: [BigInt(key.terms.priceLive), BigInt(key.terms.priceNative)],
      redeemUntil: Number(key.redeemUntil),
    });
  }
  return keys;
}
