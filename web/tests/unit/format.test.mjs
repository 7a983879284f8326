// How amounts (LIVE has 12 decimals), ratings and accounts are shown: src/format.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DECIMALS, parseTokens, percent, roundedTokens, shortAccount, stars, tokens } from '../../src/format.ts';

const LIVE = 10n ** 12n;

test('amounts are base units shown as tokens with 12 decimals, trailing zeros dropped', () => {
  assert.equal(DECIMALS, 12);
  assert.equal(tokens(0n), '0');
  assert.equal(tokens('0'), '0');
  assert.equal(tokens(1n), '0.000000000001');
  assert.equal(tokens(LIVE), '1');
  assert.equal(tokens(25n * LIVE + LIVE / 2n), '25.5');
  assert.equal(tokens('43425000000000'), '43.425');
  assert.equal(tokens(LIVE - 1n), '0.999999999999');
  // Exact however large: u128 on-chain.
  assert.equal(tokens(2n ** 128n - 1n), '340282366920938463463374607.431768211455');
});

test('decaying stake is rounded to 4 places, half up', () => {
  assert.equal(roundedTokens('509999999999'), '0.51');
  assert.equal(roundedTokens('509949999999'), '0.5099');
  assert.equal(roundedTokens('509950000000'), '0.51');
  assert.equal(roundedTokens(0n), '0');
  assert.equal(roundedTokens(49_999_999n), '0');
  assert.equal(roundedTokens(50_000_000n), '0.0001');
  assert.equal(roundedTokens(123_456_789_012_345n, 2), '123.46');
  assert.equal(roundedTokens(7n * LIVE, 12), '7');
});

test('what a person types is parsed into base units, or refused', () => {
  assert.equal(parseTokens('5'), 5n * LIVE);
  assert.equal(parseTokens(' 2.5 '), 25n * LIVE / 10n);
  assert.equal(parseTokens('0,5'), LIVE / 2n);
  assert.equal(parseTokens('0.000000000001'), 1n);
  assert.equal(parseTokens('0'), 0n);
  assert.equal(parseTokens('007'), 7n * LIVE);
  assert.equal(parseTokens('1.'), null);
  assert.equal(parseTokens('.5'), null);
  assert.equal(parseTokens('0.0000000000001'), null, 'more than 12 decimals');
  assert.equal(parseTokens('-1'), null);
  assert.equal(parseTokens('1e3'), null);
  assert.equal(parseTokens(''), null);
  assert.equal(parseTokens('1 000'), null);
  assert.equal(parseTokens('1'.repeat(27)), BigInt('1'.repeat(27)) * LIVE);
  assert.equal(parseTokens('1'.repeat(28)), null);
  // Round trip.
  for (const text of ['1', '0.1', '12.000000000001', '999999.999999999999']) assert.equal(tokens(parseTokens(text)), text);
});

test('ratings, stars and accounts', () => {
  assert.equal(percent(0), '0.0%');
  assert.equal(percent(1_000_000), '100.0%');
  assert.equal(percent(123_456), '12.3%');
  assert.equal(percent(999_999), '100.0%');
  assert.equal(stars(4125), '4.125');
  assert.equal(stars(4500), '4.5');
  assert.equal(stars(4000), '4.0');
  assert.equal(stars(0), '0.0');
  assert.equal(stars(5000), '5.0');
  assert.equal(shortAccount('5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y'), '5FLSigC9…XcS59Y');
  assert.equal(shortAccount('short'), 'short');
  assert.equal(shortAccount('0123456789abcdef'), '0123456789abcdef');
});
