// A private show's call on its page (`#/show/ID`): the two videos, the call's state, the
// meter, the chat, and the buttons to end the show or claim what is earned. It wires the
// relay client (call/signaling.ts) and the peer connection (call/peer.ts) to the page;
// the meter's arithmetic is call/meter.ts.

import { api, indexed, loadChainInfo, type Show } from '../api';
import { localMedia, mediaProblem } from '../call/media';
import { Peer, type PeerEvents } from '../call/peer';
import { closeMeaning, signalUrl, Signaling, type RelayMessage, type Role, type SignalingEvents } from '../call/signaling';
import * as chain from '../chain';
import { h, mount } from '../dom';
import { tokens, when } from '../format';
import { UserError, type WalletAccount } from '../wallet';
import { accountLabel } from './account';
import { perform } from './form';
import { chatPanel, meterPanel, settlement, videoPanel } from './show-panels';
import { statusLine, type StatusLine } from './status';

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

/** The page's parts of a call. */
function callPage(role: Role, show: Show, sendChat: (text: string) => boolean) {
  const other: Role = role === 'viewer' ? 'performer' : 'viewer';
  const callStatus = statusLine();
  callStatus.line.id = 'call-status';
  callStatus.line.dataset.testid = 'call-status';
  const actionStatus = statusLine();
  actionStatus.line.dataset.testid = 'show-action-status';
  const parts = {
    other,
    videos: videoPanel(other),
    meter: meterPanel(role, show),
    chat: chatPanel(sendChat),
    callStatus,
    actionStatus,
    mediaStatus: h('p', { class: 'form-status error', role: 'alert', 'data-testid': 'media-status', hidden: true }),
    rejoin: h('button', { type: 'button', id: 'rejoin', hidden: true }, 'Rejoin'),
    endButton: h('button', { type: 'button', id: 'end-show', class: 'danger' }, 'End show'),
    claimButton: role === 'performer' ? h('button', { type: 'button', id: 'claim-show' }, 'Claim earnings') : null,
    final: h('div', { 'data-testid': 'show-result' }),
  };
  // What goes away when the show ends (the settlement shows instead).
  const callArea = h(
    'div',
    { class: 'call' },
    parts.videos.element,
    parts.videos.play,
    callStatus.line,
    parts.mediaStatus,
    parts.rejoin,
    ...parts.meter.elements,
    h('div', { class: 'pager' }, parts.endButton, parts.claimButton),
  );
  return { ...parts, callArea };
}

type CallPage = ReturnType<typeof callPage>;

/** Puts the call's parts on the page, under `body`. */
function mountCall(body: HTMLElement, page: CallPage, role: Role, show: Show): void {
  const otherAccount = role === 'viewer' ? show.performer : show.viewer;
  mount(
    body,
    h('p', { 'data-testid': 'show-role' }, `You are the ${role}; the ${page.other} is `, accountLabel(otherAccount, role === 'viewer'), `. Opened ${when(show.opened_at)}.`),
    h(
      'p',
      { class: 'muted small' },
      role === 'viewer'
        ? 'You pay per whole second from the moment the show opened, whether or not the performer has joined; end it whenever you like and the rest of the deposit comes back in the same transaction.'
        : 'You earn per whole second from the moment the show opened; claim what is earned at any time. Ending the show pays you the rest due and refunds the viewer.',
    ),
    page.callArea,
    page.actionStatus.line,
    page.final,
    page.chat.section,
  );
}

/** What the peer connection's events do to the page. */
function peerEvents(page: CallPage): PeerEvents {
  const { other, callStatus } = page;
  return {
    track: (stream) => page.videos.show(stream),
    chat: (open) => page.chat.enable(open),
    message: (text) => page.chat.line(`The ${other}`, text, false),
    state(state) {
      if (state === 'connected') callStatus.done(`Connected to the ${other}, browser to browser.`);
      else if (state === 'disconnected') callStatus.progress('The connection is interrupted; waiting for it to recover…');
      else if (state === 'failed') {
        callStatus.fail(
          new UserError(`This browser could not reach the ${other}'s directly. Without a TURN server (none is configured here) calls connect only on the same network.`),
        );
      }
    },
    describing: (type) => callStatus.progress(type === 'offer' ? `Calling the ${other}…` : `Answering the ${other}…`),
    failed: (error) => callStatus.fail(new UserError(`The call could not be set up: ${error.message}`)),
    reset() {
      page.videos.remote.srcObject = null;
      page.chat.enable(false);
    },
  };
}

/** What a relay message means for the call: `ended` when the show has ended. */
function onRelayMessage(message: Exclude<RelayMessage, { type: 'challenge' }>, peer: Peer, other: Role, status: StatusLine, ended: () => void): void {
  const fail = (error: unknown) => status.fail(error);
  switch (message.type) {
    case 'ready':
      status.progress(message.peer ? `Connecting to the ${other}…` : `Waiting for the ${other} to join the call…`);
      if (message.peer && !peer.pc) void peer.offer().catch(fail);
      break;
    case 'peer':
      if (message.present) {
        if (peer.connected) break;
        status.progress(`The ${other} is here; connecting…`);
        void peer.rejoined().catch(fail);
      } else if (peer.connected) {
        // Only their page's link to the relay went; the call itself goes on.
        status.progress(`Connected to the ${other}, browser to browser.`);
      } else {
        peer.reset();
        status.progress(`The ${other} left the call; waiting for them to come back. The meter keeps running until one of you ends the show.`);
      }
      break;
    case 'signal':
      peer.receive(message.data);
      break;
    case 'ended':
      ended();
      break;
    case 'dropped':
      if (!peer.connected) status.progress(`The relay could not pass a message to the ${other}, whose connection is behind. If the call does not connect, rejoin.`);
      break;
  }
}

/** The buttons that end the show and claim what is earned; `ended(block)` settles. */
function wireActions(page: CallPage, account: WalletAccount, id: number, finished: () => boolean, ended: (block?: number) => Promise<void>): void {
  const { endButton, claimButton, actionStatus } = page;
  endButton.onclick = async () => {
    const end = async () => {
      const block = await chain.call(await loadChainInfo(), account, 'end_show', [id], actionStatus.progress);
      actionStatus.done(`Show ended in block #${block}.`);
      await ended(block);
    };
    if (await perform(actionStatus, [endButton], end, { enable: () => false })) return;
    // Perhaps the other side ended it first.
    const read = await api.show(id).catch(() => null);
    if (read && !read.open) await ended();
    else endButton.disabled = false;
  };
  if (!claimButton) return;
  const claim = async () => {
    const block = await chain.call(await loadChainInfo(), account, 'claim_show', [id], actionStatus.progress);
    actionStatus.progress(`Claimed in block #${block}; waiting for livestars to index it…`);
    await indexed(block);
    const show = await api.show(id);
    page.meter.update(show);
    return `Claimed in block #${block}: ${tokens(show.paid)} LIVE paid out so far.`;
  };
  claimButton.onclick = () => perform(actionStatus, [claimButton], claim, { enable: () => !finished() });
}

/** The camera, shown on the page once it starts; null without one (the page says why). */
function startCamera(page: CallPage, finished: () => boolean): Promise<MediaStream | null> {
  return localMedia().then(
    (stream) => {
      if (!finished()) page.videos.local.srcObject = stream;
      return stream;
    },
    (error: unknown) => {
      page.mediaStatus.hidden = false;
      page.mediaStatus.textContent = error instanceof UserError ? error.message : mediaProblem(error);
      return null;
    },
  );
}

/** What the relay connection's events do to the call and the page. */
function relayEvents(page: CallPage, call: { id: number; peer: () => Peer; finished: () => boolean; ended: () => void }): SignalingEvents {
  const { callStatus } = page;
  return {
    progress: callStatus.progress,
    refused(error, closed) {
      callStatus.fail(error);
      if (closed) page.rejoin.hidden = false;
    },
    message: (message) => onRelayMessage(message, call.peer(), page.other, callStatus, call.ended),
    closed(code) {
      if (call.finished()) return;
      const goesOn = call.peer().connected ? ' The call itself goes on while both browsers stay connected.' : '';
      callStatus.fail(new UserError(closeMeaning(code) + goesOn));
      page.rejoin.hidden = code === 4403;
      // The relay said nothing of the end: ask the API whether that is why.
      void api.show(call.id).then((read) => (read.open ? undefined : call.ended()), () => undefined);
    },
  };
}

/** What tests read (`window.livestarsCall`). */
function callHooks(peer: Peer, page: CallPage, showId: number, chat: (text: string) => boolean): CallHooks {
  return {
    get pc() {
      return peer.pc;
    },
    role: peer.role,
    showId,
    chat,
    messages: peer.messages,
    sent: peer.sent,
    get firstFrameAt() {
      return page.videos.firstFrameAt();
    },
  };
}

export interface Call {
  /** The show as last read (a top-up, a claim or the end changed it). */
  update(show: Show): void;
  close(): void;
}

/** The call between the two parties of an open show, for `account` in `role`. */
export function joinCall(body: HTMLElement, account: WalletAccount, show: Show, role: Role): Call {
  const id = show.show_id;
  let finished = false;
  const sendChat = (text: string): boolean => {
    const sent = peer.chat(text);
    if (sent !== null) page.chat.line('You', sent, true);
    return sent !== null;
  };
  const page = callPage(role, show, sendChat);
  mountCall(body, page, role, show);
  const { callStatus, videos } = page;

  // The camera first (its prompt, if any, comes before the wallet's), then the relay.
  const media = startCamera(page, () => finished);
  const call = { id, peer: (): Peer => peer, finished: () => finished, ended: () => void ended() };
  const signaling = new Signaling(signalUrl(location, id), id, account, relayEvents(page, call));
  const peer: Peer = new Peer(role, signaling, peerEvents(page), media);
  const connect = () => {
    if (finished) return;
    page.rejoin.hidden = true;
    signaling.connect();
  };
  page.rejoin.onclick = connect;

  /** Closes the call: the peer connection, the camera, the relay. */
  const hangUp = () => {
    page.meter.stop();
    peer.stop();
    videos.local.srcObject = null;
    signaling.close();
    page.rejoin.hidden = true;
    page.endButton.disabled = true;
    if (page.claimButton) page.claimButton.disabled = true;
  };
  /** The show ended (either side, on-chain): close the call, show the settlement. */
  const ended = async (block?: number) => {
    if (finished) return;
    finished = true;
    hangUp();
    callStatus.progress('The show has ended; reading the settlement…');
    try {
      if (block !== undefined) await indexed(block);
      const final = await loadEnded(id);
      page.meter.final(final);
      if (final.open) throw new UserError('The show has ended on-chain, but livestars has not indexed its end yet; reload this page shortly.');
      page.callArea.hidden = true;
      page.chat.form.hidden = true;
      mount(page.final, h('h2', {}, 'Settlement'), settlement(final));
    } catch (error) {
      callStatus.fail(error);
    }
  };
  wireActions(page, account, id, () => finished, ended);

  const hooks = callHooks(peer, page, id, sendChat);
  // Only for automated browsers (the tests): a page's scripts get no handle on the chat.
  if (navigator.webdriver) window.livestarsCall = hooks;
  void peer.ready.then(connect);

  return {
    update(next: Show) {
      if (finished) return;
      page.meter.update(next);
      if (!next.open) void ended();
    },
    close() {
      finished = true;
      hangUp();
      if (window.livestarsCall === hooks) delete window.livestarsCall;
    },
  };
}
