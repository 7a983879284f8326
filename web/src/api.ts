// Typed reads from the livestars API (`/v1`, same origin). Shapes follow /v1/openapi.json, which the API generates from its Rust types (api/src/openapi.rs).

export interface Rating {
  rating_ppm: number;
  /** Decayed LIVE stake (base units) of all supporters. */
  support: string;
  support_ppm: number;
  stars_milli: number;
  /** How many supporters gave stars. */
  voters: number;
  /** Decayed stake (base units) of the supporters who gave stars. */
  vote_weight: string;
  params_version: number;
  at: number;
}

export interface Totals {
  token: string;
  tips: number;
  gross: string;
  net: string;
  supporters: number;
  last_tip_at: number;
}

/** A public profile document (issue 11): what the performer chose to show. Its
 * canonical JSON (keys in this order) hashes to the on-chain commitment. */
export interface ProfileDocument {
  age_range: string | null;
  avatar: string | null;
  bio: string;
  gender: string | null;
  languages: string[];
  schedule: string | null;
  stage_name: string;
  tags: string[];
}

export interface PublicProfile {
  performer: string;
  commitment: string;
  document: ProfileDocument;
  avatar_url: string | null;
}

export interface Performer {
  account: string;
  profile: string;
  /** The most of a tip (bps) the performer accepts to lose to the platform fee and the
   * rating stake together. */
  max_fee_bps: number;
  splits: [string, number][];
  adult_verifier: string | null;
  registered_block: number;
  totals: Totals[];
  rating: Rating;
  public_profile: PublicProfile | null;
  /** Online now, as the performer last said (signed). */
  online: boolean;
}

export interface Tip {
  id: string;
  block: number;
  event_index: number;
  tip_id: number;
  viewer: string;
  performer: string;
  token: string | null;
  gross: string;
  platform_fee: string;
  treasury: string;
  /** Burned as the tip's rating stake (LIVE tips only; "0" for native). */
  burned: string;
  splits: { recipient: string; amount: string }[];
  net: string;
  memo: string | null;
  at: number;
}

export interface LeaderboardEntry {
  rank: number;
  performer: string;
  rating: Rating;
  tips_gross: string;
  tips: number;
  supporters: number;
}

export interface Audit {
  performer: string;
  block: number;
  block_hash: string;
  block_time: number;
  events_replayed: number;
  recomputed: Rating;
  on_chain: Rating;
  match: boolean;
}

export interface Status {
  indexed_block: number | null;
  finalized_head: number;
  lag: number;
  caught_up: boolean;
}

export interface ChainInfo {
  node_url: string;
  live_token: string;
  token_symbol: string;
  token_decimals: number;
  /** Named by signed profile statements; null while the API cannot reach the node. */
  genesis_hash: string | null;
}

export interface Earnings {
  performer: string;
  block: number | null;
  totals: Totals[];
  /** The last 30 UTC days, oldest first: LIVE received (gross) and tips. */
  days: { start: number; tips: number; gross: string }[];
}

/** A performer's private-show offer (`GET /v1/performers/{account}/show-terms`). */
export interface ShowTerms {
  performer: string;
  /** Base units of LIVE per minute. */
  price_per_minute: string;
  /** `false`: new shows are paused (open ones run on). */
  available: boolean;
}

/** A private show (docs/SHOWS.md): a deposit earned per whole second by the performer,
 * the rest refunded to the viewer when either side ends it. Amounts in base units. */
export interface Show {
  show_id: number;
  viewer: string;
  performer: string;
  price_per_minute: string;
  fee_bps: number;
  burn_bps: number;
  deposit: string;
  /** Gross paid to the performer to date (claims and the end). */
  paid: string;
  platform_fee: string;
  burned: string;
  /** What reached the performer. */
  net: string;
  refunded: string;
  /** Block time (ms) of the block that opened it. */
  opened_at: number;
  opened_block: number;
  ended_at: number | null;
  ended_block: number | null;
  ended_by: string | null;
  billed_seconds: number | null;
  open: boolean;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type Sort = 'account' | 'rating' | 'tips_24h' | 'tips_7d' | 'tips_30d' | 'tips_all' | 'newest';

/** `GET /v1/performers` filters and order. */
export interface Discover {
  sort?: Sort;
  tag?: string;
  language?: string;
  q?: string;
  min_rating?: number;
  attested?: boolean;
  online?: boolean;
  cursor?: string;
  limit?: number;
}

export type By = 'rating' | 'tips';
export type Window = '24h' | '7d' | '30d' | 'all';

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
    get<Page<LeaderboardEntry>>('/leaderboard', { by, window, cursor, limit: 20 }),
  performer: (address: string) => get<Performer>(`/performers/${account(address)}`),
  performerTips: (address: string) => get<Page<Tip>>(`/performers/${account(address)}/tips`, { limit: 20 }),
  tips: (limit: number) => get<Page<Tip>>('/tips', { limit }),
  audit: (address: string) => get<Audit>(`/ratings/${account(address)}/audit`),
  chain: () => get<ChainInfo>('/chain'),
  earnings: (address: string) => get<Earnings>(`/performers/${account(address)}/earnings`),
  checkProfile: (document: ProfileDocument, avatar: string | null) =>
    request<{ commitment: string }>('POST', '/profiles/check', {}, { document, avatar }),
  publishProfile: (address: string, document: ProfileDocument, avatar: string | null, signature: string) =>
    request<PublicProfile>('PUT', `/performers/${account(address)}/profile`, {}, { document, avatar, signature }),
  setPresence: (address: string, until: number, signedAt: number, signature: string) =>
    request<{ online: boolean; until: number }>('PUT', `/performers/${account(address)}/presence`, {}, { until, signed_at: signedAt, signature }),
  withdrawProfile: (address: string, signature: string) =>
    request<void>('DELETE', `/performers/${account(address)}/profile`, {}, { signature }),
  status: () => get<Status>('/status'),
  showTerms: (performer: string) => get<ShowTerms>(`/performers/${account(performer)}/show-terms`),
  /** The shows `address` is a party to (as viewer or performer), newest first. */
  shows: (address: string, query: { open?: boolean; cursor?: number; limit?: number } = {}) =>
    get<Page<Show>>(`/accounts/${account(address)}/shows`, { ...query }),
  show: (id: number) => get<Show>(`/shows/${id}`),
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
