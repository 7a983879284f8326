// The buyer's side of a voucher (src/vouchers/): Merlin transcripts against merlin's own
// output, and a whole blind signature against a desk simulated here, checked by
// schnorrkel itself (@polkadot/util-crypto's sr25519Verify), as the contract checks it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ristretto255 } from '@noble/curves/ed25519';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils';
import { cryptoWaitReady, sr25519Verify } from '@polkadot/util-crypto';
import { Transcript } from '../../src/vouchers/merlin.ts';
import { blind, voucherMessage } from '../../src/vouchers/blind.ts';

const ascii = (text) => new TextEncoder().encode(text);
const hex = (bytes) => Buffer.from(bytes).toString('hex');

test('a Merlin transcript gives what merlin (Rust) gives', () => {
  // merlin 3.0's own test vector.
  const simple = new Transcript('test protocol');
  simple.appendMessage(ascii('some label'), ascii('some data'));
  assert.equal(hex(simple.challengeBytes(ascii('challenge'), 32)), 'd5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615');
  // Across the STROBE rate, with a 64-byte challenge (printed by merlin 3.0.0).
  const long = new Transcript('SigningContext');
  long.appendMessage(new Uint8Array(), ascii('substrate'));
  long.appendMessage(ascii('sign-bytes'), new Uint8Array(300).fill(7));
  assert.equal(
    hex(long.challengeBytes(ascii('sign:c'), 64)),
    'ae1064841a5e082909318a36da02188337c15d7ecae688d9413206f1ece169972243ab3ee6e36faa23d185d72e9d0e405905d5c00f0cc084eb7bce18d3e6630e',
  );
});

/** A desk: a secret key, and one session (commit, then respond). */
function desk() {
  const { Point } = ristretto255;
  const order = Point.Fn.ORDER;
  const random = () => bytesToNumberLE(crypto.getRandomValues(new Uint8Array(64))) % order;
  const secret = random();
  return {
    public: Point.BASE.multiply(secret).toBytes(),
    session() {
      const nonce = random();
      return {
        commitment: Point.BASE.multiply(nonce).toBytes(),
        respond: (challenge) => numberToBytesLE((nonce + bytesToNumberLE(challenge) * secret) % order, 32),
      };
    },
  };
}

test('an unblinded voucher is an sr25519 signature schnorrkel accepts, of that voucher only', async () => {
  await cryptoWaitReady();
  const signer = desk();
  const message = voucherMessage(new Uint8Array(32).fill(1), 7n, new Uint8Array(32).fill(2), new Uint8Array(32).fill(3));
  for (let run = 0; run < 5; run++) {
    const session = signer.session();
    const blinded = blind(signer.public, session.commitment, message);
    const signature = blinded.unblind(session.respond(blinded.challenge));
    assert.ok(sr25519Verify(message, signature, signer.public));
    assert.ok(!sr25519Verify(message.map((byte, i) => (i === 60 ? byte ^ 1 : byte)), signature, signer.public));
    // What the desk saw is not what the chain sees.
    assert.notEqual(hex(signature.slice(0, 32)), hex(session.commitment));
  }
});

test('a wrong answer from the desk is caught when unblinding', () => {
  const signer = desk();
  const session = signer.session();
  const blinded = blind(signer.public, session.commitment, ascii('voucher'));
  const answer = session.respond(blinded.challenge);
  answer[0] ^= 1;
  assert.throws(() => blinded.unblind(answer), /valid signature/);
});

test('the voucher message lays out its fields as the contract does', () => {
  const message = voucherMessage(new Uint8Array(32).fill(1), 0x0203n, new Uint8Array(32).fill(4), new Uint8Array(32).fill(5));
  assert.equal(message.length, 124);
  assert.equal(new TextDecoder().decode(message.slice(0, 20)), 'livestars voucher v1');
  assert.deepEqual([...message.slice(52, 60)], [3, 2, 0, 0, 0, 0, 0, 0]);
  assert.ok(message.slice(20, 52).every((b) => b === 1) && message.slice(60, 92).every((b) => b === 4) && message.slice(92).every((b) => b === 5));
});

const offered = (keyId, denomination, extra = {}) => ({
  key_id: keyId,
  desk: '5FCfAonRZgTFrTd9HREEyeJjDpT397KMzizE6T3DvebLFE7n',
  public_key: `${keyId}`.padStart(64, '0'),
  denomination: String(denomination),
  relay_fee: '0',
  stipend: '0',
  price_live: String(denomination),
  price_native: '0',
  redeem_until_ms: 10 * 86_400_000,
  ...extra,
});
const onChain = (key, redeemUntil = key.redeem_until_ms) => ({
  keyId: key.key_id,
  desk: key.desk,
  publicKey: key.public_key,
  denomination: BigInt(key.denomination),
  prices: [BigInt(key.price_live), BigInt(key.price_native)],
  redeemUntil,
});

test('an amount splits into the largest vouchers first, of the oldest key of each size', async () => {
  const { split } = await import('../../src/vouchers/purchase.ts');
  const keys = [offered(0, 1), offered(1, 10), offered(2, 100), offered(3, 10)];
  const plan = split(21n, keys).map(({ key, count }) => [key.key_id, count]);
  assert.deepEqual(plan, [[1, 2], [0, 1]]);
  assert.throws(() => split(21n, keys, true), /sells vouchers of/);
  assert.throws(() => split(1n, [offered(1, 10)]), /choose an amount/);
});

test("a key not every buyer is offered is refused before anything is bought", async () => {
  const { checkOffer } = await import('../../src/vouchers/purchase.ts');
  const now = 86_400_000;
  const old = offered(1, 10);
  const newer = offered(5, 10);
  const chain = [onChain(old), onChain(newer), onChain(offered(2, 100))];
  assert.doesNotThrow(() => checkOffer(old, chain, now));
  assert.throws(() => checkOffer(newer, chain, now), /older key/);
  // The desk's description must be the chain's.
  assert.throws(() => checkOffer({ ...old, price_live: '9' }, chain, now), /differently from the chain/);
  assert.throws(() => checkOffer(offered(9, 10), chain, now), /differently from the chain/);
  // A key about to expire is no longer the one to buy: the next one is.
  const ending = [onChain(old, now + 3_600_000), onChain(newer)];
  assert.doesNotThrow(() => checkOffer(newer, ending, now));
});
