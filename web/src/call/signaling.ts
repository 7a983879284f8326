// The client of a private show's signaling relay (`/v1/shows/ID/signal`, docs/SHOWS.md),
// which only introduces the two browsers. The relay sends a challenge; this page answers
// it with a wallet signature over a statement naming the chain, the show and the nonce;
// then the relay says whether the other party is there and passes signals (descriptions
// and candidates) between them, each frame at most 16 KiB. A party's newer connection
// takes over (4409 to the older); the relay's close codes are explained in words. No DOM:
// the call page shows what this reports.

import { loadChainInfo } from '../api';
import { sign, signalStatement } from '../profile';
import { UserError, type WalletAccount } from '../wallet';

export type Role = 'viewer' | 'performer';

/** The relay closes a connection that sends a larger frame (1009). */
export const MAX_FRAME_BYTES = 16 * 1024;

export interface SignalData {
  description?: RTCSessionDescriptionInit;
  candidate?: RTCIceCandidateInit;
}

export type RelayMessage =
  | { type: 'challenge'; show_id: number; origin: string; nonce: string }
  | { type: 'ready'; role: Role; peer: boolean }
  | { type: 'peer'; present: boolean }
  | { type: 'signal'; data: SignalData }
  | { type: 'ended' }
  | { type: 'dropped' };

/** What the signaling relay's close codes mean (docs/SHOWS.md). */
const CLOSES: Record<number, string> = {
  4400: 'The relay could not read a message from this page (4400). Reload the page and rejoin.',
  4401: 'The relay did not accept the signature (4401). Sign with the account connected on this page, then rejoin.',
  4403: 'The connected account is not a party to this show (4403): only its viewer and its performer can join the call.',
  4404: 'No open show has this id (4404): it has ended, or livestars has not indexed it yet. Try again in a moment.',
  4408: 'The signature did not arrive within 30 seconds (4408). Rejoin and confirm in your wallet sooner.',
  4409: 'This account joined the call again (4409), in another tab or window, which took over. Use that one, or rejoin here to take it back.',
  4429: 'This page sent the relay more messages than it allows (4429). Rejoin; if it happens again, please report it.',
  1009: 'A message was too large for the relay (1009). Rejoin; if it happens again, please report it.',
};

/** What the relay closing a connection with `code` means, in words. */
export function closeMeaning(code: number): string {
  return CLOSES[code] ?? `The connection to the signaling relay closed (${code}). Rejoin to continue.`;
}

/** The relay's address for show `showId`, on the page's own host. */
export function signalUrl(page: { protocol: string; host: string }, showId: number): string {
  return `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}/v1/shows/${showId}/signal`;
}

/** A frame from the relay as a message; `null` for anything else (ignored). */
export function parseRelayMessage(data: unknown): RelayMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const message: unknown = JSON.parse(data);
    return message !== null && typeof message === 'object' ? (message as RelayMessage) : null;
  } catch {
    return null;
  }
}

const signalFrame = (data: SignalData) => JSON.stringify({ type: 'signal', data });

/** The frames that carry this side's description (offer or answer): one, with the
 * candidates gathered so far in its SDP, when it fits in a frame; otherwise the bare
 * description, then each of `early` (the candidates gathered so far) on its own. */
export function descriptionFrames(local: { type: RTCSdpType; sdp: string }, early: RTCIceCandidateInit[]): string[] {
  const whole = signalFrame({ description: { type: local.type, sdp: local.sdp } });
  if (new TextEncoder().encode(whole).length <= MAX_FRAME_BYTES) return [whole];
  const bare = local.sdp
    .split('\r\n')
    .filter((row) => !row.startsWith('a=candidate:') && row !== 'a=end-of-candidates')
    .join('\r\n');
  return [signalFrame({ description: { type: local.type, sdp: bare } }), ...early.map((candidate) => signalFrame({ candidate }))];
}

/** What the relay connection reports. */
export interface SignalingEvents {
  /** A step of joining, in words. */
  progress(text: string): void;
  /** The challenge was not answered (no chain, no signature): `closed` when this page
   * closed the connection for it (it may rejoin). */
  refused(error: unknown, closed: boolean): void;
  /** A message of the relay other than its challenge. */
  message(message: Exclude<RelayMessage, { type: 'challenge' }>): void;
  /** The relay closed the current connection (this page did not): its close code. */
  closed(code: number): void;
}

/** One party's connection to the relay; `connect()` again to rejoin (a new connection
 * replaces the current one, whose messages then go unheard). */
export class Signaling {
  private socket: WebSocket | null = null;

  constructor(
    private readonly url: string,
    private readonly showId: number,
    private readonly account: WalletAccount,
    private readonly events: SignalingEvents,
  ) {}

  connect(): void {
    const ws = new WebSocket(this.url);
    this.socket = ws;
    this.events.progress('Connecting to the signaling relay…');
    ws.onmessage = (event: MessageEvent) => {
      if (this.socket !== ws) return;
      const message = parseRelayMessage(event.data);
      if (!message) return;
      if (message.type === 'challenge') void this.answer(ws, message.nonce);
      else this.events.message(message);
    };
    ws.onclose = (event: CloseEvent) => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.events.closed(event.code);
    };
  }

  /** Sends `message` to the relay; `false` when no connection is open. */
  send(message: object): boolean {
    return this.sendFrame(JSON.stringify(message));
  }

  /** Passes `data` to the other party. */
  signal(data: SignalData): boolean {
    return this.sendFrame(signalFrame(data));
  }

  /** Passes this side's description to the other party (`descriptionFrames`). */
  description(local: { type: RTCSdpType; sdp: string }, early: RTCIceCandidateInit[]): void {
    descriptionFrames(local, early).forEach((frame) => this.sendFrame(frame));
  }

  /** Closes the connection (normally, 1000); nothing it says is heard any more. */
  close(): void {
    const open = this.socket;
    this.socket = null;
    open?.close(1000);
  }

  private sendFrame(frame: string): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(frame);
    return true;
  }

  /** Answers the relay's challenge on `ws` with the wallet's signature. */
  private async answer(ws: WebSocket, nonce: string): Promise<void> {
    try {
      const info = await loadChainInfo();
      if (!info.genesis_hash) throw new UserError('livestars cannot reach the chain right now; rejoin shortly.');
      this.events.progress('Sign in your wallet to join the call (a message, not a transaction)…');
      const signature = await sign(this.account, signalStatement(location.origin, info.genesis_hash, this.showId, nonce));
      if (this.socket !== ws) return;
      this.send({ type: 'auth', account: this.account.address, signature });
      this.events.progress('Checking the signature…');
    } catch (error) {
      const current = this.socket === ws;
      if (current) this.socket = null;
      this.events.refused(error, current);
      if (current) ws.close(1000);
    }
  }
}
