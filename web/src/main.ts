// The livestars web client: hash routes `#/` (browse performers), `#/leaderboard`,
// `#/performer/ADDRESS`, `#/dashboard` (performers), `#/verify` (18+ verifiers) and
// `#/show/ID` (a private show's call), `#/pocket` (private LIVE), the live feed beside them,
// the wallet control in the header. The last four load the chain library, so they load
// on demand.

import './style.css';
import { renderBrowse } from './views/browse';
import { renderFeed } from './views/feed';
import { renderLeaderboard } from './views/leaderboard';
import { renderPerformer } from './views/performer';
import { renderWallet } from './wallet';

const main = document.getElementById('view')!;
let leave: (() => void) | undefined;

/** Keeps the stop function of a view that loaded on demand, unless the route changed. */
function lazily(stopping: Promise<() => void>): void {
  const hash = location.hash;
  void stopping.then((stop) => {
    if (location.hash === hash) leave = stop;
    else stop();
  });
}

function route(): void {
  leave?.();
  leave = undefined;
  const performer = /^#\/(?:performer|room)\/([1-9A-HJ-NP-Za-km-z]{40,60}|0x[0-9a-fA-F]{64})$/.exec(location.hash);
  const show = /^#\/show\/(\d{1,15})$/.exec(location.hash);
  const overlay = /^#\/overlay\/([0-9a-f]{64})(?:\?.*)?$/.exec(location.hash);
  if (performer) leave = renderPerformer(main, performer[1]);
  else if (location.hash === '#/leaderboard') renderLeaderboard(main);
  else if (location.hash === '#/dashboard') lazily(import('./views/dashboard').then((view) => view.renderDashboard(main)));
  else if (location.hash === '#/verify') lazily(import('./views/verify').then((view) => view.renderVerify(main)));
  else if (location.hash === '#/pocket') lazily(import('./views/pocket').then((view) => view.renderPocket(main)));
  else if (overlay) lazily(import('./views/overlay').then((view) => view.renderOverlay(main, overlay[1], new URLSearchParams(location.hash.split('?')[1] ?? ''))));
  else if (show) lazily(import('./views/show').then((view) => view.renderShow(main, Number(show[1]))));
  else renderBrowse(main);
  main.focus({ preventScroll: true });
}

renderWallet(document.getElementById('wallet')!);
renderFeed(document.getElementById('feed')!);
window.addEventListener('hashchange', route);
route();
