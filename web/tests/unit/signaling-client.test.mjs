// The signaling relay client (src/call/signaling.ts) against a fake relay: it answers the
// challenge with the wallet's signature, passes the relay's messages on, and a newer
// connection (a rejoin) silences the older one, as the call page relies on.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Signaling } from '../../src/call/signaling.ts';

const GENESIS = `0x${'12'.repeat(32)}`;

class FakeSocket {
  static OPEN = 1;
  static all = [];
  readyState = 0;
  sent = [];
  closedWith = null;
  onmessage = null;
  onclose = null;
  constructor(url) {
    this.url = url;
    FakeSocket.all.push(this);
  }
  send(frame) {
    this.sent.push(frame);
  }
  close(code) {
    this.closedWith = code;
    this.readyState = 3;
  }
  // What the relay does.
  open() {
    this.readyState = FakeSocket.OPEN;
  }
  say(message) {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  hangUp(code) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const saved = {};
before(() => {
  saved.WebSocket = globalThis.WebSocket;
  saved.fetch = globalThis.fetch;
  saved.location = globalThis.location;
  globalThis.WebSocket = FakeSocket;
  // The page the client runs in: its origin goes in the statement.
  globalThis.location = { origin: 'https://livestars.example' };
  globalThis.fetch = async (url) => {
    assert.equal(url, '/v1/chain');
    return Response.json({ node_url: 'ws://node', live_token: 'x', token_symbol: 'LIVE', token_decimals: 12, genesis_hash: GENESIS });
  };
});
after(() => {
  globalThis.WebSocket = saved.WebSocket;
  globalThis.fetch = saved.fetch;
  globalThis.location = saved.location;
});

/** A client for show 7 with a wallet that signs (or refuses), recording what it reports. */
function client({ refuse = false } = {}) {
  const seen = { progress: [], messages: [], closed: [], refused: [], signed: [] };
  const account = {
    address: '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y',
    source: 'test',
    signer: {
      signRaw: async (payload) => {
        if (refuse) throw new Error('Cancelled by the user');
        seen.signed.push(payload);
        return { id: 1, signature: '0xsig' };
      },
    },
  };
  const signaling = new Signaling('ws://host/v1/shows/7/signal', 7, account, {
    progress: (text) => seen.progress.push(text),
    refused: (error, closed) => seen.refused.push({ message: error.message, closed }),
    message: (message) => seen.messages.push(message),
    closed: (code) => seen.closed.push(code),
  });
  return { signaling, seen, account };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

test('the challenge is answered with a signature over the statement, then messages pass on', async () => {
  const { signaling, seen, account } = client();
  signaling.connect();
  const socket = FakeSocket.all.at(-1);
  assert.equal(socket.url, 'ws://host/v1/shows/7/signal');
  socket.open();
  socket.say({ type: 'challenge', show_id: 7, nonce: '0xabcd' });
  await settle();
  assert.equal(seen.signed.length, 1);
  assert.equal(Buffer.from(seen.signed[0].data.slice(2), 'hex').toString(), `livestars: signal show 7\norigin: https://livestars.example\nchain: ${GENESIS}\nnonce: 0xabcd`);
  assert.deepEqual(socket.sent.map((frame) => JSON.parse(frame)), [{ type: 'auth', account: account.address, signature: '0xsig' }]);
  assert.deepEqual(seen.progress, [
    'Connecting to the signaling relay…',
    'Sign in your wallet to join the call (a message, not a transaction)…',
    'Checking the signature…',
  ]);
  socket.say({ type: 'ready', role: 'viewer', peer: true });
  socket.say('not json');
  socket.say('null');
  socket.say({ type: 'peer', present: false });
  assert.deepEqual(seen.messages, [{ type: 'ready', role: 'viewer', peer: true }, { type: 'peer', present: false }]);
  assert.equal(signaling.signal({ candidate: { candidate: 'c' } }), true);
  assert.deepEqual(JSON.parse(socket.sent.at(-1)), { type: 'signal', data: { candidate: { candidate: 'c' } } });
  socket.hangUp(4409);
  assert.deepEqual(seen.closed, [4409]);
  assert.equal(signaling.signal({ candidate: { candidate: 'c' } }), false, 'nothing is sent once closed');
});

test('a rejoin silences the older connection; closing reports nothing', async () => {
  const { signaling, seen } = client();
  signaling.connect();
  const older = FakeSocket.all.at(-1);
  older.open();
  signaling.connect();
  const newer = FakeSocket.all.at(-1);
  newer.open();
  assert.notEqual(older, newer);
  older.say({ type: 'ended' });
  older.hangUp(4409);
  assert.deepEqual(seen.messages, []);
  assert.deepEqual(seen.closed, []);
  newer.say({ type: 'ended' });
  assert.deepEqual(seen.messages, [{ type: 'ended' }]);
  signaling.close();
  assert.equal(newer.closedWith, 1000);
  newer.hangUp(1000);
  assert.deepEqual(seen.closed, []);
  assert.equal(signaling.send({ type: 'x' }), false);
});

test('a signature refused in the wallet closes the connection, so the page may rejoin', async () => {
  const { signaling, seen } = client({ refuse: true });
  signaling.connect();
  const socket = FakeSocket.all.at(-1);
  socket.open();
  socket.say({ type: 'challenge', show_id: 7, nonce: '0x01' });
  await settle();
  assert.deepEqual(seen.refused, [{ message: 'You rejected the request in your wallet. Nothing was sent.', closed: true }]);
  assert.equal(socket.closedWith, 1000);
  assert.deepEqual(socket.sent, []);
  socket.hangUp(1000);
  assert.deepEqual(seen.closed, [], 'its own close is not the relay\'s');
});

test('a challenge answered after a rejoin is not sent on the newer connection', async () => {
  const { signaling, seen } = client();
  signaling.connect();
  const older = FakeSocket.all.at(-1);
  older.open();
  older.say({ type: 'challenge', show_id: 7, nonce: '0x01' });
  signaling.connect();
  const newer = FakeSocket.all.at(-1);
  newer.open();
  await settle();
  assert.deepEqual(older.sent, []);
  assert.deepEqual(newer.sent, []);
  assert.equal(seen.signed.length, 1);
});
