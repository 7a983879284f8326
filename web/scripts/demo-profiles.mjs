// Demo public profiles for scripts/seed-demo, published the way a performer's browser
// does: the document's canonical JSON hashes (blake2-256) to the commitment the
// performer registers on-chain, and the upload is signed by the performer's key over a
// statement naming the chain. Avatars are drawn here (PNG), nothing is downloaded.
//
//   node web/scripts/demo-profiles.mjs commitment NAME   prints NAME's commitment (0x…)
//   node web/scripts/demo-profiles.mjs publish API_URL   publishes every demo profile

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

/** The demo performers' documents (scripts/seed-demo registers //Bob, //Charlie, //Ferdie). */
const DEMO = {
  Bob: {
    profile: { bio: 'Acoustic guitar, requests welcome.\nEvenings in Lisbon time.', gender: 'man', languages: ['pt-BR', 'en'], schedule: 'Mon–Fri 20:00–23:00 UTC', stage_name: 'Bruno Lume', tags: ['music', 'chat'], age_range: '25-34' },
    colour: [64, 156, 255],
  },
  Charlie: {
    profile: { bio: 'Dance and fitness streams, every morning.', gender: 'woman', languages: ['es', 'en'], schedule: 'Daily 08:00 UTC', stage_name: 'Carla Ritmo', tags: ['dance', 'fitness'], age_range: '18-24' },
    colour: [255, 92, 168],
  },
  Ferdie: {
    profile: { bio: 'Late-night talk about games and films.', gender: null, languages: ['de'], schedule: null, stage_name: 'Ferdi Nacht', tags: ['gaming', 'chat'], age_range: null },
    colour: [74, 222, 128],
  },
};

/** A `size` × `size` PNG: a disc of `rgb` on a dark ground. */
export function avatarPng([r, g, b], size = 96) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3); // filter byte 0, then RGB
    for (let x = 0; x < size; x++) {
      const inside = (x - size / 2) ** 2 + (y - size / 2) ** 2 < (size * 0.42) ** 2;
      row.set(inside ? [r, g, b] : [29, 24, 40], 1 + x * 3);
    }
    rows.push(row);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The canonical JSON: keys in alphabetical order, no whitespace (api: indexer/src/profile.rs). */
export function canonical(document) {
  const keys = ['age_range', 'avatar', 'bio', 'gender', 'languages', 'message_key', 'schedule', 'stage_name', 'stream', 'tags'];
  const leftOutWhenAbsent = ['message_key', 'stream'];
  const entries = keys.map((key) => [key, document[key] ?? null]);
  return JSON.stringify(Object.fromEntries(entries.filter(([key, value]) => value !== null || !leftOutWhenAbsent.includes(key))));
}

/** The commitment of `document`: the blake2-256 of its canonical JSON (0x + 64 hex). */
export function commitment(document) {
  return u8aToHex(blake2AsU8a(new TextEncoder().encode(canonical(document)), 256));
}

const LIVE = 10n ** 12n;

/** //Bob's room: a tip menu (one item moves a toy) and a goal counted from `sinceMs`.
 * Keys in canonical order (src/room/document.ts, indexer/src/room.rs). */
export function demoRoom(sinceMs) {
  const item = (id, label, live, toy) => ({ id, label, price: (BigInt(live) * LIVE).toString(), toy });
  return {
    goal: { amount: (100n * LIVE).toString(), deadline_ms: null, label: 'Dance at 100 LIVE', since_ms: sinceMs },
    menu: [item(1, 'Song request', 20, null), item(2, 'Flash the guitar solo', 50, { seconds: 5, strength: 80 })],
  };
}

/** `text` signed by `pair` as browser wallets sign text (`signRaw`). */
function signText(pair, text) {
  return u8aToHex(pair.sign(new TextEncoder().encode(`<Bytes>${text}</Bytes>`)));
}

/** The demo performers' names (their dev accounts' `//Name`). */
export const DEMO_NAMES = Object.keys(DEMO);

/** `name`'s demo profile: its document, its avatar (PNG bytes) and its commitment. */
export function demo(name) {
  const entry = DEMO[name];
  if (!entry) throw new Error(`no demo profile for ${name}`);
  const avatar = avatarPng(entry.colour);
  const document = { ...entry.profile, avatar: u8aToHex(blake2AsU8a(avatar, 256)) };
  // //Bob streams in the demo (scripts/dev --demo runs scripts/demo-stream).
  if (name === 'Bob' && process.env.LIVESTARS_DEMO_STREAM) document.stream = process.env.LIVESTARS_DEMO_STREAM;
  return { document, avatar, commitment: commitment(document) };
}

async function publish(api) {
  // The API names the genesis once its node watch has reached the node: wait a minute at most.
  let chain;
  for (let attempt = 0; ; attempt++) {
    chain = await (await fetch(`${api}/v1/chain`)).json();
    if (chain.genesis_hash) break;
    if (attempt >= 120) throw new Error(`the API does not know the chain's genesis: ${JSON.stringify(chain)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  for (const name of Object.keys(DEMO)) {
    const { document, avatar, commitment } = demo(name);
    const pair = keyring.addFromUri(`//${name}`);
    const statement = `livestars: publish my profile\nchain: ${chain.genesis_hash}\naccount: ${pair.address}\nprofile: ${commitment}`;
    const signature = signText(pair, statement);
    const body = JSON.stringify({ document, avatar: avatar.toString('base64'), signature });
    // The registration may not be indexed yet (409/404): retry for a minute.
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${api}/v1/performers/${pair.address}/profile`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (response.ok) break;
      const answer = await response.text();
      if (![404, 409].includes(response.status) || attempt >= 120) {
        throw new Error(`publishing ${name}'s profile: ${response.status} ${answer}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    console.log(`${name}: published "${document.stage_name}" (${commitment})`);
  }
  const bob = keyring.addFromUri('//Bob');
  const signedAt = Date.now();
  const room = demoRoom(signedAt);
  const hash = u8aToHex(blake2AsU8a(new TextEncoder().encode(JSON.stringify(room)), 256));
  const said = `livestars: set my room\nchain: ${chain.genesis_hash}\naccount: ${bob.address}\nroom: ${hash}\nsigned at: ${signedAt}`;
  const response = await fetch(`${api}/v1/performers/${bob.address}/room`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ document: room, signed_at: signedAt, signature: signText(bob, said) }),
  });
  if (!response.ok) throw new Error(`setting Bob's room: ${response.status} ${await response.text()}`);
  console.log('Bob: room set (a tip menu of 2 items, a goal of 100 LIVE)');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await cryptoWaitReady();
  const [command, argument] = process.argv.slice(2);
  if (command === 'commitment' && argument) console.log(demo(argument).commitment);
  else if (command === 'publish' && argument) await publish(argument.replace(/\/$/, ''));
  else {
    console.error('usage: demo-profiles.mjs commitment NAME | publish API_URL');
    process.exit(2);
  }
}
