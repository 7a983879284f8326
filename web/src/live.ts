// One EventSource on `/v1/tips/stream` for the whole page (and one on `/v1/goals/stream`
// while a view listens for goals reached). The browser reconnects by
// itself and sends `Last-Event-ID`, so the API replays what was missed; views subscribe.
// Private shows have their own stream, open only while a view follows them.

import type { GoalReached, Show, Tip } from './api';

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

// `/v1/shows/stream`: one `show` event per private show opened, topped up, paid or ended.
// Opened while a view listens (the dashboard's open shows, a call page), closed after.

/** A show event, or `null` when events may have been missed (the stream reconnected or
 * lagged): then reload everything shown. */
type ShowListener = (show: (Partial<Show> & { show_id: number }) | null) => void;
const showListeners = new Set<ShowListener>();
let showSource: EventSource | null = null;
let showRetry: ReturnType<typeof setTimeout> | undefined;

function parseShow(data: string): (Partial<Show> & { show_id: number }) | null {
  try {
    const show = JSON.parse(data) as Partial<Show> | null;
    return typeof show?.show_id === 'number' ? (show as Partial<Show> & { show_id: number }) : null;
  } catch {
    return null;
  }
}

function openShows(reopened = false): void {
  const opened = new EventSource('/v1/shows/stream');
  showSource = opened;
  opened.addEventListener('show', (event) => {
    const show = parseShow((event as MessageEvent<string>).data);
    if (show) showListeners.forEach((listener) => listener(show));
  });
  opened.addEventListener('lagged', () => showListeners.forEach((listener) => listener(null)));
  let opens = reopened ? 1 : 0;
  opened.onopen = () => {
    if (opens++ > 0) showListeners.forEach((listener) => listener(null));
  };
  opened.onerror = () => {
    if (opened.readyState !== EventSource.CLOSED || showSource !== opened) return;
    showSource = null;
    showRetry = setTimeout(() => {
      showRetry = undefined;
      if (showListeners.size && !showSource) openShows(true);
    }, 2000);
  };
}

/** Calls `listener` with every show event (the show as the API then reads it) until the
 * returned function is called. */
export function onShowEvent(listener: ShowListener): () => void {
  showListeners.add(listener);
  if (!showSource && showRetry === undefined) openShows();
  return () => {
    showListeners.delete(listener);
    if (!showListeners.size) {
      showSource?.close();
      showSource = null;
      clearTimeout(showRetry);
      showRetry = undefined;
    }
  };
}

// `/v1/goals/stream`: one `goal` event per goal a tip reaches (nothing is replayed).

type GoalListener = (goal: GoalReached) => void;
const goalListeners = new Set<GoalListener>();
let goalSource: EventSource | null = null;

function openGoals(): void {
  const opened = new EventSource('/v1/goals/stream');
  goalSource = opened;
  opened.addEventListener('goal', (event) => {
    const goal = JSON.parse((event as MessageEvent<string>).data) as GoalReached;
    goalListeners.forEach((listener) => listener(goal));
  });
  opened.onerror = () => {
    // A closed source (the API answered an error) is not retried by the browser.
    if (opened.readyState !== EventSource.CLOSED || goalSource !== opened) return;
    goalSource = null;
    setTimeout(() => goalListeners.size && !goalSource && openGoals(), 2000);
  };
}

/** Calls `listener` for every goal reached until the returned function is called. */
export function onGoal(listener: GoalListener): () => void {
  goalListeners.add(listener);
  if (!goalSource) openGoals();
  return () => {
    goalListeners.delete(listener);
    if (!goalListeners.size) {
      goalSource?.close();
      goalSource = null;
    }
  };
}
