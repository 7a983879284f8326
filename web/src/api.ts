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
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
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

async function get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const url = `/v1${path}${params.size ? `?${params}` : ''}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'The livestars API cannot be reached.');
  }
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new ApiError(response.status, body?.error?.message ?? `The API answered ${response.status}.`);
  }
  return response.json() as Promise<T>;
}

const account = (address: string) => encodeURIComponent(address);

export const api = {
  leaderboard: (by: By, window: Window, cursor?: string) =>
    get<Page<LeaderboardEntry>>('/leaderboard', { by, window, cursor, limit: 20 }),
  performer: (address: string) => get<Performer>(`/performers/${account(address)}`),
  performerTips: (address: string) => get<Page<Tip>>(`/performers/${account(address)}/tips`, { limit: 20 }),
  tips: (limit: number) => get<Page<Tip>>('/tips', { limit }),
  audit: (address: string) => get<Audit>(`/ratings/${account(address)}/audit`),
  chain: () => get<ChainInfo>('/chain'),
  status: () => get<Status>('/status'),
};

/** Resolves once the index holds `block` (the chain finalizes it first), or after 30 s. */
export async function indexed(block: number): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 500) {
    const status = await api.status().catch(() => null);
    if (status?.indexed_block != null && status.indexed_block >= block) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
