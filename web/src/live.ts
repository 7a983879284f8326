// One EventSource on `/v1/tips/stream` for the whole page. The browser reconnects by
// itself and sends `Last-Event-ID`, so the API replays what was missed; views subscribe.

import type { Tip } from './api';

export type Connection = 'connecting' | 'live' | 'reconnecting';

type TipListener = (tip: Tip) => void;
type StateListener = (state: Connection) => void;
type LaggedListener = () => void;

const tipListeners = new Set<TipListener>();
const stateListeners = new Set<StateListener>();
const laggedListeners = new Set<LaggedListener>();
let state: Connection = 'connecting';
let source: EventSource | null = null;

function setState(next: Connection): void {
  state = next;
  stateListeners.forEach((listener) => listener(state));
}

function open(): void {
  source = new EventSource('/v1/tips/stream');
  source.onopen = () => setState('live');
  source.addEventListener('tip', (event) => {
    const tip = JSON.parse((event as MessageEvent<string>).data) as Tip;
    tipListeners.forEach((listener) => listener(tip));
  });
  // The server dropped tips for a slow client: listeners reload from the API.
  source.addEventListener('lagged', () => laggedListeners.forEach((listener) => listener()));
  source.onerror = () => {
    setState('reconnecting');
    // A closed source (e.g. the API answered an error) is not retried by the browser.
    if (source?.readyState === EventSource.CLOSED) {
      source = null;
      setTimeout(open, 2000);
    }
  };
}

/** Calls `onTip` for every new tip until the returned function is called. */
export function onTip(listener: TipListener, onLagged?: LaggedListener): () => void {
  if (!source) open();
  tipListeners.add(listener);
  if (onLagged) laggedListeners.add(onLagged);
  return () => {
    tipListeners.delete(listener);
    if (onLagged) laggedListeners.delete(onLagged);
  };
}

/** Calls `listener` with the connection state now and on every change. */
export function onConnection(listener: StateListener): void {
  stateListeners.add(listener);
  listener(state);
}
