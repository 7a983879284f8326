// The livestars web client: hash routes `#/` (leaderboard) and `#/performer/ADDRESS`,
// the live feed beside them, the wallet control in the header.

import './style.css';
import { renderFeed } from './views/feed';
import { renderLeaderboard } from './views/leaderboard';
import { renderPerformer } from './views/performer';
import { renderWallet } from './wallet';

const main = document.getElementById('view')!;
let leave: (() => void) | undefined;

function route(): void {
  leave?.();
  leave = undefined;
  const performer = /^#\/performer\/([1-9A-HJ-NP-Za-km-z]{40,60}|0x[0-9a-fA-F]{64})$/.exec(location.hash);
  if (performer) leave = renderPerformer(main, performer[1]);
  else renderLeaderboard(main);
  main.focus({ preventScroll: true });
}

renderWallet(document.getElementById('wallet')!);
renderFeed(document.getElementById('feed')!);
window.addEventListener('hashchange', route);
route();
