// The signaling relay client's framing and words (src/call/signaling.ts): what fits in a
// frame, what a close code means, what is a message of the relay.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeMeaning, descriptionFrames, MAX_FRAME_BYTES, parseRelayMessage, signalUrl } from '../../src/call/signaling.ts';

const candidate = (n) => ({ candidate: `candidate:${n} 1 udp 2122260223 192.168.1.${n} 5${String(n).padStart(4, '0')} typ host`, sdpMid: '0', sdpMLineIndex: 0 });
const sdp = (extra) => ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', ...extra, ''].join('\r\n');

test('a description that fits goes in one frame, with its candidates', () => {
  const local = { type: 'offer', sdp: sdp([`a=${candidate(1).candidate}`, 'a=end-of-candidates']) };
  const frames = descriptionFrames(local, [candidate(1)]);
  assert.equal(frames.length, 1);
  assert.deepEqual(JSON.parse(frames[0]), { type: 'signal', data: { description: local } });
});

test('a description too large for a frame goes bare, then each early candidate on its own', () => {
  const early = Array.from({ length: 3 }, (_, i) => candidate(i + 1));
  const padding = Array.from({ length: 400 }, (_, i) => `a=x-padding:${i} ${'z'.repeat(40)}`);
  const local = { type: 'answer', sdp: sdp([...padding.slice(0, 200), ...early.map((c) => `a=${c.candidate}`), ...padding.slice(200), 'a=end-of-candidates']) };
  assert.ok(new TextEncoder().encode(local.sdp).length > MAX_FRAME_BYTES);
  const frames = descriptionFrames(local, early);
  assert.equal(frames.length, 1 + early.length);
  const bare = JSON.parse(frames[0]).data.description;
  assert.equal(bare.type, 'answer');
  assert.doesNotMatch(bare.sdp, /a=candidate:|a=end-of-candidates/);
  assert.equal(bare.sdp, sdp(padding));
  assert.deepEqual(frames.slice(1).map((frame) => JSON.parse(frame)), early.map((c) => ({ type: 'signal', data: { candidate: c } })));
});

test('the frame limit is 16 KiB of UTF-8, not of characters', () => {
  const overhead = JSON.stringify({ type: 'signal', data: { description: { type: 'offer', sdp: '' } } }).length;
  const fits = 'e'.repeat(MAX_FRAME_BYTES - overhead);
  assert.equal(descriptionFrames({ type: 'offer', sdp: fits }, [candidate(1)]).length, 1);
  assert.equal(descriptionFrames({ type: 'offer', sdp: `${fits}e` }, [candidate(1)]).length, 2);
  // As many characters, twice the bytes.
  assert.equal(descriptionFrames({ type: 'offer', sdp: 'é'.repeat(fits.length) }, [candidate(1)]).length, 2);
});

test('every close code of the relay is explained, others generically', () => {
  for (const code of [4400, 4401, 4403, 4404, 4408, 4409, 4429, 1009]) assert.match(closeMeaning(code), new RegExp(`\\(${code}\\)`));
  assert.match(closeMeaning(4403), /not a party/);
  assert.match(closeMeaning(4409), /took over/);
  assert.equal(closeMeaning(1006), 'The connection to the signaling relay closed (1006). Rejoin to continue.');
});

test('only JSON objects are messages of the relay', () => {
  assert.deepEqual(parseRelayMessage('{"type":"challenge","show_id":3,"nonce":"0x01"}'), { type: 'challenge', show_id: 3, nonce: '0x01' });
  assert.deepEqual(parseRelayMessage('{"type":"peer","present":true}'), { type: 'peer', present: true });
  for (const frame of ['not json', 'null', '3', '"text"', new ArrayBuffer(2), undefined]) assert.equal(parseRelayMessage(frame), null);
});

test('the relay is on the page\'s host, over TLS when the page is', () => {
  assert.equal(signalUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, 12), 'ws://127.0.0.1:8080/v1/shows/12/signal');
  assert.equal(signalUrl({ protocol: 'https:', host: 'live.example' }, 1), 'wss://live.example/v1/shows/1/signal');
});
