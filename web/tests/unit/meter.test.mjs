// A private show's meter (src/call/meter.ts) counts as the contract does: whole seconds
// since the show opened, floor(price_per_minute × seconds / 60), at most the deposit;
// the browser test checks the settlement the contract made with the same formula.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clock, meter, showDeposit } from '../../src/call/meter.ts';

const LIVE = 10n ** 12n;
const OPENED = 1_700_000_000_000;
/** 6 LIVE a minute (0.1 LIVE a second), 30 LIVE deposited: 300 s of show. */
const show = { opened_at: OPENED, ended_at: null, deposit: String(30n * LIVE), price_per_minute: String(6n * LIVE) };

test('the meter bills whole seconds since the show opened', () => {
  assert.deepEqual(meter(show, OPENED), { seconds: 0, earned: 0n, refund: 30n * LIVE, spent: false });
  assert.deepEqual(meter(show, OPENED + 999), { seconds: 0, earned: 0n, refund: 30n * LIVE, spent: false });
  assert.deepEqual(meter(show, OPENED + 1000), { seconds: 1, earned: LIVE / 10n, refund: 30n * LIVE - LIVE / 10n, spent: false });
  assert.deepEqual(meter(show, OPENED + 20_500), { seconds: 20, earned: 2n * LIVE, refund: 28n * LIVE, spent: false });
  // A clock behind the block time bills nothing rather than a negative amount.
  assert.deepEqual(meter(show, OPENED - 5000), { seconds: 0, earned: 0n, refund: 30n * LIVE, spent: false });
});

test('the cost is floor(price × seconds / 60): a fraction of a base unit is not billed', () => {
  // 1 base unit a minute: 59 s cost nothing, 60 s one base unit, 119 s still one.
  const cheap = { ...show, price_per_minute: '1', deposit: '1000' };
  assert.equal(meter(cheap, OPENED + 59_000).earned, 0n);
  assert.equal(meter(cheap, OPENED + 60_000).earned, 1n);
  assert.equal(meter(cheap, OPENED + 119_000).earned, 1n);
  assert.equal(meter(cheap, OPENED + 120_000).earned, 2n);
  // 7 base units a minute for 10 s: 70 / 60 = 1.
  assert.equal(meter({ ...cheap, price_per_minute: '7' }, OPENED + 10_000).earned, 1n);
  // Large prices stay exact.
  const dear = { ...show, price_per_minute: String(10n ** 30n), deposit: String(10n ** 40n) };
  assert.equal(meter(dear, OPENED + 61_000).earned, (10n ** 30n * 61n) / 60n);
});

test('the meter stops at the deposit: the show is then spent', () => {
  assert.deepEqual(meter(show, OPENED + 299_999), { seconds: 299, earned: 29n * LIVE + (9n * LIVE) / 10n, refund: LIVE / 10n, spent: false });
  assert.deepEqual(meter(show, OPENED + 300_000), { seconds: 300, earned: 30n * LIVE, refund: 0n, spent: true });
  assert.deepEqual(meter(show, OPENED + 3_600_000), { seconds: 3600, earned: 30n * LIVE, refund: 0n, spent: true });
});

test('an ended show is billed until it ended, whatever the time now', () => {
  const ended = { ...show, ended_at: OPENED + 42_700 };
  assert.deepEqual(meter(ended, OPENED + 3_600_000), { seconds: 42, earned: 42n * LIVE / 10n, refund: 30n * LIVE - 42n * LIVE / 10n, spent: false });
});

test('a zero deposit is spent from the start', () => {
  assert.deepEqual(meter({ ...show, deposit: '0' }, OPENED + 10_000), { seconds: 10, earned: 0n, refund: 0n, spent: true });
});

test('the deposit to request a show is the price times the minutes', () => {
  assert.equal(showDeposit(String(6n * LIVE), 5), 30n * LIVE);
  assert.equal(showDeposit(LIVE / 2n, 1), LIVE / 2n);
  assert.equal(showDeposit('0', 600), 0n);
});

test('the clock shows minutes, seconds and the total in seconds', () => {
  assert.equal(clock(0), '0:00 (0 s)');
  assert.equal(clock(59), '0:59 (59 s)');
  assert.equal(clock(60), '1:00 (60 s)');
  assert.equal(clock(61), '1:01 (61 s)');
  assert.equal(clock(3725), '62:05 (3725 s)');
});
