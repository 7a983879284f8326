// A Buttplug server speaking the protocol's JSON messages over a WebSocket, with one
// simulated vibrator: what the toy tests (tests/unit/toys.test.mjs) drive src/toys/link.ts
// against, and what a performer can point the dashboard at without a toy:
//
//   node tests/buttplug-server.mjs --port 12345
//
// It speaks message spec v4 (what the `buttplug` client library 5.x sends):
// RequestServerInfo → ServerInfo; RequestDeviceList → DeviceList (devices and their
// features, the vibrator's as `Output: { Vibrate: { Value: [0, 20] } }`); StartScanning →
// Ok then ScanningFinished; StopScanning, Ping → Ok; OutputCmd (a feature's Vibrate step)
// → Ok; StopCmd (and the older StopDeviceCmd / StopAllDevices) → Ok. Anything else, a
// message before the handshake, a malformed message or a command the device cannot take
// is answered with an `Error` message (ErrorCode: 0 unknown, 1 init, 2 ping, 3 message,
// 4 device), as Intiface would, never with silence.

import { WebSocketServer } from 'ws';
import { pathToFileURL } from 'node:url';

export const SPEC_VERSION = { major: 4, minor: 0 };
export const ERROR = { UNKNOWN: 0, INIT: 1, PING: 2, MSG: 3, DEVICE: 4 };

/** The simulated toy: one device, one vibrating feature with 20 steps (like most Lovense toys). */
export const DEVICE = { index: 0, name: 'Simulated Vibrator', feature: 0, steps: 20 };

const DEVICE_COMMANDS = new Set(['OutputCmd', 'InputCmd', 'StopCmd', 'StopDeviceCmd', 'StopAllDevices']);

function deviceList() {
  return {
    [DEVICE.index]: {
      DeviceIndex: DEVICE.index,
      DeviceName: DEVICE.name,
      DeviceMessageTimingGap: 0,
      DeviceFeatures: {
        [DEVICE.feature]: {
          FeatureIndex: DEVICE.feature,
          FeatureDescription: 'Vibrator',
          Output: { Vibrate: { Value: [0, DEVICE.steps] } },
        },
      },
    },
  };
}

/** One line describing a device command, for the command-line log. */
export function describe(message) {
  const [type, body] = Object.entries(message)[0] ?? ['?', {}];
  if (type === 'OutputCmd') {
    const [output, { Value } = {}] = Object.entries(body.Command ?? {})[0] ?? [];
    const percent = output === 'Vibrate' && typeof Value === 'number' ? ` (${Math.round((Value / DEVICE.steps) * 100)}%)` : '';
    return `OutputCmd device ${body.DeviceIndex} feature ${body.FeatureIndex}: ${output} ${Value}/${DEVICE.steps}${percent}`;
  }
  if (type === 'StopCmd' || type === 'StopDeviceCmd') return `${type} device ${body.DeviceIndex ?? 'all'}`;
  return `${type} ${JSON.stringify(body)}`;
}

/** Starts the server on 127.0.0.1 (`port` 0: any free port). `commands` holds every device
 * command received (OutputCmd, StopCmd, …), as parsed JSON (`{ OutputCmd: {…} }`), in
 * order; `waitForCommand` resolves with the first of them (already received or still to
 * come) that `predicate` accepts. `state.vibrate` is the vibrator's current step. */
export async function startButtplugServer({ port = 0, log = null } = {}) {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const actual = server.address().port;
  const commands = [];
  const waiters = new Set();
  const state = { vibrate: 0 };

  const record = (message) => {
    commands.push(message);
    log?.(describe(message));
    for (const waiter of waiters) {
      if (waiter.predicate(message)) waiter.done(message);
    }
  };

  server.on('connection', (socket) => {
    let greeted = false;
    const send = (...messages) => socket.send(JSON.stringify(messages));
    const error = (id, code, text) => {
      log?.(`Error: ${text}`);
      return { Error: { Id: id, ErrorCode: code, ErrorMessage: text } };
    };
    const ok = (id) => ({ Ok: { Id: id } });
    const stopAll = () => {
      state.vibrate = 0;
    };

    const answer = (message) => {
      if (message === null || typeof message !== 'object' || Array.isArray(message)) {
        return error(0, ERROR.MSG, 'Each message must be an object with one key, the message type.');
      }
      const entries = Object.entries(message);
      if (entries.length !== 1) return error(0, ERROR.MSG, `A message has exactly one key (its type), not ${entries.length}.`);
      const [type, body] = entries[0];
      const id = body?.Id;
      if (!Number.isInteger(id) || id < 1 || id > 0xffffffff) {
        return error(0, ERROR.MSG, `${type}: Id must be an integer from 1 to 4294967295 (0 is the server's).`);
      }
      if (DEVICE_COMMANDS.has(type)) record(message);
      if (type === 'RequestServerInfo') {
        if (body.ProtocolVersionMajor !== SPEC_VERSION.major) {
          return error(id, ERROR.INIT, `This server speaks Buttplug message spec ${SPEC_VERSION.major}; the client asked for ${body.ProtocolVersionMajor}.${body.ProtocolVersionMinor ?? 0}.`);
        }
        greeted = true;
        log?.(`client "${body.ClientName}" connected (spec ${body.ProtocolVersionMajor}.${body.ProtocolVersionMinor})`);
        return {
          ServerInfo: {
            Id: id,
            ServerName: 'livestars test Buttplug server',
            ProtocolVersionMajor: SPEC_VERSION.major,
            ProtocolVersionMinor: SPEC_VERSION.minor,
            MaxPingTime: 0,
          },
        };
      }
      if (!greeted) return error(id, ERROR.INIT, `${type} before RequestServerInfo: the handshake comes first.`);
      switch (type) {
        case 'Ping':
          return ok(id);
        case 'RequestDeviceList':
          return { DeviceList: { Id: id, Devices: deviceList() } };
        case 'StartScanning':
          // The simulated toy is always there: scanning finds nothing new.
          setTimeout(() => socket.readyState === socket.OPEN && send({ ScanningFinished: { Id: 0 } }), 50);
          return ok(id);
        case 'StopScanning':
          return ok(id);
        case 'OutputCmd': {
          if (body.DeviceIndex !== DEVICE.index) return error(id, ERROR.DEVICE, `No device with index ${body.DeviceIndex}.`);
          if (body.FeatureIndex !== DEVICE.feature) return error(id, ERROR.DEVICE, `${DEVICE.name} has no feature ${body.FeatureIndex}.`);
          const outputs = Object.entries(body.Command ?? {});
          if (outputs.length !== 1) return error(id, ERROR.MSG, 'OutputCmd: Command must hold exactly one output type.');
          const [output, command] = outputs[0];
          if (output !== 'Vibrate') return error(id, ERROR.DEVICE, `${DEVICE.name} feature ${DEVICE.feature} cannot ${output}, only Vibrate.`);
          const value = command?.Value;
          if (!Number.isInteger(value) || value < 0 || value > DEVICE.steps) {
            return error(id, ERROR.DEVICE, `Vibrate value ${value} is not a step from 0 to ${DEVICE.steps}.`);
          }
          state.vibrate = value;
          return ok(id);
        }
        case 'StopCmd':
        case 'StopDeviceCmd':
          if (body.DeviceIndex !== undefined && body.DeviceIndex !== DEVICE.index) {
            return error(id, ERROR.DEVICE, `No device with index ${body.DeviceIndex}.`);
          }
          if (body.FeatureIndex !== undefined && body.FeatureIndex !== DEVICE.feature) {
            return error(id, ERROR.DEVICE, `${DEVICE.name} has no feature ${body.FeatureIndex}.`);
          }
          if (body.Outputs !== false) stopAll();
          return ok(id);
        case 'StopAllDevices':
          stopAll();
          return ok(id);
        case 'InputCmd':
          return error(id, ERROR.DEVICE, `${DEVICE.name} has no inputs (no battery, no sensors).`);
        default:
          return error(id, ERROR.MSG, `Unknown message type ${type}.`);
      }
    };

    socket.on('message', (data, isBinary) => {
      if (isBinary) return send(error(0, ERROR.MSG, 'Buttplug messages are JSON text, not binary frames.'));
      let messages;
      try {
        messages = JSON.parse(data.toString());
      } catch {
        return send(error(0, ERROR.MSG, 'Not JSON: Buttplug messages are a JSON array of messages.'));
      }
      if (!Array.isArray(messages)) return send(error(0, ERROR.MSG, 'Buttplug messages come in a JSON array.'));
      send(...messages.map(answer));
    });
    socket.on('close', () => {
      // Intiface stops the toys when its client goes away.
      stopAll();
      log?.('client disconnected');
    });
  });

  return {
    port: actual,
    url: `ws://127.0.0.1:${actual}`,
    commands,
    state,
    waitForCommand(predicate, timeoutMs = 2000) {
      const found = commands.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          done(message) {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(message);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No matching command within ${timeoutMs} ms; received: ${JSON.stringify(commands)}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close() {
      for (const client of server.clients) client.terminate();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--port');
  const port = at === -1 ? 12345 : Number(process.argv[at + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('usage: node tests/buttplug-server.mjs [--port 12345]');
    process.exit(2);
  }
  const started = await startButtplugServer({ port, log: (line) => console.log(`${new Date().toISOString()} ${line}`) });
  console.log(`buttplug server on ${started.url}`);
  console.log(`one simulated device: ${DEVICE.name} (index ${DEVICE.index}, Vibrate 0..${DEVICE.steps})`);
  const stop = () => void started.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
