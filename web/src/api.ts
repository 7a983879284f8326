// Typed reads from the livestars API (`/v1`, same origin). The shapes are the API's own:
// src/api-types.ts is generated (`npm run api-types`, checked by `npm run check-api-types`)
// from its OpenAPI document (/v1/openapi.json, which the API generates from its Rust types,
// api/src/openapi.rs); only what that document leaves open is spelled out here.

import type { components, paths } from './api-types';
import type { RoomDocument, TipNote } from './room/document';

type Schemas = components['schemas'];
/** What `M path` answers: its 200 response's JSON. */
type Answer<P extends keyof paths, M extends 'get' | 'put' | 'post' = 'get'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;
/** The query parameters of `GET path`. */
type Query<P extends keyof paths> = paths[P]['get'] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type Rating = Schemas['Rating'];
export type Totals = Schemas['Totals'];

/** A public profile document (issue 11): what the performer chose to show. Its
 * canonical JSON (keys in this order) hashes to the on-chain commitment. The API's
 * document types it as an open object (it checks the fields itself). */
export interface ProfileDocument {
  age_range: string | null;
  avatar: string | null;
  bio: string;
  gender: string | null;
  languages: string[];
  /** The x25519 key tip messages are sealed to (0x + 64 hex). */
  message_key?: string | null;
  schedule: string | null;
  stage_name: string;
  /** The performer's own stream (HLS), played in their room. */
  stream?: string | null;
  tags: string[];
}

export type PublicProfile = Omit<Schemas['ProfileView'], 'document'> & { document: ProfileDocument };
export type Performer = Omit<Schemas['Performer'], 'public_profile'> & { public_profile: PublicProfile | null };
export type Tip = Schemas['Tip'];
export type LeaderboardEntry = Schemas['LeaderboardEntry'];
export type Audit = Schemas['Audit'];
export type Status = Schemas['Status'];
/** Where to sign: `genesis_hash` is named by signed statements; null while the API
 * cannot reach the node. */
export type ChainInfo = Schemas['Chain'];
export type Earnings = Schemas['Earnings'];
/** A performer's private-show offer (`GET /v1/performers/{account}/show-terms`). */
export type ShowTerms = Schemas['ShowTerms'];
/** A private show (docs/SHOWS.md): a deposit earned per whole second by the performer,
 * the rest refunded to the viewer when either side ends it. Amounts in base units. */
export type Show = Schemas['Show'];
export type VoucherKey = Schemas['VoucherKeyView'];
/** A performer's room: the signed menu and goal (room/document.ts) and the goal's progress. */
export type Room = Omit<Schemas['RoomView'], 'document'> & { document: RoomDocument };
/** A goal reached, as `/v1/goals/stream` announces it. */
export type GoalReached = Schemas['GoalReached'];
/** A tip with its note: the menu item and the sealed message. */
export type Note = Schemas['NoteView'];

/** A page of a list; `next_cursor` goes back as `cursor` for the next one. */
export type Page<T> = Omit<Schemas['Page_Tip'], 'items'> & { items: T[] };

/** `GET /v1/performers` filters and order. */
export type Discover = Query<'/v1/performers'>;
export type Sort = NonNullable<Discover['sort']>;
export type By = NonNullable<Query<'/v1/leaderboard'>['by']>;
export type Window = NonNullable<Query<'/v1/leaderboard'>['window']>;

/** An API error, carrying the server's JSON message when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, query: Record<string, string | number | boolean | undefined> = {}, body?: unknown): Promise<T> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const url = `/v1${path}${params.size ? `?${params}` : ''}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The livestars API cannot be reached.');
  }
  if (!response.ok) {
    const answer = await response.json().catch(() => null);
    throw new ApiError(response.status, answer?.error?.message ?? `The API answered ${response.status}.`);
  }
  return (response.status === 204 ? undefined : response.json()) as Promise<T>;
}

const get = <T>(path: string, query: Record<string, string | number | boolean | undefined> = {}) => request<T>('GET', path, query);

const account = (address: string) => encodeURIComponent(address);

export const api = {
  performers: (query: Discover) => get<Page<Performer>>('/performers', { ...query }),
  leaderboard: (by: By, window: Window, cursor?: string) =>
    get<Answer<'/v1/leaderboard'>>('/leaderboard', { by, window, cursor, limit: 20 }),
  performer: (address: string) => get<Performer>(`/performers/${account(address)}`),
  performerTips: (address: string) => get<Answer<'/v1/performers/{account}/tips'>>(`/performers/${account(address)}/tips`, { limit: 20 }),
  tips: (limit: number) => get<Answer<'/v1/tips'>>('/tips', { limit }),
  viewerTips: (address: string, limit: number) => get<Answer<'/v1/viewers/{account}/tips'>>(`/viewers/${account(address)}/tips`, { limit }),
  audit: (address: string) => get<Answer<'/v1/ratings/{account}/audit'>>(`/ratings/${account(address)}/audit`),
  chain: () => get<ChainInfo>('/chain'),
  earnings: (address: string) => get<Answer<'/v1/performers/{account}/earnings'>>(`/performers/${account(address)}/earnings`),
  checkProfile: (document: ProfileDocument, avatar: string | null) =>
    request<Answer<'/v1/profiles/check', 'post'>>('POST', '/profiles/check', {}, { document, avatar }),
  publishProfile: (address: string, document: ProfileDocument, avatar: string | null, signature: string) =>
    request<PublicProfile>('PUT', `/performers/${account(address)}/profile`, {}, { document, avatar, signature }),
  setPresence: (address: string, until: number, signedAt: number, signature: string) =>
    request<Answer<'/v1/performers/{account}/presence', 'put'>>('PUT', `/performers/${account(address)}/presence`, {}, {
      until,
      signed_at: signedAt,
      signature,
    } satisfies Schemas['SetPresence']),
  withdrawProfile: (address: string, signature: string) =>
    request<void>('DELETE', `/performers/${account(address)}/profile`, {}, { signature } satisfies Schemas['Withdraw']),
  status: () => get<Answer<'/v1/status'>>('/status'),
  room: (performer: string) => get<Room>(`/performers/${account(performer)}/room`),
  setRoom: (performer: string, document: RoomDocument, signedAt: number, signature: string) =>
    request<Room>('PUT', `/performers/${account(performer)}/room`, {}, { document, signed_at: signedAt, signature }),
  /** The newest notes on `performer`'s tips. */
  notes: (performer: string, limit = 50) => get<Page<Note>>(`/performers/${account(performer)}/notes`, { limit }),
  attachNote: (performer: string, block: number, note: TipNote) =>
    request<Note>('POST', `/performers/${account(performer)}/notes`, {}, { block, note }),
  renewOverlay: (performer: string, signedAt: number, signature: string) =>
    request<Schemas['OverlayLink']>('PUT', `/performers/${account(performer)}/overlay`, {}, { signed_at: signedAt, signature } satisfies Schemas['OverlayChange']),
  revokeOverlay: (performer: string, signedAt: number, signature: string) =>
    request<void>('DELETE', `/performers/${account(performer)}/overlay`, {}, { signed_at: signedAt, signature } satisfies Schemas['OverlayChange']),
  /** The viewers `performer` blocked on-chain. */
  blocked: (performer: string) => get<Answer<'/v1/performers/{account}/blocked'>>(`/performers/${account(performer)}/blocked`),
  overlayOwner: (token: string) => get<Answer<'/v1/overlay/{token}'>>(`/overlay/${encodeURIComponent(token)}`),
  showTerms: (performer: string) => get<Answer<'/v1/performers/{account}/show-terms'>>(`/performers/${account(performer)}/show-terms`),
  /** The shows `address` is a party to (as viewer or performer), newest first. */
  shows: (address: string, query: Query<'/v1/accounts/{account}/shows'> = {}) =>
    get<Answer<'/v1/accounts/{account}/shows'>>(`/accounts/${account(address)}/shows`, { ...query }),
  /** The show and its events. */
  show: (id: number) => get<Answer<'/v1/shows/{id}'>>(`/shows/${id}`),
  /** The voucher keys the desk sells now (docs/PRIVACY.md). */
  desk: () => get<Answer<'/v1/desk'>>('/desk'),
  openSession: (order: string, keyId: number) =>
    request<Schemas['SessionOpened']>('POST', '/desk/sessions', {}, { order, key_id: keyId } satisfies Schemas['OpenSession']),
  answerSession: (session: string, challenge: string) =>
    request<Answer<'/v1/desk/sessions/{session}', 'post'>>('POST', `/desk/sessions/${encodeURIComponent(session)}`, {}, {
      challenge,
    } satisfies Schemas['Challenge']),
  /** Submits a voucher's redemption through the API's relayer (the recipient pays nothing). */
  redeem: (voucher: Schemas['Redeem']) => request<Answer<'/v1/vouchers/redeem', 'post'>>('POST', '/vouchers/redeem', {}, voucher),
};

let chainInfo: Promise<ChainInfo> | null = null;

/** Where to sign, asked of the API once (again after a failure, or when the API could
 * not name the chain's genesis yet). */
export function loadChainInfo(): Promise<ChainInfo> {
  chainInfo ??= api.chain().then(
    (info) => {
      if (info.genesis_hash === null) chainInfo = null;
      return info;
    },
    (error: unknown) => {
      chainInfo = null;
      throw error;
    },
  );
  return chainInfo;
}

/** Resolves once the index holds `block` (the chain finalizes it first), or after 30 s. */
export async function indexed(block: number): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 500) {
    const status = await api.status().catch(() => null);
    if (status?.indexed_block != null && status.indexed_block >= block) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
