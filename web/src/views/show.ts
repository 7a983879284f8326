// A private show's call (`#/show/ID`, docs/SHOWS.md): the show as the API reads it, the
// connected account's role in it (its viewer or its performer; anyone else is told they
// are not a party), then the call. The signaling relay (`/v1/shows/ID/signal`) only
// introduces the two browsers: this page answers its challenge with a wallet signature,
// then the viewer offers a WebRTC connection and the performer answers. Video, sound and
// the chat (a data channel) go browser to browser, encrypted between them.
//
// A meter counts what the show costs so far, as the contract does (whole seconds since
// the show opened at the performer's price, never more than the deposit). Either side
// ends the show on-chain (`end_show`); the performer may claim what is earned meanwhile
// (`claim_show`). When the show ends, the call closes and the page shows the settlement.

import { u8aEq } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import { api, ApiError, indexed, loadChainInfo, type Show } from '../api';
import * as chain from '../chain';
import { h, mount } from '../dom';
import { tokens, when } from '../format';
import { onShowEvent } from '../live';
import { sign, signalStatement } from '../profile';
import { onAccount, UserError, type WalletAccount } from '../wallet';
import { accountLabel } from './account';
import { statusLine } from './status';

/** No STUN or TURN server ships: on loopback and a LAN, browsers connect host to host.
 * A deployment across NATs lists its TURN server here (docs/SHOWS.md, "TURN"). */
const ICE_SERVERS: RTCIceServer[] = [];
/** The relay closes a connection that sends a larger frame (1009). */
const MAX_FRAME_BYTES = 16 * 1024;
/** The longest chat message shown (this page's input takes at most this many). */
const CHAT_MAX = 500;

/** How long a description waits for the browser's own candidates, to send them in it. */
const GATHER_MS = 2000;

type Role = 'viewer' | 'performer';

/** What the signaling relay's close codes mean (docs/SHOWS.md). */
const CLOSES: Record<number, string> = {
  4400: 'The relay could not read a message from this page (4400). Reload the page and rejoin.',
  4401: 'The relay did not accept the signature (4401). Sign with the account connected on this page, then rejoin.',
  4403: 'The connected account is not a party to this show (4403): only its viewer and its performer can join the call.',
  4404: 'No open show has this id (4404): it has ended, or livestars has not indexed it yet. Try again in a moment.',
  4408: 'The signature did not arrive within 30 seconds (4408). Rejoin and confirm in your wallet sooner.',
  4409: 'This account joined the call again (4409), in another tab or window, which took over. Use that one, or rejoin here to take it back.',
  1009: 'A message was too large for the relay (1009). Rejoin; if it happens again, please report it.',
};

function closeMeaning(code: number): string {
  return CLOSES[code] ?? `The connection to the signaling relay closed (${code}). Rejoin to continue.`;
}

/** Whether two addresses (SS58 in any format, or 0x hex) name the same account. */
export function sameAccount(a: string, b: string): boolean {
  try {
    return u8aEq(decodeAddress(a), decodeAddress(b));
  } catch {
    return a === b;
  }
}

/** What the show has cost by `now` (ms), as the contract counts it: whole seconds since it
 * opened, `floor(price_per_minute * seconds / 60)`, at most the deposit. */
export function meter(show: Show, now: number): { seconds: number; earned: bigint; refund: bigint; spent: boolean } {
  const until = show.ended_at ?? now;
  const seconds = Math.max(0, Math.floor((until - show.opened_at) / 1000));
  const deposit = BigInt(show.deposit);
  const cost = (BigInt(show.price_per_minute) * BigInt(seconds)) / 60n;
  const earned = cost < deposit ? cost : deposit;
  return { seconds, earned, refund: deposit - earned, spent: earned === deposit };
}

function clock(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')} (${seconds} s)`;
}

/** Why the camera did not start, in words. */
function mediaProblem(error: unknown): string {
  const name = (error as DOMException)?.name;
  const rest = 'You still see and hear the other side; they cannot see or hear you.';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return `Camera and microphone access was denied. Allow them for this site in the browser (the camera icon in the address bar), then reload this page. ${rest}`;
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return `No camera or microphone was found. ${rest}`;
  if (name === 'NotReadableError' || name === 'AbortError') {
    return `The camera or microphone is in use by another application. Close it, then reload this page. ${rest}`;
  }
  return `The camera could not start (${(error as Error)?.message ?? error}). ${rest}`;
}

/** The person's camera and microphone; a camera alone when there is no microphone. */
async function localMedia(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new UserError('This page needs HTTPS (or localhost) to use the camera. You still see and hear the other side; they cannot see or hear you.');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  } catch (error) {
    if ((error as DOMException)?.name !== 'NotFoundError') throw error;
    return navigator.mediaDevices.getUserMedia({ video: true });
  }
}

/** What tests read: the current peer connection, the chat. */
export interface CallHooks {
  readonly pc: RTCPeerConnection | null;
  readonly role: Role;
  readonly showId: number;
  /** Sends a chat message; `false` while the chat channel is not open. */
  chat(text: string): boolean;
  /** Chat messages received from the other side, in order. */
  readonly messages: string[];
  /** Chat messages sent from this page, in order. */
  readonly sent: string[];
  /** `Date.now()` when the other side's first video frame was shown, or null. */
  readonly firstFrameAt: number | null;
}

declare global {
  interface Window {
    livestarsCall?: CallHooks;
  }
}

interface SignalData {
  description?: RTCSessionDescriptionInit;
  candidate?: RTCIceCandidateInit;
}

type RelayMessage =
  | { type: 'challenge'; show_id: number; nonce: string }
  | { type: 'ready'; role: Role; peer: boolean }
  | { type: 'peer'; present: boolean }
  | { type: 'signal'; data: SignalData }
  | { type: 'ended' };

function settlement(show: Show): HTMLElement {
  return h(
    'dl',
    { class: 'meter', 'data-testid': 'show-final' },
    h('dt', {}, 'Ended'),
    h('dd', {}, show.ended_at ? when(show.ended_at) : '—', show.ended_by ? h('span', {}, ' by ', accountLabel(show.ended_by)) : null),
    h('dt', {}, 'Billed'),
    h('dd', { 'data-testid': 'final-seconds' }, show.billed_seconds === null ? '—' : clock(show.billed_seconds)),
    h('dt', {}, 'Paid'),
    h(
      'dd',
      { 'data-testid': 'final-paid' },
      `${tokens(show.paid)} LIVE (${tokens(show.net)} to the performer, ${tokens(show.platform_fee)} platform fee, ${tokens(show.burned)} burned as rating stake)`,
    ),
    h('dt', {}, 'Refunded to the viewer'),
    h('dd', { 'data-testid': 'final-refunded' }, `${tokens(show.refunded)} LIVE of the ${tokens(show.deposit)} LIVE deposit`),
  );
}

/** Reads the show, waiting up to `ms` for the index to hold it (it may have just opened). */
async function loadShow(id: number, ms = 30_000): Promise<Show> {
  for (let waited = 0; ; waited += 1000) {
    try {
      return await api.show(id);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404) || waited >= ms) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Waits until the API reads the show as ended (after an `end_show` or the relay's
 * `ended`), up to 30 s; answers the last read. */
async function loadEnded(id: number): Promise<Show> {
  let show = await api.show(id);
  for (let waited = 0; show.open && waited < 30_000; waited += 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    show = await api.show(id);
  }
  return show;
}

interface Call {
  /** The show as last read (a top-up, a claim or the end changed it). */
  update(show: Show): void;
  close(): void;
}

/** The call between the two parties of an open show, for `account` in `role`. */
function joinCall(body: HTMLElement, account: WalletAccount, initial: Show, role: Role): Call {
  let show = initial;
  const id = show.show_id;
  const other = role === 'viewer' ? 'performer' : 'viewer';
  const otherAccount = role === 'viewer' ? show.performer : show.viewer;

  // ---- the page ----
  const remoteVideo = h('video', { id: 'remote-video', 'data-testid': 'remote-video', autoplay: true, playsinline: true, 'aria-label': `The ${other}'s camera` });
  const localVideo = h('video', { id: 'local-video', 'data-testid': 'local-video', autoplay: true, playsinline: true, 'aria-label': 'Your camera' });
  localVideo.muted = true;
  const play = h(
    'button',
    { type: 'button', hidden: true, onclick: () => void remoteVideo.play().then(() => (play.hidden = true), () => undefined) },
    'Play the call',
  );
  const callStatus = statusLine();
  callStatus.line.id = 'call-status';
  callStatus.line.dataset.testid = 'call-status';
  const mediaStatus = h('p', { class: 'form-status error', role: 'alert', 'data-testid': 'media-status', hidden: true });
  const rejoin = h('button', { type: 'button', id: 'rejoin', hidden: true, onclick: () => connect() }, 'Rejoin');
  const elapsed = h('dd', { id: 'show-elapsed', 'data-testid': 'show-elapsed' });
  const earned = h('dd', { id: 'show-earned', 'data-testid': 'show-earned' });
  const refund = h('dd', { id: 'show-refund', 'data-testid': 'show-refund' });
  const claimed = h('dd', { id: 'show-claimed', 'data-testid': 'show-claimed' });
  const deposit = h('dd', { 'data-testid': 'show-deposit' });
  const spentNote = h('p', { class: 'form-status', role: 'status', hidden: true }, 'The deposit is spent: the show costs nothing more. End it to settle.');
  const actionStatus = statusLine();
  actionStatus.line.dataset.testid = 'show-action-status';
  const endButton = h('button', { type: 'button', id: 'end-show', class: 'danger' }, 'End show');
  const claimButton = role === 'performer' ? h('button', { type: 'button', id: 'claim-show' }, 'Claim earnings') : null;
  const log = h('ol', { class: 'chat-log', id: 'chat-log', 'data-testid': 'chat-log', 'aria-label': 'Chat', 'aria-live': 'polite' });
  const chatInput = h('input', { id: 'chat-input', autocomplete: 'off', maxlength: CHAT_MAX, disabled: true, 'aria-label': 'Message' });
  const chatSend = h('button', { type: 'submit', id: 'chat-send', disabled: true }, 'Send');
  const final = h('div', { 'data-testid': 'show-result' });

  const meterList = h(
    'dl',
    { class: 'meter', 'data-testid': 'meter', 'aria-label': 'What the show costs so far' },
    h('dt', {}, 'Time'),
    elapsed,
    h('dt', {}, role === 'viewer' ? 'Cost so far' : 'Earned so far'),
    earned,
    h('dt', {}, 'Refund if ended now'),
    refund,
    h('dt', {}, 'Deposit'),
    deposit,
    h('dt', {}, 'Paid out so far'),
    claimed,
  );
  const tick = () => {
    const now = meter(show, Date.now());
    elapsed.textContent = clock(now.seconds);
    earned.textContent = `${tokens(now.earned)} LIVE`;
    refund.textContent = `${tokens(now.refund)} LIVE`;
    spentNote.hidden = !now.spent;
  };
  const describeShow = () => {
    deposit.textContent = `${tokens(show.deposit)} LIVE at ${tokens(show.price_per_minute)} LIVE a minute`;
    claimed.textContent = `${tokens(show.paid)} LIVE (${tokens(show.net)} LIVE reached the performer)`;
    tick();
  };
  describeShow();
  const ticking = setInterval(tick, 1000);

  // What goes away when the show ends (the settlement shows instead).
  const callArea = h(
    'div',
    { class: 'call' },
    h(
      'div',
      { class: 'videos' },
      h('figure', {}, remoteVideo, h('figcaption', {}, `The ${other}`)),
      h('figure', { class: 'self' }, localVideo, h('figcaption', {}, 'You')),
    ),
    play,
    callStatus.line,
    mediaStatus,
    rejoin,
    meterList,
    spentNote,
    h('div', { class: 'pager' }, endButton, claimButton),
  );
  const chatForm = h(
    'form',
    {
      class: 'chat-form',
      'aria-label': 'Send a chat message',
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (sendChat(chatInput.value)) chatInput.value = '';
      },
    },
    chatInput,
    chatSend,
  );

  mount(
    body,
    h(
      'p',
      { 'data-testid': 'show-role' },
      `You are the ${role}; the ${other} is `,
      accountLabel(otherAccount, role === 'viewer'),
      `. Opened ${when(show.opened_at)}.`,
    ),
    h(
      'p',
      { class: 'muted small' },
      role === 'viewer'
        ? 'You pay per whole second from the moment the show opened, whether or not the performer has joined; end it whenever you like and the rest of the deposit comes back in the same transaction.'
        : 'You earn per whole second from the moment the show opened; claim what is earned at any time. Ending the show pays you the rest due and refunds the viewer.',
    ),
    callArea,
    actionStatus.line,
    final,
    h(
      'section',
      { 'aria-labelledby': 'chat-title', class: 'chat' },
      h('h2', { id: 'chat-title' }, 'Chat'),
      h('p', { class: 'muted small' }, 'Goes browser to browser: livestars never sees it, and nothing keeps it after the call.'),
      log,
      chatForm,
    ),
  );

  // ---- the call ----
  let socket: WebSocket | null = null;
  let pc: RTCPeerConnection | null = null;
  let channel: RTCDataChannel | null = null;
  let media: MediaStream | null = null;
  let mediaReady: Promise<void> | null = null;
  let remote = new MediaStream();
  /** Candidates that arrived before the description they belong to. */
  let pending: RTCIceCandidateInit[] = [];
  /** Signals are handled one after another: a candidate waits for its description. */
  let signals: Promise<void> = Promise.resolve();
  let finished = false;
  const messages: string[] = [];
  const sent: string[] = [];
  let firstFrameAt: number | null = null;

  const relay = (message: object): boolean => {
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  };

  const line = (who: string, text: string, mine: boolean) => {
    log.append(h('li', { class: mine ? 'mine' : 'theirs' }, h('strong', {}, `${who}: `), text));
    log.scrollTop = log.scrollHeight;
  };

  function sendChat(text: string): boolean {
    const trimmed = text.trim();
    if (!trimmed || channel?.readyState !== 'open') return false;
    channel.send(trimmed);
    sent.push(trimmed);
    line('You', trimmed, true);
    return true;
  }

  const wire = (opened: RTCDataChannel) => {
    channel = opened;
    const enable = (on: boolean) => {
      if (channel !== opened) return;
      chatInput.disabled = !on;
      chatSend.disabled = !on;
    };
    opened.onopen = () => enable(true);
    opened.onclose = () => enable(false);
    opened.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      // The other browser is not bound by this page's input limit.
      const text = event.data.slice(0, CHAT_MAX);
      messages.push(text);
      line(`The ${other}`, text, false);
    };
    if (opened.readyState === 'open') enable(true);
  };

  const watchFirstFrame = () => {
    if (firstFrameAt !== null) return;
    const seen = () => {
      firstFrameAt ??= Date.now();
    };
    // Not in every browser yet; `loadeddata` is when the first frame is there.
    if (typeof remoteVideo.requestVideoFrameCallback === 'function') remoteVideo.requestVideoFrameCallback(seen);
    else remoteVideo.addEventListener('loadeddata', seen, { once: true });
  };

  /** Ends the current peer connection (the other side left, or a new offer replaces it). */
  const resetPeer = () => {
    channel?.close();
    channel = null;
    pc?.close();
    pc = null;
    pending = [];
    remote.getTracks().forEach((track) => remote.removeTrack(track));
    remote = new MediaStream();
    remoteVideo.srcObject = null;
    chatInput.disabled = true;
    chatSend.disabled = true;
  };

  const createPeer = (): RTCPeerConnection => {
    resetPeer();
    const peer = new RTCPeerConnection({ iceServers: ICE_SERVERS, bundlePolicy: 'max-bundle' });
    pc = peer;
    peer.ontrack = (event) => {
      if (pc !== peer) return;
      remote.addTrack(event.track);
      if (remoteVideo.srcObject !== remote) {
        remoteVideo.srcObject = remote;
        watchFirstFrame();
      }
      remoteVideo.play().then(
        () => (play.hidden = true),
        (error: DOMException) => {
          // Autoplay with sound needs a gesture on some browsers: one click plays it.
          if (error?.name === 'NotAllowedError') play.hidden = false;
        },
      );
    };
    peer.onconnectionstatechange = () => {
      if (pc !== peer || finished) return;
      if (peer.connectionState === 'connected') callStatus.done(`Connected to the ${other}, browser to browser.`);
      else if (peer.connectionState === 'disconnected') callStatus.progress('The connection is interrupted; waiting for it to recover…');
      else if (peer.connectionState === 'failed') {
        callStatus.fail(
          new UserError(
            `This browser could not reach the ${other}'s directly. Without a TURN server (none is configured here) calls connect only on the same network.`,
          ),
        );
      }
    };
    peer.ondatachannel = (event) => {
      if (pc === peer && event.channel.label === 'chat') wire(event.channel);
    };
    if (media) media.getTracks().forEach((track) => peer.addTrack(track, media!));
    return peer;
  };

  /** Sets and sends this side's description (offer or answer) with the candidates
   * gathered within `GATHER_MS`; later candidates follow one by one. */
  const describe = async (peer: RTCPeerConnection) => {
    const early: RTCIceCandidateInit[] = [];
    let described = false;
    let gathered: () => void = () => undefined;
    const complete = new Promise<void>((resolve) => (gathered = resolve));
    peer.onicecandidate = (event) => {
      if (pc !== peer) return;
      if (!event.candidate) return gathered();
      if (described) relay({ type: 'signal', data: { candidate: event.candidate.toJSON() } });
      else early.push(event.candidate.toJSON());
    };
    await peer.setLocalDescription();
    await Promise.race([complete, new Promise((resolve) => setTimeout(resolve, GATHER_MS))]);
    if (pc !== peer || !peer.localDescription) return;
    const local = peer.localDescription;
    described = true;
    const whole = JSON.stringify({ type: 'signal', data: { description: { type: local.type, sdp: local.sdp } } });
    if (new TextEncoder().encode(whole).length <= MAX_FRAME_BYTES) {
      if (socket?.readyState === WebSocket.OPEN) socket.send(whole);
      return;
    }
    // Too large for one frame with its candidates: the bare description, then each one.
    const bare = local.sdp
      .split('\r\n')
      .filter((row) => !row.startsWith('a=candidate:') && row !== 'a=end-of-candidates')
      .join('\r\n');
    relay({ type: 'signal', data: { description: { type: local.type, sdp: bare } } });
    early.forEach((candidate) => relay({ type: 'signal', data: { candidate } }));
  };

  /** The viewer calls: a chat channel, the camera, an offer (one at a time). */
  let calling = false;
  const offer = async () => {
    if (role !== 'viewer' || finished || calling) return;
    calling = true;
    try {
      await mediaReady;
      const peer = createPeer();
      wire(peer.createDataChannel('chat'));
      if (!media) {
        peer.addTransceiver('video', { direction: 'recvonly' });
        peer.addTransceiver('audio', { direction: 'recvonly' });
      }
      callStatus.progress(`Calling the ${other}…`);
      await describe(peer);
    } finally {
      calling = false;
    }
  };

  const onSignal = async (data: SignalData) => {
    if (finished) return;
    const description = data.description;
    if (description?.type === 'offer' && role === 'performer') {
      await mediaReady;
      const peer = createPeer();
      await peer.setRemoteDescription(description);
      for (const candidate of pending.splice(0)) await peer.addIceCandidate(candidate).catch(() => undefined);
      callStatus.progress(`Answering the ${other}…`);
      await describe(peer);
    } else if (description?.type === 'answer' && role === 'viewer') {
      if (!pc || pc.signalingState !== 'have-local-offer') return;
      const peer = pc;
      await peer.setRemoteDescription(description);
      for (const candidate of pending.splice(0)) await peer.addIceCandidate(candidate).catch(() => undefined);
    } else if (data.candidate) {
      if (pc?.remoteDescription) await pc.addIceCandidate(data.candidate).catch(() => undefined);
      else pending.push(data.candidate);
    }
  };

  const hooks: CallHooks = {
    get pc() {
      return pc;
    },
    role,
    showId: id,
    chat: (text: string) => sendChat(text),
    messages,
    sent,
    get firstFrameAt() {
      return firstFrameAt;
    },
  };
  // Only for automated browsers (the tests): a page's scripts get no handle on the chat.
  if (navigator.webdriver) window.livestarsCall = hooks;

  /** Closes the call: the peer connection, the camera, the relay. */
  const hangUp = () => {
    clearInterval(ticking);
    resetPeer();
    media?.getTracks().forEach((track) => track.stop());
    media = null;
    localVideo.srcObject = null;
    const open = socket;
    socket = null;
    open?.close(1000);
    rejoin.hidden = true;
    endButton.disabled = true;
    if (claimButton) claimButton.disabled = true;
  };

  /** The show ended (either side, on-chain): close the call, show the settlement. */
  const ended = async (block?: number) => {
    if (finished) return;
    finished = true;
    hangUp();
    callStatus.progress('The show has ended; reading the settlement…');
    try {
      if (block !== undefined) await indexed(block);
      show = await loadEnded(id);
      tick();
      if (show.open) throw new UserError('The show has ended on-chain, but livestars has not indexed its end yet; reload this page shortly.');
      callArea.hidden = true;
      chatForm.hidden = true;
      mount(final, h('h2', {}, 'Settlement'), settlement(show));
    } catch (error) {
      callStatus.fail(error);
    }
  };

  function connect(): void {
    if (finished) return;
    rejoin.hidden = true;
    const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/v1/shows/${id}/signal`;
    const ws = new WebSocket(url);
    socket = ws;
    callStatus.progress('Connecting to the signaling relay…');
    ws.onmessage = (event: MessageEvent) => {
      if (socket !== ws || typeof event.data !== 'string') return;
      let message: RelayMessage;
      try {
        message = JSON.parse(event.data) as RelayMessage;
      } catch {
        return;
      }
      switch (message.type) {
        case 'challenge': {
          const nonce = message.nonce;
          void (async () => {
            try {
              const info = await loadChainInfo();
              if (!info.genesis_hash) throw new UserError('livestars cannot reach the chain right now; rejoin shortly.');
              callStatus.progress('Sign in your wallet to join the call (a message, not a transaction)…');
              const signature = await sign(account, signalStatement(info.genesis_hash, id, nonce));
              if (socket !== ws) return;
              relay({ type: 'auth', account: account.address, signature });
              callStatus.progress('Checking the signature…');
            } catch (error) {
              callStatus.fail(error);
              if (socket === ws) {
                socket = null;
                ws.close(1000);
                rejoin.hidden = false;
              }
            }
          })();
          break;
        }
        case 'ready':
          callStatus.progress(message.peer ? `Connecting to the ${other}…` : `Waiting for the ${other} to join the call…`);
          if (message.peer && !pc) void offer().catch((error: unknown) => callStatus.fail(error));
          break;
        case 'peer':
          if (message.present) {
            if (pc?.connectionState === 'connected') break;
            callStatus.progress(`The ${other} is here; connecting…`);
            if (pc && pc.connectionState !== 'new' && pc.connectionState !== 'connecting') resetPeer();
            if (!pc) void offer().catch((error: unknown) => callStatus.fail(error));
          } else if (pc?.connectionState === 'connected') {
            // Only their page's link to the relay went; the call itself goes on.
            callStatus.progress(`Connected to the ${other}, browser to browser.`);
          } else {
            resetPeer();
            callStatus.progress(`The ${other} left the call; waiting for them to come back. The meter keeps running until one of you ends the show.`);
          }
          break;
        case 'signal': {
          const data = message.data;
          signals = signals
            .then(() => onSignal(data))
            .catch((error: unknown) => callStatus.fail(new UserError(`The call could not be set up: ${(error as Error).message}`)));
          break;
        }
        case 'ended':
          void ended();
          break;
      }
    };
    ws.onclose = (event: CloseEvent) => {
      if (socket !== ws || finished) return;
      socket = null;
      const connected = pc?.connectionState === 'connected';
      callStatus.fail(
        new UserError(
          closeMeaning(event.code) +
            (connected ? ' The call itself goes on while both browsers stay connected.' : ''),
        ),
      );
      rejoin.hidden = event.code === 4403;
      // The relay said nothing of the end: ask the API whether that is why.
      void api.show(id).then((read) => (read.open ? undefined : ended()), () => undefined);
    };
  }

  endButton.onclick = async () => {
    endButton.disabled = true;
    try {
      const block = await chain.call(await loadChainInfo(), account, 'end_show', [id], actionStatus.progress);
      actionStatus.done(`Show ended in block #${block}.`);
      await ended(block);
    } catch (error) {
      actionStatus.fail(error);
      // Perhaps the other side ended it first.
      const read = await api.show(id).catch(() => null);
      if (read && !read.open) await ended();
      else endButton.disabled = false;
    }
  };
  if (claimButton) {
    claimButton.onclick = async () => {
      claimButton.disabled = true;
      try {
        const block = await chain.call(await loadChainInfo(), account, 'claim_show', [id], actionStatus.progress);
        actionStatus.progress(`Claimed in block #${block}; waiting for livestars to index it…`);
        await indexed(block);
        show = await api.show(id);
        describeShow();
        actionStatus.done(`Claimed in block #${block}: ${tokens(show.paid)} LIVE paid out so far.`);
      } catch (error) {
        actionStatus.fail(error);
      } finally {
        claimButton.disabled = finished;
      }
    };
  }

  // The camera first (its prompt, if any, comes before the wallet's), then the relay.
  mediaReady = localMedia().then(
    (stream) => {
      if (finished) return stream.getTracks().forEach((track) => track.stop());
      media = stream;
      localVideo.srcObject = stream;
    },
    (error: unknown) => {
      mediaStatus.hidden = false;
      mediaStatus.textContent = error instanceof UserError ? error.message : mediaProblem(error);
    },
  );
  void mediaReady.then(connect);

  return {
    update(next: Show) {
      if (finished) return;
      show = next;
      describeShow();
      if (!next.open) void ended();
    },
    close() {
      finished = true;
      hangUp();
      if (window.livestarsCall === hooks) delete window.livestarsCall;
    },
  };
}

/** Renders `#/show/ID`; returns a function that closes the call. */
export function renderShow(main: HTMLElement, id: number): () => void {
  const body = h('div', { class: 'show' });
  mount(main, h('h1', {}, `Private show #${id}`), body);
  let current: WalletAccount | null = null;
  let call: Call | null = null;
  let loads = 0;

  const start = async () => {
    const run = ++loads;
    call?.close();
    call = null;
    const account = current;
    mount(body, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const show = await loadShow(id);
      if (run !== loads) return;
      if (!show.open) {
        return mount(body, h('p', { 'data-testid': 'show-ended' }, 'This show has ended.'), h('h2', {}, 'Settlement'), settlement(show));
      }
      if (!account) {
        return mount(body, h('p', { 'data-testid': 'show-connect' }, 'Connect a wallet (top right) to join this call as its viewer or its performer.'));
      }
      const role: Role | null = sameAccount(account.address, show.viewer)
        ? 'viewer'
        : sameAccount(account.address, show.performer)
          ? 'performer'
          : null;
      if (!role) {
        return mount(
          body,
          h(
            'p',
            { class: 'form-status error', role: 'alert', 'data-testid': 'not-a-party' },
            'The connected account is not a party to this show: only its viewer (',
            accountLabel(show.viewer),
            ') and its performer (',
            accountLabel(show.performer, true),
            ') can join the call.',
          ),
        );
      }
      call = joinCall(body, account, show, role);
    } catch (error) {
      if (run !== loads) return;
      const text =
        error instanceof ApiError && error.status === 404
          ? `livestars knows no show #${id}. If it was just opened, reload this page in a moment.`
          : (error as Error).message;
      mount(body, h('p', { class: 'form-status error', role: 'alert' }, text));
    }
  };

  const stopAccount = onAccount((account) => {
    if (account?.address === current?.address && call) return;
    current = account;
    void start();
  });
  const stopShows = onShowEvent((event) => {
    if (event && event.show_id !== id) return;
    void api.show(id).then((show) => call?.update(show), () => undefined);
  });
  return () => {
    loads += 1;
    stopAccount();
    stopShows();
    call?.close();
    call = null;
  };
}
