// The performer's toys, through Intiface Central (or any Buttplug server) on their own
// machine: a thin wrapper over the Buttplug client library (`buttplug`, message spec v4).
// The browser connects straight to the server's WebSocket (ws://127.0.0.1:12345 by
// default); nothing about the toys goes through livestars.
//
// `play` vibrates every connected vibrating toy at the action's strength, then stops it
// when the action's seconds are up. Actions do not queue: a later one replaces the
// earlier, and the later one's timer stops the toys. Every failure (no server, a refused
// command, a server that does not answer) is thrown as an Error that says what happened.
//
// Loaded on demand (`import('../toys/link')`): the library is not in the main bundle.

import {
  ButtplugBrowserWebsocketClientConnector,
  ButtplugClient,
  DeviceOutput,
  OutputType,
  type ButtplugClientDevice,
  type IButtplugClientDeviceFeature,
} from 'buttplug';
import { checkAction, type ToyAction } from './mapping';

/** Intiface Central's server address unless its settings were changed. */
export const DEFAULT_URL = 'ws://127.0.0.1:12345';

/** How long a command may wait for the server's answer. */
const ANSWER_MS = 5000;

/** A device the server has, as shown to the performer. */
export interface Toy {
  index: number;
  name: string;
  /** Whether it has a vibrating feature, i.e. whether `play` drives it. */
  vibrates: boolean;
}

/** A vibrating feature of a device, and the range of its steps (`[0, 20]` for most). */
interface Vibrator {
  device: ButtplugClientDevice;
  feature: IButtplugClientDeviceFeature;
  range: readonly [number, number];
}

/** An action being played: its timer stops the toys. */
interface Playing {
  generation: number;
  timer: ReturnType<typeof setTimeout>;
  finish: (completed: boolean) => void;
  fail: (error: Error) => void;
}

function reason(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/** `promise`, or an Error naming `what` if it fails or the server does not answer in time. */
async function answered<T>(what: string, promise: Promise<T>, ms = ANSWER_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: the Buttplug server did not answer within ${ms / 1000} s.`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(`${what}:`)) throw error;
    throw new Error(`${what}: ${reason(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The step for `strength` percent in a feature's range: rounded up, so 1% still moves. */
export function step(range: readonly [number, number], strength: number): number {
  const [min, max] = range;
  // Integers throughout: (max - min) × strength / 100 is exact before rounding up.
  return Math.min(max, min + Math.ceil(((max - min) * strength) / 100));
}

export class ToyLink {
  private client: ButtplugClient | null = null;
  private connector: ButtplugBrowserWebsocketClientConnector | null = null;
  private playing: Playing | null = null;
  private generation = 0;
  private deviceListeners = new Set<(toys: Toy[]) => void>();
  private closeListeners = new Set<(error: Error) => void>();

  /** The server's address while connected. */
  url: string | null = null;

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Connects to the Buttplug server at `url`; answers the devices it has. Throws if there
   * is no server there or it refuses the handshake. */
  async connect(url = DEFAULT_URL): Promise<Toy[]> {
    const address = url.trim();
    if (!/^wss?:\/\/\S+$/i.test(address)) {
      throw new Error(`"${address}" is not a WebSocket address: Intiface Central's is ${DEFAULT_URL} unless you changed its port.`);
    }
    if (this.client) await this.disconnect();
    const client = new ButtplugClient('livestars');
    const connector = new ButtplugBrowserWebsocketClientConnector(address);
    client.on('deviceadded', this.changed);
    client.on('deviceremoved', this.changed);
    client.on('disconnect', () => {
      if (this.client !== client) return;
      // The server went away (Intiface closed, or its server stopped).
      this.client = null;
      this.connector = null;
      this.url = null;
      const error = new Error(`The connection to the Buttplug server at ${address} closed.`);
      this.cancel(error);
      this.changed();
      this.closeListeners.forEach((listener) => listener(error));
    });
    try {
      await answered('Connecting', client.connect(connector));
    } catch (error) {
      void connector.disconnect();
      throw new Error(
        `Could not connect to the Buttplug server at ${address} (${reason(error).replace(/^Connecting: /, '').replace(` to ${address}`, '')}). ` +
          'Is Intiface Central running, with its server started?',
      );
    }
    this.client = client;
    this.connector = connector;
    this.url = address;
    this.changed();
    return this.devices();
  }

  /** Asks the server to look for more toys (Intiface Central's "Start Scanning"); toys it
   * finds arrive through `onDevices`. */
  async scan(): Promise<void> {
    const client = this.require();
    await answered('Scanning for toys', client.startScanning());
  }

  /** The server's devices, by index. */
  devices(): Toy[] {
    const client = this.client;
    if (!client?.connected) return [];
    return [...client.devices.values()]
      .map((device) => ({
        index: device.index,
        name: device.displayName || device.name,
        vibrates: [...device.features.values()].some((feature) => feature.hasOutput(OutputType.Vibrate)),
      }))
      .sort((a, b) => a.index - b.index);
  }

  /** Calls `listener` with the devices whenever one arrives or leaves (and with none on
   * disconnecting); answers a function that stops calling it. */
  onDevices(listener: (toys: Toy[]) => void): () => void {
    this.deviceListeners.add(listener);
    return () => this.deviceListeners.delete(listener);
  }

  /** Calls `listener` when the server closes the connection (not on `disconnect()`). */
  onClose(listener: (error: Error) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Vibrates every vibrating toy at `action.strength`% for `action.seconds`, then stops
   * them. Resolves true once they are stopped, false if a later action (or `stop`,
   * `disconnect`) replaced this one first; rejects if the server refused a command or
   * the connection closed. */
  async play(action: ToyAction): Promise<boolean> {
    checkAction(action);
    this.require();
    const vibrators = this.vibrators();
    if (vibrators.length === 0) throw new Error('No vibrating toy is connected: connect one in Intiface Central, then try again.');
    const generation = this.replace();
    try {
      await answered(
        'Vibrating',
        Promise.all(vibrators.map(({ feature, range }) => feature.runOutput(DeviceOutput.Vibrate.value(step(range, action.strength))))),
      );
    } catch (error) {
      // Whatever did start must not keep going.
      if (generation === this.generation) await this.stopDevices(vibrators).catch(() => undefined);
      throw error;
    }
    if (generation !== this.generation) return false;
    return new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.playing?.generation !== generation) return;
        this.playing = null;
        this.stopDevices(vibrators).then(() => resolve(true), reject);
      }, action.seconds * 1000);
      this.playing = { generation, timer, finish: resolve, fail: reject };
    });
  }

  /** Stops every toy now; an action being played ends (its `play` resolves false). */
  async stop(): Promise<void> {
    this.replace();
    const client = this.require();
    await answered('Stopping the toys', client.stopAllDevices());
  }

  /** Stops the toys and closes the connection. Nothing to do if not connected. */
  async disconnect(): Promise<void> {
    const client = this.client;
    const connector = this.connector;
    this.client = null;
    this.connector = null;
    this.url = null;
    this.replace();
    try {
      // Stops every device, then closes the socket.
      if (client?.connected) await answered('Disconnecting', client.disconnect());
    } finally {
      await connector?.disconnect();
      this.changed();
    }
  }

  private require(): ButtplugClient {
    if (!this.client?.connected) throw new Error('Not connected to a Buttplug server: connect to Intiface Central first.');
    return this.client;
  }

  private vibrators(): Vibrator[] {
    const found: Vibrator[] = [];
    for (const device of this.client?.devices.values() ?? []) {
      for (const feature of device.features.values()) {
        const output = feature.output(OutputType.Vibrate);
        if (output) found.push({ device, feature, range: output.valueRange });
      }
    }
    return found;
  }

  private async stopDevices(vibrators: Vibrator[]): Promise<void> {
    const devices = new Set(vibrators.map((vibrator) => vibrator.device));
    await answered('Stopping the toys', Promise.all([...devices].map((device) => device.stop())));
  }

  /** Ends the action being played (its `play` resolves false); answers the generation of
   * the next one, so an action still being sent knows it was replaced. */
  private replace(): number {
    const playing = this.playing;
    this.playing = null;
    if (playing) {
      clearTimeout(playing.timer);
      playing.finish(false);
    }
    return ++this.generation;
  }

  /** The connection closed under the action being played: its `play` rejects. */
  private cancel(error: Error): void {
    const playing = this.playing;
    this.playing = null;
    this.generation++;
    if (playing) {
      clearTimeout(playing.timer);
      playing.fail(error);
    }
  }

  private changed = (): void => {
    const toys = this.devices();
    this.deviceListeners.forEach((listener) => listener(toys));
  };
}
