// The room's documents in the browser, byte for byte as the API reads them
// (indexer/src/room.rs): the room a performer signs (tip menu and goal), the note a
// viewer attaches to a tip (its blake2-256 is the tip's on-chain memo), and the
// statements a performer's wallet signs for them.

import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, randomAsU8a } from '@polkadot/util-crypto';

export interface ToyAction {
  seconds: number;
  strength: number;
}

export interface MenuItem {
  id: number;
  label: string;
  /** Plancks of LIVE, decimal digits. */
  price: string;
  toy: ToyAction | null;
}

export interface Goal {
  /** Plancks of LIVE, decimal digits. */
  amount: string;
  deadline_ms: number | null;
  label: string;
  since_ms: number;
}

export interface RoomDocument {
  goal: Goal | null;
  menu: MenuItem[];
}

export interface TipNote {
  item: number | null;
  /** Sealed to the performer's message key, base64. */
  message: string | null;
  salt: string;
  viewer: string;
}

const hash = (text: string) => blake2AsHex(new TextEncoder().encode(text), 256);

/** Keys in alphabetical order at every level, absent fields as null, no whitespace. */
export function canonicalRoom(room: RoomDocument): string {
  const goal = room.goal && { amount: room.goal.amount, deadline_ms: room.goal.deadline_ms, label: room.goal.label, since_ms: room.goal.since_ms };
  const menu = room.menu.map((item) => ({
    id: item.id,
    label: item.label,
    price: item.price,
    toy: item.toy && { seconds: item.toy.seconds, strength: item.toy.strength },
  }));
  return JSON.stringify({ goal, menu });
}

export function canonicalNote(note: TipNote): string {
  return JSON.stringify({ item: note.item, message: note.message, salt: note.salt, viewer: note.viewer });
}

/** What the tip's memo must be for `note` (0x + 64 hex). */
export function noteCommitment(note: TipNote): string {
  return hash(canonicalNote(note));
}

/** A note with a fresh salt. */
export function newNote(viewer: string, item: number | null, message: string | null): TipNote {
  return { item, message, salt: u8aToHex(randomAsU8a(32)), viewer };
}

/** The text a performer signs to set their room. */
export function roomStatement(genesis: string, address: string, room: RoomDocument, signedAt: number): string {
  return `livestars: set my room\nchain: ${genesis}\naccount: ${address}\nroom: ${hash(canonicalRoom(room))}\nsigned at: ${signedAt}`;
}

/** The text a performer signs to make a new overlay link, or to revoke it. */
export function overlayStatement(action: 'renew' | 'revoke', genesis: string, address: string, signedAt: number): string {
  const what = action === 'renew' ? 'new overlay link' : 'revoke overlay link';
  return `livestars: ${what}\nchain: ${genesis}\naccount: ${address}\nsigned at: ${signedAt}`;
}
