// The buyer's side of a voucher's blind signature (contracts/blind-sr25519, docs/PRIVACY.md):
// the desk commits to R; we send it c = c' + β, where c' is the sr25519 challenge of the
// voucher under R' = R + α·B + β·A; its answer s becomes the signature (R', s + α), an
// ordinary sr25519 signature the contract checks. The desk never sees R', c' or the voucher.

import { ristretto255 } from '@noble/curves/ed25519';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils';
import { Transcript } from './merlin';

const Point = ristretto255.Point;
const ORDER = Point.Fn.ORDER;
const ascii = (text: string) => new TextEncoder().encode(text);

const mod = (n: bigint) => ((n % ORDER) + ORDER) % ORDER;
const scalarBytes = (n: bigint) => numberToBytesLE(mod(n), 32);

function randomScalar(): bigint {
  const wide = crypto.getRandomValues(new Uint8Array(64));
  return mod(bytesToNumberLE(wide)) || 1n;
}

/** `n·P`, with 0 allowed (noble refuses it). */
function times(point: InstanceType<typeof Point>, n: bigint) {
  const scalar = mod(n);
  return scalar === 0n ? Point.ZERO : point.multiply(scalar);
}

/** The sr25519 challenge of `message` under `publicKey` with commitment `r`, as schnorrkel
 * derives it (signing context "substrate"). */
export function challengeOf(publicKey: Uint8Array, r: Uint8Array, message: Uint8Array): bigint {
  const transcript = new Transcript('SigningContext');
  transcript.appendMessage(new Uint8Array(), ascii('substrate'));
  transcript.appendMessage(ascii('sign-bytes'), message);
  transcript.appendMessage(ascii('proto-name'), ascii('Schnorr-sig'));
  transcript.appendMessage(ascii('sign:pk'), publicKey);
  transcript.appendMessage(ascii('sign:R'), r);
  return mod(bytesToNumberLE(transcript.challengeBytes(ascii('sign:c'), 64)));
}

export interface Blinded {
  /** What to send the desk: the blinded challenge c (32 bytes). */
  challenge: Uint8Array;
  /** The signature from the desk's answer s, checked before it is returned. */
  unblind(response: Uint8Array): Uint8Array;
}

/** Blinds `message` for the desk key `publicKey`, which committed to `commitment`. */
export function blind(publicKey: Uint8Array, commitment: Uint8Array, message: Uint8Array): Blinded {
  const a = Point.fromBytes(publicKey);
  const r = Point.fromBytes(commitment);
  const alpha = randomScalar();
  const beta = randomScalar();
  const rPrime = r.add(times(Point.BASE, alpha)).add(times(a, beta)).toBytes();
  const cPrime = challengeOf(publicKey, rPrime, message);
  return {
    challenge: scalarBytes(cPrime + beta),
    unblind(response: Uint8Array): Uint8Array {
      const s = bytesToNumberLE(response);
      if (s >= ORDER) throw new Error('the desk answered with a malformed number');
      const sPrime = mod(s + alpha);
      // s'·B − c'·A must be R'.
      const check = times(Point.BASE, sPrime).subtract(times(a, cPrime)).toBytes();
      if (!check.every((byte, i) => byte === rPrime[i])) throw new Error("the desk's answer does not make a valid signature");
      const signature = new Uint8Array(64);
      signature.set(rPrime);
      signature.set(scalarBytes(sPrime), 32);
      signature[63] |= 0x80; // schnorrkel's marker
      return signature;
    },
  };
}

/** The bytes a voucher signs (livestars-abi, voucher.rs): prefix, contract, key id
 * (little-endian u64), recipient, serial. */
export function voucherMessage(contract: Uint8Array, keyId: bigint, recipient: Uint8Array, serial: Uint8Array): Uint8Array {
  const prefix = ascii('livestars voucher v1');
  const message = new Uint8Array(prefix.length + 32 + 8 + 32 + 32);
  message.set(prefix);
  message.set(contract, 20);
  new DataView(message.buffer).setBigUint64(52, keyId, true);
  message.set(recipient, 60);
  message.set(serial, 92);
  return message;
}
