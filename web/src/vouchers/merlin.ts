// Merlin transcripts (merlin.cool, over STROBE-128 and Keccak-f[1600]): the hash
// schnorrkel, and so sr25519, derives its signature challenge with. Only what a
// signature challenge needs: `appendMessage` and `challengeBytes`.

import { keccakP } from '@noble/hashes/sha3';

const STROBE_R = 166;
const FLAG_I = 1;
const FLAG_A = 1 << 1;
const FLAG_C = 1 << 2;
const FLAG_M = 1 << 4;

const ascii = (text: string) => new TextEncoder().encode(text);

/** STROBE-128 with the operations Merlin uses (meta-AD, AD, PRF). */
class Strobe128 {
  private readonly state = new Uint8Array(200);
  private readonly lanes = new Uint32Array(this.state.buffer);
  private pos = 0;
  private posBegin = 0;
  private curFlags = 0;

  constructor(protocolLabel: Uint8Array) {
    this.state.set([1, STROBE_R + 2, 1, 0, 1, 96]);
    this.state.set(ascii('STROBEv1.0.2'), 6);
    this.permute();
    this.metaAd(protocolLabel, false);
  }

  metaAd(data: Uint8Array, more: boolean): void {
    this.beginOp(FLAG_M | FLAG_A, more);
    this.absorb(data);
  }

  ad(data: Uint8Array, more: boolean): void {
    this.beginOp(FLAG_A, more);
    this.absorb(data);
  }

  prf(length: number, more: boolean): Uint8Array {
    this.beginOp(FLAG_I | FLAG_A | FLAG_C, more);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      out[i] = this.state[this.pos];
      this.state[this.pos] = 0;
      this.advance();
    }
    return out;
  }

  /** Keccak-f[1600] on the state's 25 little-endian lanes (the only byte order the
   * browsers and Node this runs on use). */
  private permute(): void {
    keccakP(this.lanes, 24);
  }

  private runF(): void {
    this.state[this.pos] ^= this.posBegin;
    this.state[this.pos + 1] ^= 0x04;
    this.state[STROBE_R + 1] ^= 0x80;
    this.permute();
    this.pos = 0;
    this.posBegin = 0;
  }

  private advance(): void {
    this.pos += 1;
    if (this.pos === STROBE_R) this.runF();
  }

  private absorb(data: Uint8Array): void {
    for (const byte of data) {
      this.state[this.pos] ^= byte;
      this.advance();
    }
  }

  private beginOp(flags: number, more: boolean): void {
    if (more) {
      if (this.curFlags !== flags) throw new Error('a continued STROBE operation changed its flags');
      return;
    }
    const oldBegin = this.posBegin;
    this.posBegin = this.pos + 1;
    this.curFlags = flags;
    this.absorb(Uint8Array.of(oldBegin, flags));
    if ((flags & FLAG_C) !== 0 && this.pos !== 0) this.runF();
  }
}

function lengthBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, length, true);
  return bytes;
}

/** A Merlin transcript. */
export class Transcript {
  private readonly strobe = new Strobe128(ascii('Merlin v1.0'));

  constructor(label: string) {
    this.appendMessage(ascii('dom-sep'), ascii(label));
  }

  appendMessage(label: Uint8Array, message: Uint8Array): void {
    this.strobe.metaAd(label, false);
    this.strobe.metaAd(lengthBytes(message.length), true);
    this.strobe.ad(message, false);
  }

  challengeBytes(label: Uint8Array, length: number): Uint8Array {
    this.strobe.metaAd(label, false);
    this.strobe.metaAd(lengthBytes(length), true);
    return this.strobe.prf(length, false);
  }
}
