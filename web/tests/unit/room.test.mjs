// The room's documents and sealed messages in the browser (src/room/): the canonical
// JSON is byte for byte the API's (indexer/src/room.rs tests the same texts), a sealed
// message opens only with its key and shows only its size class, and a key backup
// restores only with its passphrase.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalNote, canonicalRoom, noteCommitment, roomStatement } from '../../src/room/document.ts';
import { CLASSES, exportMessageKey, importMessageKey, newMessageKey, open, seal } from '../../src/room/seal.ts';
import { canonical } from '../../src/profile.ts';

const ROOM = {
  menu: [{ toy: { strength: 60, seconds: 5 }, price: '20000000000000', label: 'Song request', id: 1 }],
  goal: { since_ms: 1700000000000, label: 'Dance at 500', deadline_ms: null, amount: '500000000000000' },
};

test('the canonical room sorts keys at every level, as the API does', () => {
  assert.equal(
    canonicalRoom(ROOM),
    '{"goal":{"amount":"500000000000000","deadline_ms":null,"label":"Dance at 500","since_ms":1700000000000},"menu":[{"id":1,"label":"Song request","price":"20000000000000","toy":{"seconds":5,"strength":60}}]}',
  );
  assert.equal(canonicalRoom({ goal: null, menu: [] }), '{"goal":null,"menu":[]}');
  assert.match(roomStatement('0x09', '5Alice', ROOM, 7), /^livestars: set my room\nchain: 0x09\naccount: 5Alice\nroom: 0x[0-9a-f]{64}\nsigned at: 7$/);
});

test('a note commits to every field', () => {
  const note = { viewer: 'a', salt: `0x${'00'.repeat(32)}`, message: null, item: null };
  assert.equal(canonicalNote(note), `{"item":null,"message":null,"salt":"0x${'00'.repeat(32)}","viewer":"a"}`);
  assert.notEqual(noteCommitment({ ...note, item: 0 }), noteCommitment(note));
});

test('profiles leave the message key and the stream out when absent', () => {
  const base = { age_range: null, avatar: null, bio: '', gender: null, languages: [], schedule: null, stage_name: 'A', tags: [] };
  assert.equal(canonical(base), '{"age_range":null,"avatar":null,"bio":"","gender":null,"languages":[],"schedule":null,"stage_name":"A","tags":[]}');
  assert.equal(
    canonical({ ...base, message_key: `0x${'11'.repeat(32)}`, stream: 'https://s/x.m3u8' }),
    `{"age_range":null,"avatar":null,"bio":"","gender":null,"languages":[],"message_key":"0x${'11'.repeat(32)}","schedule":null,"stage_name":"A","stream":"https://s/x.m3u8","tags":[]}`,
  );
});

test('a sealed message opens only with its key, and its size shows only its class', () => {
  const performer = newMessageKey();
  const other = newMessageKey();
  for (const [text, size] of [['hi', CLASSES[0]], ['é'.repeat(100), CLASSES[1]], ['x'.repeat(1000), CLASSES[2]]]) {
    const sealed = seal(text, performer.public);
    assert.equal(Buffer.from(sealed, 'base64').length, 72 + size, text.slice(0, 5));
    assert.equal(open(sealed, performer.secret), text);
    assert.equal(open(sealed, other.secret), null);
  }
  const sealed = Buffer.from(seal('hello', performer.public), 'base64');
  sealed[60] ^= 1;
  assert.equal(open(sealed.toString('base64'), performer.secret), null, 'an altered box does not open');
  assert.notEqual(seal('hello', performer.public), seal('hello', performer.public), 'fresh per message');
  assert.throws(() => seal('x'.repeat(1023), performer.public), /at most 1022 bytes/);
});

test('a key backup restores only with its passphrase', () => {
  const key = newMessageKey();
  const backup = exportMessageKey(key, 'correct horse');
  assert.equal(importMessageKey(backup, 'correct horse').public, key.public);
  assert.throws(() => importMessageKey(backup, 'wrong horse!'), /Wrong passphrase/);
  assert.throws(() => exportMessageKey(key, 'short'), /at least 8/);
  assert.throws(() => importMessageKey('nonsense', 'correct horse'), /not a livestars/);
});

test("the demo's room is canonical as it is sent", async () => {
  const { demoRoom } = await import('../../scripts/demo-profiles.mjs');
  const room = demoRoom(1700000000000);
  assert.equal(JSON.stringify(room), canonicalRoom(room));
});

test('menu lines parse into items that keep their ids across edits', async () => {
  const { parseMenu, formatMenu } = await import('../../src/room/menu.ts');
  const first = parseMenu('Song request = 20\nDance = 50 toy 80% 5s');
  assert.deepEqual(first.map((item) => [item.id, item.label, item.price, item.toy]), [
    [1, 'Song request', '20000000000000', null],
    [2, 'Dance', '50000000000000', { strength: 80, seconds: 5 }],
  ]);
  assert.equal(formatMenu(first), 'Song request = 20\nDance = 50 toy 80% 5s');
  const edited = parseMenu('Flash = 2.5\nDance = 60', first);
  assert.deepEqual(edited.map((item) => [item.id, item.label]), [[3, 'Flash'], [2, 'Dance']]);
  assert.throws(() => parseMenu('Song request: 20'), /Menu line 1/);
  assert.throws(() => parseMenu('Dance = 5 toy 120% 5s'), /1 to 100 %/);
});
