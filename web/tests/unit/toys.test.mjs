// The performer's toys: what a tip plays (src/toys/mapping.ts), the amount rules as the
// performer types them, and src/toys/link.ts driving the Buttplug client library against a
// real Buttplug server (tests/buttplug-server.mjs, message spec v4 over a WebSocket, one
// simulated vibrator): the assertions are on what that server received.

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { actionFor, formatRules, parseRules } from '../../src/toys/mapping.ts';
import { DEFAULT_URL, ToyLink, step } from '../../src/toys/link.ts';
import { DEVICE, startButtplugServer } from '../buttplug-server.mjs';

const LIVE = 10n ** 12n;

describe('what a tip plays', () => {
  const menu = [
    { id: 1, toy: { strength: 100, seconds: 10 } },
    { id: 2, toy: null },
  ];
  const rules = [
    { min: 20n * LIVE, action: { strength: 80, seconds: 10 } },
    { min: 1n * LIVE, action: { strength: 10, seconds: 1 } },
    { min: 5n * LIVE, action: { strength: 30, seconds: 3 } },
  ];

  test('a tipped menu item with a toy action wins, whatever the amount', () => {
    assert.deepEqual(actionFor({ gross: 1n, item: 1 }, menu, rules), { strength: 100, seconds: 10 });
    assert.deepEqual(actionFor({ gross: 50n * LIVE, item: 1 }, menu, rules), { strength: 100, seconds: 10 });
  });

  test('otherwise the rule with the largest amount the tip reaches', () => {
    assert.deepEqual(actionFor({ gross: 5n * LIVE, item: null }, menu, rules), { strength: 30, seconds: 3 });
    assert.deepEqual(actionFor({ gross: 20n * LIVE - 1n, item: null }, menu, rules), { strength: 30, seconds: 3 });
    assert.deepEqual(actionFor({ gross: 20n * LIVE, item: null }, menu, rules), { strength: 80, seconds: 10 });
    assert.deepEqual(actionFor({ gross: 1000n * LIVE, item: null }, menu, rules), { strength: 80, seconds: 10 });
    // A menu item without a toy action, or one no longer on the menu, goes by the amount.
    assert.deepEqual(actionFor({ gross: 6n * LIVE, item: 2 }, menu, rules), { strength: 30, seconds: 3 });
    assert.deepEqual(actionFor({ gross: 6n * LIVE, item: 99 }, menu, rules), { strength: 30, seconds: 3 });
  });

  test('nothing below every rule, or without rules', () => {
    assert.equal(actionFor({ gross: LIVE - 1n, item: null }, menu, rules), null);
    assert.equal(actionFor({ gross: 100n * LIVE, item: null }, menu, []), null);
    assert.equal(actionFor({ gross: 100n * LIVE, item: 2 }, [], []), null);
  });
});

describe('amount rules as text', () => {
  test('read one a line, sorted by amount, decimals exact; written back the same', () => {
    const text = '# tips\n20 LIVE: 80% 10s\n\n  2.5 LIVE : 30 % 3 s  \n0.000000000001 live: 1% 1s\r\n5: 100% 60s';
    const rules = parseRules(text);
    assert.deepEqual(rules, [
      { min: 1n, action: { strength: 1, seconds: 1 } },
      { min: (5n * LIVE) / 2n, action: { strength: 30, seconds: 3 } },
      { min: 5n * LIVE, action: { strength: 100, seconds: 60 } },
      { min: 20n * LIVE, action: { strength: 80, seconds: 10 } },
    ]);
    const written = formatRules(rules);
    assert.equal(written, '0.000000000001 LIVE: 1% 1s\n2.5 LIVE: 30% 3s\n5 LIVE: 100% 60s\n20 LIVE: 80% 10s');
    assert.deepEqual(parseRules(written), rules);
    assert.deepEqual(parseRules(''), []);
    assert.equal(formatRules([]), '');
  });

  test('what is not a rule is refused, naming the line', () => {
    const refused = (text, pattern) => assert.throws(() => parseRules(text), (error) => error instanceof Error && pattern.test(error.message));
    refused('5 LIVE: 30% 3s\nlots: vibrate', /^Line 2 \("lots: vibrate"\) is not a rule.*5 LIVE: 30% 3s/);
    refused('abc LIVE: 30% 3s', /^Line 1 .*"abc" is not an amount of LIVE/);
    refused('1.0000000000001 LIVE: 30% 3s', /^Line 1 .*at most 12 decimals/);
    refused('5 LIVE: 0% 3s', /^Line 1 .*strength must be from 1% to 100%, not 0%/);
    refused('5 LIVE: 101% 3s', /^Line 1 .*strength must be from 1% to 100%/);
    refused('\n5 LIVE: 30% 0s', /^Line 2 .*duration must be from 1 to 60 seconds, not 0s/);
    refused('5 LIVE: 30% 61s', /^Line 1 .*duration must be from 1 to 60 seconds/);
    refused('5 LIVE: 30% 3s\n5.0 LIVE: 50% 3s', /^Line 2 .*line 1 already has a rule for 5 LIVE/);
    const eleven = Array.from({ length: 11 }, (_, i) => `${i + 1} LIVE: 10% 1s`).join('\n');
    refused(eleven, /^Line 11 .*at most 10 rules/);
    assert.equal(parseRules(eleven.split('\n').slice(0, 10).join('\n')).length, 10);
  });
});

test('a strength is a step of the toy’s range, rounded up so 1% still moves', () => {
  assert.equal(step([0, 20], 40), 8);
  assert.equal(step([0, 20], 1), 1);
  assert.equal(step([0, 20], 100), 20);
  assert.equal(step([0, 100], 7), 7);
  assert.equal(step([0, 3], 50), 2);
});

describe('ToyLink against a Buttplug server with a simulated vibrator', () => {
  let server;
  let link;
  const saved = globalThis.WebSocket;
  const isVibrate = (message) => message.OutputCmd?.Command?.Vibrate !== undefined;
  const isStop = (message) => message.StopCmd !== undefined;
  /** The strength the server was asked for, as a fraction of the vibrator's range. */
  const strength = (message) => message.OutputCmd.Command.Vibrate.Value / DEVICE.steps;

  before(async () => {
    // Node 20 has no WebSocket global; the library's browser connector uses the page's.
    globalThis.WebSocket ??= WebSocket;
    server = await startButtplugServer();
  });
  after(async () => {
    await server.close();
    globalThis.WebSocket = saved;
  });
  beforeEach(async () => {
    link = new ToyLink();
    await link.connect(server.url);
    server.commands.length = 0;
  });

  test('connects and lists the simulated device', async () => {
    assert.equal(DEFAULT_URL, 'ws://127.0.0.1:12345');
    assert.equal(link.connected, true);
    assert.deepEqual(link.devices(), [{ index: 0, name: 'Simulated Vibrator', vibrates: true }]);
    await link.scan();
    await link.disconnect();
    assert.equal(link.connected, false);
    assert.deepEqual(link.devices(), []);
  });

  test('play vibrates at the strength, then stops the toy when the seconds are up', async () => {
    const started = Date.now();
    const played = link.play({ strength: 40, seconds: 1 });
    const vibrate = await server.waitForCommand(isVibrate, 10_000);
    assert.deepEqual(vibrate.OutputCmd.Command, { Vibrate: { Value: 8 } });
    assert.equal(vibrate.OutputCmd.DeviceIndex, 0);
    assert.equal(vibrate.OutputCmd.FeatureIndex, 0);
    assert.equal(strength(vibrate), 0.4);
    // Not before the second is up; the bound above only tells "stopped by this timer"
    // from "never stopped", loose for a busy machine.
    const stop = await server.waitForCommand(isStop, 10_000);
    const took = Date.now() - started;
    assert.ok(took >= 950 && took <= 10_000, `stopped after ${took} ms`);
    assert.equal(stop.StopCmd.DeviceIndex, 0);
    assert.equal(await played, true);
    assert.equal(server.state.vibrate, 0);
    assert.deepEqual(server.commands.map((message) => Object.keys(message)[0]), ['OutputCmd', 'StopCmd']);
    await link.disconnect();
  });

  test('a later action replaces the earlier, and its timer stops the toy', async () => {
    const started = Date.now();
    const first = link.play({ strength: 80, seconds: 30 });
    await server.waitForCommand(isVibrate, 10_000);
    const second = link.play({ strength: 20, seconds: 1 });
    assert.equal(await first, false);
    await server.waitForCommand(isStop, 10_000);
    const took = Date.now() - started;
    // The second's 1 s timer stopped it, not the first's 30 s one.
    assert.ok(took >= 950 && took <= 10_000, `stopped after ${took} ms`);
    assert.deepEqual(
      server.commands.filter(isVibrate).map(strength),
      [0.8, 0.2],
    );
    assert.equal(await second, true);
    assert.equal(server.commands.filter(isStop).length, 1);
    await link.disconnect();
  });

  test('stop and disconnect stop the toys at once', async () => {
    const played = link.play({ strength: 50, seconds: 30 });
    await server.waitForCommand(isVibrate, 10_000);
    await link.stop();
    assert.equal(await played, false);
    assert.equal(server.state.vibrate, 0);
    server.commands.length = 0;
    const again = link.play({ strength: 50, seconds: 30 });
    await server.waitForCommand(isVibrate, 10_000);
    await link.disconnect();
    assert.equal(await again, false);
    assert.ok(server.commands.some(isStop), 'disconnecting sent a StopCmd');
    assert.equal(server.state.vibrate, 0);
    await assert.rejects(link.play({ strength: 50, seconds: 1 }), /Not connected to a Buttplug server/);
  });

  test('an action out of bounds is refused before anything is sent', async () => {
    await assert.rejects(link.play({ strength: 0, seconds: 1 }), /strength must be a whole percentage from 1% to 100%/);
    await assert.rejects(link.play({ strength: 40, seconds: 61 }), /duration must be whole seconds from 1 to 60/);
    assert.deepEqual(server.commands, []);
    await link.disconnect();
  });

  test('the server going away ends the action with an error, and empties the list', async () => {
    const own = await startButtplugServer();
    const other = new ToyLink();
    await other.connect(own.url);
    const lists = [];
    other.onDevices((toys) => lists.push(toys));
    let closed = null;
    other.onClose((error) => (closed = error));
    const played = other.play({ strength: 40, seconds: 30 });
    await own.waitForCommand(isVibrate, 10_000);
    await own.close();
    await assert.rejects(played, /connection to the Buttplug server at ws:\/\/127\.0\.0\.1:\d+ closed/);
    assert.match(closed?.message ?? '', /closed/);
    assert.deepEqual(lists.at(-1), []);
    assert.equal(other.connected, false);
    await link.disconnect();
  });

  test('no server there, or not a WebSocket address: a clear error', async () => {
    const gone = await startButtplugServer();
    const url = gone.url;
    await gone.close();
    const other = new ToyLink();
    await assert.rejects(other.connect(url), (error) => {
      assert.match(error.message, new RegExp(`^Could not connect to the Buttplug server at ${url.replace(/\./g, '\\.')} \\(.+\\)\\. Is Intiface Central running`));
      return true;
    });
    assert.equal(other.connected, false);
    await assert.rejects(other.connect('http://127.0.0.1:12345'), /is not a WebSocket address/);
    await link.disconnect();
  });
});

describe('the test server speaks Buttplug, errors included', () => {
  let server;
  before(async () => (server = await startButtplugServer()));
  after(() => server.close());

  /** Sends `messages` (one frame) and answers the server's reply frame. */
  const exchange = async (socket, messages) => {
    const reply = new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
    socket.send(typeof messages === 'string' ? messages : JSON.stringify(messages));
    return reply;
  };
  const open = async () => {
    const socket = new WebSocket(server.url);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return socket;
  };

  test('the handshake first, in spec 4; unknown messages and bad commands get an Error', async () => {
    const socket = await open();
    try {
      assert.deepEqual(await exchange(socket, [{ RequestDeviceList: { Id: 1 } }]), [
        { Error: { Id: 1, ErrorCode: 1, ErrorMessage: 'RequestDeviceList before RequestServerInfo: the handshake comes first.' } },
      ]);
      const [old] = await exchange(socket, [{ RequestServerInfo: { Id: 2, ClientName: 'old', ProtocolVersionMajor: 3, ProtocolVersionMinor: 0 } }]);
      assert.equal(old.Error.ErrorCode, 1);
      const [info] = await exchange(socket, [{ RequestServerInfo: { Id: 3, ClientName: 'test', ProtocolVersionMajor: 4, ProtocolVersionMinor: 0 } }]);
      assert.equal(info.ServerInfo.Id, 3);
      assert.equal(info.ServerInfo.ProtocolVersionMajor, 4);
      const [list] = await exchange(socket, [{ RequestDeviceList: { Id: 4 } }]);
      assert.deepEqual(list.DeviceList.Devices['0'].DeviceFeatures['0'].Output, { Vibrate: { Value: [0, 20] } });
      const [unknown] = await exchange(socket, [{ VibrateCmd: { Id: 5, DeviceIndex: 0, Speeds: [{ Index: 0, Speed: 0.5 }] } }]);
      assert.deepEqual(unknown, { Error: { Id: 5, ErrorCode: 3, ErrorMessage: 'Unknown message type VibrateCmd.' } });
      const [tooStrong] = await exchange(socket, [{ OutputCmd: { Id: 6, DeviceIndex: 0, FeatureIndex: 0, Command: { Vibrate: { Value: 21 } } } }]);
      assert.equal(tooStrong.Error.ErrorCode, 4);
      const [noDevice] = await exchange(socket, [{ StopCmd: { Id: 7, DeviceIndex: 3 } }]);
      assert.equal(noDevice.Error.ErrorCode, 4);
      const [notJson] = await exchange(socket, 'vibrate please');
      assert.equal(notJson.Error.ErrorCode, 3);
      assert.deepEqual(await exchange(socket, [{ Ping: { Id: 8 } }, { StopScanning: { Id: 9 } }]), [{ Ok: { Id: 8 } }, { Ok: { Id: 9 } }]);
    } finally {
      socket.close();
    }
  });
});
