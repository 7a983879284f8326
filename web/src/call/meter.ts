// A private show's meter (docs/SHOWS.md), as the contract counts it: whole seconds since
// the show opened at the price fixed then, `floor(price_per_minute * seconds / 60)`,
// never more than the deposit. No DOM: the call page shows what this computes.

import type { Show } from '../api';

/** What the meter reads of a show. */
export type Metered = Pick<Show, 'opened_at' | 'ended_at' | 'deposit' | 'price_per_minute'>;

export interface Reading {
  /** Whole seconds billed: since the show opened, until it ended or `now`. */
  seconds: number;
  /** What the show has cost (earned by the performer), base units. */
  earned: bigint;
  /** What the viewer would get back if the show ended now, base units. */
  refund: bigint;
  /** The deposit is spent: the show costs nothing more. */
  spent: boolean;
}

/** What the show has cost by `now` (ms), as the contract counts it: whole seconds since it
 * opened, `floor(price_per_minute * seconds / 60)`, at most the deposit. */
export function meter(show: Metered, now: number): Reading {
  const until = show.ended_at ?? now;
  const seconds = Math.max(0, Math.floor((until - show.opened_at) / 1000));
  const deposit = BigInt(show.deposit);
  const cost = (BigInt(show.price_per_minute) * BigInt(seconds)) / 60n;
  const earned = cost < deposit ? cost : deposit;
  return { seconds, earned, refund: deposit - earned, spent: earned === deposit };
}

/** The deposit a viewer puts in to open a show of `minutes` at `pricePerMinute` (base units). */
export function showDeposit(pricePerMinute: string | bigint, minutes: number): bigint {
  return BigInt(pricePerMinute) * BigInt(minutes);
}

/** Seconds as "m:ss (N s)". */
export function clock(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')} (${seconds} s)`;
}
