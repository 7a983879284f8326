// End-to-end tests of the web client in headless Chromium against `scripts/dev --demo`:
// a real node, the deployed contracts, the indexer and API on SQLite, seeded demo data.
// Screenshots of each view land in $LIVESTARS_WEB_ARTIFACTS (default target/web-artifacts).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { TestWallet } from './test-wallet.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = process.env.LIVESTARS_WEB_ARTIFACTS ?? join(root, 'target/web-artifacts');
// The demo's accounts (scripts/seed-demo): performers Bob, Charlie, Ferdie.
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
const PERFORMERS = 3;

let dev;
let devOutput = '';
let base;
let browser;

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

/** Starts `scripts/dev --demo` on free ports and waits until it says it is running. */
async function startDev() {
  const [nodePort, apiPort] = [await freePort(), await freePort()];
  const child = spawn(join(root, 'scripts/dev'), ['--demo'], {
    env: {
      ...process.env,
      LIVESTARS_NODE_PORT: String(nodePort),
      LIVESTARS_LISTEN: `127.0.0.1:${apiPort}`,
      LIVESTARS_DEV_DIR: mkdtempSync(join(tmpdir(), 'livestars-web-')),
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`scripts/dev did not come up:\n${devOutput}`)), 20 * 60_000);
    const read = (chunk) => {
      devOutput += chunk;
      if (devOutput.includes('livestars is running')) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      // A pending timer would keep the test process alive for the full 20 minutes.
      clearTimeout(timer);
      fail(new Error(`scripts/dev exited (${code}):\n${devOutput}`));
    });
  });
  return { child, base: `http://127.0.0.1:${apiPort}` };
}

/** Waits until `status` reads `expected`; on timeout, fails with what it read instead. */
async function expectText(status, expected, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = await status.innerText().catch(() => '');
    if (typeof expected === 'string' ? text.includes(expected) : expected.test(text)) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`expected ${expected} in ${status}, read ${JSON.stringify(text)}`);
}

async function screenshot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  ({ child: dev, base } = await startDev());
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
});

after(async () => {
  await browser?.close();
  if (dev?.exitCode === null) process.kill(-dev.pid, 'SIGTERM');
});

test('the leaderboard lists the demo performers and switches ranking and window', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base);
  const rows = page.locator('table.board tbody tr');
  await assert.doesNotReject(rows.nth(PERFORMERS - 1).waitFor());
  assert.equal(await rows.count(), PERFORMERS);
  // By tips: Bob received 25 + 10 + 12 LIVE, the most.
  await page.getByLabel('Rank by').selectOption('tips');
  await page.locator('table.board tbody tr:first-child td', { hasText: '47 LIVE' }).waitFor();
  await page.getByLabel('Window').selectOption('24h');
  await page.locator('table.board tbody tr:first-child td', { hasText: '47 LIVE' }).waitFor();
  // The live feed shows the six demo tips.
  assert.equal(await page.locator('#feed li.tip').count(), 6);
  assert.match(await page.locator('#feed .status').innerText(), /live/);
  await screenshot(page, 'leaderboard');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'leaderboard-phone');
  await page.close();
});

test('a performer page shows totals and rating terms, and Verify matches the contract', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base);
  await page.locator(`table.board a:has(span[title="${CHARLIE}"])`).click();
  await page.waitForURL(`**/#/performer/${CHARLIE}`);
  // Charlie received 40 + 5 LIVE in the demo; 2.5% went to the treasury and 1% was burned.
  await page.getByTestId('gross-LIVE').filter({ hasText: '45 LIVE' }).waitFor();
  assert.equal(await page.getByTestId('net-LIVE').innerText(), '43.425 LIVE');
  // Alice and Dave rated Charlie.
  await expectText(page.locator('dl.terms'), 'from 2 voters');
  await page.getByRole('button', { name: 'Verify' }).click();
  const audit = page.getByTestId('audit');
  await audit.waitFor();
  assert.match(await audit.innerText(), /✓ match/);
  await screenshot(page, 'performer-verified');
  await page.close();
});

test('without a wallet extension, connecting says what to install', async () => {
  const page = await browser.newPage();
  await page.goto(base);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByRole('alert').filter({ hasText: 'No wallet extension found' }).waitFor();
  await page.close();
});

test('tipping from a wallet: refusals are explained, one signature per tip, then the tip lands live', async () => {
  const wallet = await TestWallet.create('//Bob');
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await wallet.inject(context);
  const page = await context.newPage();
  await page.goto(`${base}/#/performer/${CHARLIE}`);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  assert.equal(await page.getByLabel('Account').inputValue(), wallet.address);
  await page.getByTestId('gross-LIVE').filter({ hasText: '45 LIVE' }).waitFor();

  const tipStatus = page.locator('form[aria-label="Tip this performer"] .form-status');
  const rateStatus = page.locator('form[aria-label="Rate this performer"] .form-status');
  const tip = async (amount, memo = '') => {
    await page.getByLabel('Amount (LIVE)').fill(amount);
    await page.getByLabel(/^Memo/).fill(memo);
    await page.getByRole('button', { name: 'Tip', exact: true }).click();
  };

  // Bob holds about 45 LIVE from the demo tips (47 less fee and burn): far less than this.
  await tip('1000000');
  await expectText(tipStatus, 'Insufficient balance');
  assert.equal(wallet.signed, 0);

  wallet.refuse = true;
  await tip('5');
  await expectText(tipStatus, 'You rejected the request in your wallet');
  wallet.refuse = false;

  // Bob never approved anything: LIVE moves the tip from his own balance, one signature.
  await tip('5', 'great show');
  await expectText(tipStatus, /Tip of 5 LIVE confirmed in block #\d+/);
  assert.equal(wallet.signed, 1);
  assert.match(await tipStatus.innerText(), /Memo committed as 0x/);
  // The tip reaches the live feed (with its 1% burned) and the performer's totals through
  // the indexer: the gross is what Bob paid, the net what reached Charlie.
  await page
    .locator('#feed li.tip', { hasText: '5 LIVE (0.05 burned as rating stake)' })
    .filter({ has: page.locator(`span[title="${wallet.address}"]`) })
    .first()
    .waitFor();
  await page.getByTestId('gross-LIVE').filter({ hasText: '50 LIVE' }).waitFor();
  await page.getByTestId('net-LIVE').filter({ hasText: '48.25 LIVE' }).waitFor();
  await screenshot(page, 'tip-confirmed');

  // Every tip is one signature.
  await tip('1');
  await expectText(tipStatus, 'Tip of 1 LIVE confirmed');
  assert.equal(wallet.signed, 2);
  await page.getByTestId('gross-LIVE').filter({ hasText: '51 LIVE' }).waitFor();

  // Having tipped, Bob may rate Charlie.
  await page.getByLabel('4 ★').check();
  await page.getByRole('button', { name: 'Rate', exact: true }).click();
  await expectText(rateStatus, /rating is recorded in block #\d+/);
  // Alice and Dave rated Charlie in the demo; the page shows Bob as the third voter.
  await expectText(page.locator('dl.terms'), 'from 3 voters');
  assert.equal(wallet.signed, 3);
  await screenshot(page, 'rated');
  await context.close();
});

test('a viewer who never tipped is told why they cannot rate', async () => {
  const wallet = await TestWallet.create('//Ferdie');
  const context = await browser.newContext();
  await wallet.inject(context);
  const page = await context.newPage();
  await page.goto(`${base}/#/performer/${CHARLIE}`);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByLabel('Account').waitFor();
  await page.getByRole('button', { name: 'Rate', exact: true }).click();
  await expectText(page.locator('form[aria-label="Rate this performer"] .form-status'), 'Only viewers who tipped');
  assert.equal(wallet.signed, 0);
  await context.close();
});

test('an unreachable chain is reported and nothing is signed', async () => {
  const wallet = await TestWallet.create('//Bob');
  const context = await browser.newContext();
  await wallet.inject(context);
  const page = await context.newPage();
  const closed = await freePort();
  await page.route('**/v1/chain', async (route) => {
    const info = await (await route.fetch()).json();
    await route.fulfill({ json: { ...info, node_url: `ws://127.0.0.1:${closed}` } });
  });
  await page.goto(`${base}/#/performer/${CHARLIE}`);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByLabel('Account').waitFor();
  await page.getByLabel('Amount (LIVE)').fill('1');
  await page.getByRole('button', { name: 'Tip', exact: true }).click();
  await expectText(page.locator('form[aria-label="Tip this performer"] .form-status'), 'cannot be reached');
  assert.equal(wallet.signed, 0);
  await context.close();
});
