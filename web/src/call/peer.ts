// The browser-to-browser side of a private show's call: one RTCPeerConnection at a time
// with the other party. The viewer offers (a chat data channel, its camera), the
// performer answers; each side sends its description with the candidates gathered in
// the first moments, then the later ones one by one, through the signaling relay. Video,
// sound and the chat go browser to browser, encrypted between them. No DOM: the call page
// shows the streams, the chat and the connection's state that this reports.

import type { Role, SignalData } from './signaling';

/** No STUN or TURN server ships: on loopback and a LAN, browsers connect host to host.
 * A deployment across NATs lists its TURN server here (docs/SHOWS.md, "TURN"). */
const ICE_SERVERS: RTCIceServer[] = [];
/** The longest chat message shown (the call page's input takes at most this many). */
export const CHAT_MAX = 500;
/** How long a description waits for the browser's own candidates, to send them in it. */
const GATHER_MS = 2000;

/** Where this side's signals go: the relay, to the other party. */
export interface Relay {
  signal(data: SignalData): boolean;
  description(local: { type: RTCSdpType; sdp: string }, early: RTCIceCandidateInit[]): void;
}

/** What the connection reports. */
export interface PeerEvents {
  /** A track of the other side arrived; `stream` holds all of theirs. */
  track(stream: MediaStream): void;
  /** The chat channel opened (`true`) or closed. */
  chat(open: boolean): void;
  /** A chat message from the other side (at most `CHAT_MAX` characters). */
  message(text: string): void;
  /** The connection's state changed. */
  state(state: RTCPeerConnectionState): void;
  /** This side sends its description: an offer (calling) or an answer (answering). */
  describing(type: 'offer' | 'answer'): void;
  /** A signal from the other side could not be applied. */
  failed(error: Error): void;
  /** The connection went (the other side left, or a new one replaces it): their stream
   * and the chat with it. */
  reset(): void;
}

export class Peer {
  private current: RTCPeerConnection | null = null;
  /** Chat messages received from the other side, in order. */
  readonly messages: string[] = [];
  /** Chat messages sent from this page, in order. */
  readonly sent: string[] = [];
  /** Resolves once the camera started or failed (`media` then names the stream). */
  readonly ready: Promise<void>;
  private media: MediaStream | null = null;
  private channel: RTCDataChannel | null = null;
  private remote = new MediaStream();
  /** Candidates that arrived before the description they belong to. */
  private pending: RTCIceCandidateInit[] = [];
  /** Signals are handled one after another: a candidate waits for its description. */
  private signals: Promise<void> = Promise.resolve();
  private calling = false;
  private stopped = false;

  /** `media`: this side's camera, or null without one. */
  constructor(
    readonly role: Role,
    private readonly relay: Relay,
    private readonly events: PeerEvents,
    media: Promise<MediaStream | null>,
  ) {
    this.ready = media.then((stream) => {
      if (this.stopped) stream?.getTracks().forEach((track) => track.stop());
      else this.media = stream;
    });
  }

  /** The current connection, if any. */
  get pc(): RTCPeerConnection | null {
    return this.current;
  }

  /** Whether the current connection is up. */
  get connected(): boolean {
    return this.current?.connectionState === 'connected';
  }

  /** Sends a chat message; the text sent (trimmed), or null when there is nothing to
   * send or the chat channel is not open. */
  chat(text: string): string | null {
    const trimmed = text.trim();
    if (!trimmed || this.channel?.readyState !== 'open') return null;
    this.channel.send(trimmed);
    this.sent.push(trimmed);
    return trimmed;
  }

  /** Ends the current connection (the other side left, or a new offer replaces it). */
  reset(): void {
    this.channel?.close();
    this.channel = null;
    this.current?.close();
    this.current = null;
    this.pending = [];
    this.remote.getTracks().forEach((track) => this.remote.removeTrack(track));
    this.remote = new MediaStream();
    this.events.reset();
  }

  /** Ends the call for good: the connection and the camera. */
  stop(): void {
    this.stopped = true;
    this.reset();
    this.media?.getTracks().forEach((track) => track.stop());
    this.media = null;
  }

  /** The viewer calls: a chat channel, the camera, an offer (one at a time). */
  async offer(): Promise<void> {
    if (this.role !== 'viewer' || this.stopped || this.calling) return;
    this.calling = true;
    try {
      await this.ready;
      const peer = this.create();
      this.wire(peer.createDataChannel('chat'));
      if (!this.media) {
        peer.addTransceiver('video', { direction: 'recvonly' });
        peer.addTransceiver('audio', { direction: 'recvonly' });
      }
      this.events.describing('offer');
      await this.describe(peer);
    } finally {
      this.calling = false;
    }
  }

  /** The other side is (back) at the relay: a connection that is neither new nor
   * connecting is dropped, and without one the viewer calls again. */
  rejoined(): Promise<void> {
    const state = this.current?.connectionState;
    if (this.current && state !== 'new' && state !== 'connecting') this.reset();
    return this.current ? Promise.resolve() : this.offer();
  }

  /** A signal from the other side, applied after the ones before it. */
  receive(data: SignalData): void {
    this.signals = this.signals.then(() => this.apply(data)).catch((error: unknown) => this.events.failed(error as Error));
  }

  private async apply(data: SignalData): Promise<void> {
    if (this.stopped) return;
    const description = data.description;
    if (description?.type === 'offer' && this.role === 'performer') {
      await this.ready;
      const peer = this.create();
      await peer.setRemoteDescription(description);
      for (const candidate of this.pending.splice(0)) await peer.addIceCandidate(candidate).catch(() => undefined);
      this.events.describing('answer');
      await this.describe(peer);
    } else if (description?.type === 'answer' && this.role === 'viewer') {
      if (!this.current || this.current.signalingState !== 'have-local-offer') return;
      const peer = this.current;
      await peer.setRemoteDescription(description);
      for (const candidate of this.pending.splice(0)) await peer.addIceCandidate(candidate).catch(() => undefined);
    } else if (data.candidate) {
      if (this.current?.remoteDescription) await this.current.addIceCandidate(data.candidate).catch(() => undefined);
      else this.pending.push(data.candidate);
    }
  }

  /** A new connection in place of the current one, with this side's camera. */
  private create(): RTCPeerConnection {
    this.reset();
    const peer = new RTCPeerConnection({ iceServers: ICE_SERVERS, bundlePolicy: 'max-bundle' });
    this.current = peer;
    peer.ontrack = (event) => {
      if (this.current !== peer) return;
      this.remote.addTrack(event.track);
      this.events.track(this.remote);
    };
    peer.onconnectionstatechange = () => {
      if (this.current === peer && !this.stopped) this.events.state(peer.connectionState);
    };
    peer.ondatachannel = (event) => {
      if (this.current === peer && event.channel.label === 'chat') this.wire(event.channel);
    };
    const media = this.media;
    if (media) media.getTracks().forEach((track) => peer.addTrack(track, media));
    return peer;
  }

  /** The chat over `opened`. */
  private wire(opened: RTCDataChannel): void {
    this.channel = opened;
    const enable = (on: boolean) => {
      if (this.channel === opened) this.events.chat(on);
    };
    opened.onopen = () => enable(true);
    opened.onclose = () => enable(false);
    opened.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      // The other browser is not bound by this page's input limit.
      const text = event.data.slice(0, CHAT_MAX);
      this.messages.push(text);
      this.events.message(text);
    };
    if (opened.readyState === 'open') enable(true);
  }

  /** Sets and sends this side's description (offer or answer) with the candidates
   * gathered within `GATHER_MS`; later candidates follow one by one. */
  private async describe(peer: RTCPeerConnection): Promise<void> {
    const early: RTCIceCandidateInit[] = [];
    let described = false;
    let gathered: () => void = () => undefined;
    const complete = new Promise<void>((resolve) => (gathered = resolve));
    peer.onicecandidate = (event) => {
      if (this.current !== peer) return;
      if (!event.candidate) return gathered();
      if (described) this.relay.signal({ candidate: event.candidate.toJSON() });
      else early.push(event.candidate.toJSON());
    };
    await peer.setLocalDescription();
    await Promise.race([complete, new Promise((resolve) => setTimeout(resolve, GATHER_MS))]);
    if (this.current !== peer || !peer.localDescription) return;
    const local = peer.localDescription;
    described = true;
    this.relay.description({ type: local.type, sdp: local.sdp }, early);
  }
}
