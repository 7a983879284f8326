// End-to-end tests of the web client in headless Chromium against `scripts/dev --demo`:
// a real node, the deployed contracts, the indexer and API on SQLite, seeded demo data.
// Screenshots of each view land in $LIVESTARS_WEB_ARTIFACTS (default target/web-artifacts);

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { ContractPromise } from '@polkadot/api-contract';
import { u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import { avatarPng } from '../scripts/demo-profiles.mjs';
import { startButtplugServer } from './buttplug-server.mjs';
import { TestWallet } from './test-wallet.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = process.env.LIVESTARS_WEB_ARTIFACTS ?? join(root, 'target/web-artifacts');
// The demo's accounts (scripts/seed-demo): performers Bob, Charlie, Ferdie.
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
const PERFORMERS = 3;

let dev;
let devDir;
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
  const [nodePort, apiPort, streamPort] = [await freePort(), await freePort(), await freePort()];
  devDir = mkdtempSync(join(tmpdir(), 'livestars-web-'));
  const child = spawn(join(root, 'scripts/dev'), ['--demo'], {
    env: {
      ...process.env,
      LIVESTARS_NODE_PORT: String(nodePort),
      LIVESTARS_LISTEN: `127.0.0.1:${apiPort}`,
      LIVESTARS_STREAM_PORT: String(streamPort),
      LIVESTARS_DEV_DIR: devDir,
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

/** Polls `read()` until `done(value)`; on timeout, fails naming `what` and the last value. */
async function until(what, read, done, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  let value;
  while (Date.now() < deadline) {
    value = await read().catch((error) => ({ error: String(error) }));
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what}: timed out; last read ${JSON.stringify(value)}`);
}

/** `until`, whose failure also carries `context()`: what a log says about it. */
async function untilOr(context, ...args) {
  try {
    return await until(...args);
  } catch (error) {
    error.message += context();
    throw error;
  }
}

const LIVE = 10n ** 12n;

/** Base units as the client shows them: "27.9". */
function tokens(baseUnits) {
  const value = BigInt(baseUnits);
  const fraction = (value % LIVE).toString().padStart(12, '0').replace(/0+$/, '');
  return fraction ? `${value / LIVE}.${fraction}` : `${value / LIVE}`;
}

/** `address`'s LIVE balance (base units), read from the contract as the API's /v1/chain
 * names it, with the ABI the web client is built with. */
async function liveBalance(address) {
  const info = await (await fetch(`${base}/v1/chain`)).json();
  const metadata = JSON.parse(readFileSync(join(process.env.LIVESTARS_ARTIFACTS ?? join(root, 'target/contracts'), 'live_token.json'), 'utf8'));
  const api = await ApiPromise.create({ provider: new WsProvider(info.node_url), noInitWarn: true });
  try {
    const token = new ContractPromise(api, metadata, info.live_token);
    const { maxBlock } = api.consts.system.blockWeights;
    const method = token.abi.findMessage('PSP22::balance_of').method;
    const { result, output } = await token.query[method](address, { gasLimit: api.registry.createType('WeightV2', maxBlock), storageDepositLimit: null }, address);
    assert.ok(result.isOk && output?.isOk, `balance_of(${address}) failed`);
    return BigInt(output.asOk.toString());
  } finally {
    await api.disconnect();
  }
}

/** What a call page's peer connection reports: video frames decoded from the other side,
 * the selected candidate pair's local and remote candidate types. */
function callStats(page) {
  return page.evaluate(async () => {
    const pc = window.livestarsCall?.pc;
    if (!pc) return null;
    const stats = new Map();
    (await pc.getStats()).forEach((entry) => stats.set(entry.id, entry));
    const all = [...stats.values()];
    const framesDecoded = all.filter((s) => s.type === 'inbound-rtp' && s.kind === 'video').reduce((most, s) => Math.max(most, s.framesDecoded ?? 0), 0);
    const transport = all.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
    const pair = transport
      ? stats.get(transport.selectedCandidatePairId)
      : all.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
    return {
      connectionState: pc.connectionState,
      framesDecoded,
      local: pair ? stats.get(pair.localCandidateId)?.candidateType : null,
      remote: pair ? stats.get(pair.remoteCandidateId)?.candidateType : null,
    };
  });
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

test('the home page is a grid of public profiles, found by tag, language and stage name', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base);
  const cards = page.locator('ul.grid li.performer-card');
  await cards.nth(PERFORMERS - 1).waitFor();
  const names = async () => (await page.locator('ul.grid .stage-name').allInnerTexts()).sort();
  assert.deepEqual(await names(), ['Bruno Lume', 'Carla Ritmo', 'Ferdi Nacht']);
  // Avatars are the images their performers uploaded (drawn by the demo, 96 px).
  const avatar = page.locator(`li[data-account="${CHARLIE}"] img.avatar`);
  await avatar.waitFor();
  await page.waitForFunction((img) => img.complete && img.naturalWidth === 96, await avatar.elementHandle());
  assert.match(await page.locator(`li[data-account="${CHARLIE}"]`).innerText(), /18\+ attested by/);
  const only = async (expected) => {
    const deadline = Date.now() + 30_000;
    while (JSON.stringify(await names()) !== JSON.stringify(expected)) {
      assert.ok(Date.now() < deadline, `expected ${expected}, saw ${await names()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await page.getByRole('searchbox', { name: 'Tag', exact: true }).fill('dance');
  await only(['Carla Ritmo']);
  await page.getByRole('searchbox', { name: 'Tag', exact: true }).fill('');
  await page.getByRole('searchbox', { name: 'Language', exact: true }).fill('de');
  await only(['Ferdi Nacht']);
  await page.getByRole('searchbox', { name: 'Language', exact: true }).fill('');
  await page.getByRole('searchbox', { name: 'Stage name' }).fill('LUME');
  await only(['Bruno Lume']);
  await page.getByRole('searchbox', { name: 'Stage name' }).fill('nobody');
  await page.getByRole('status').filter({ hasText: 'No performer matches.' }).waitFor();
  // An answer overtaken by a newer search is dropped: the unfiltered list, held back until
  // the next search has been shown, does not replace it.
  const unfiltered = (url) => url.pathname === '/v1/performers' && !url.searchParams.has('q');
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(
    unfiltered,
    async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    },
    { times: 1 },
  );
  const heldRequest = page.waitForRequest((request) => unfiltered(new URL(request.url())));
  await page.getByRole('searchbox', { name: 'Stage name' }).fill('');
  await heldRequest;
  await page.getByRole('searchbox', { name: 'Stage name' }).fill('ritmo');
  await only(['Carla Ritmo']);
  const delivered = page.waitForEvent('requestfinished', (request) => unfiltered(new URL(request.url())));
  release();
  await delivered;
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
  assert.deepEqual(await names(), ['Carla Ritmo']);
  await page.getByRole('searchbox', { name: 'Stage name' }).fill('');
  await only(['Bruno Lume', 'Carla Ritmo', 'Ferdi Nacht']);
  await screenshot(page, 'browse');
  await page.locator(`li[data-account="${CHARLIE}"] a`).click();
  await page.waitForURL(`**/#/performer/${CHARLIE}`);
  await expectText(page.getByTestId('profile'), 'Carla Ritmo');
  assert.match(await page.getByTestId('profile').innerText(), /Dance and fitness/);
  await page.close();
});

test('the leaderboard lists the demo performers and switches ranking and window', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}/#/leaderboard`);
  const rows = page.locator('table.board tbody tr');
  await assert.doesNotReject(rows.nth(PERFORMERS - 1).waitFor());
  assert.equal(await rows.count(), PERFORMERS);
  // Each switch asks the API again. The demo ranks Bob first either way: by support, his
  // tips (25 + 10 + 12 LIVE) burned 0.47 LIVE, Charlie's (40 + 5) 0.45.
  const answered = (query) => page.waitForResponse((response) => response.url().includes('/v1/leaderboard?') && response.url().includes(query));
  await Promise.all([answered('by=support'), page.getByLabel('Rank by').selectOption('support')]);
  await page.locator('table.board tbody tr:first-child td', { hasText: '0.47 LIVE' }).waitFor();
  await page.locator('table.board tbody tr:first-child td', { hasText: /^47 LIVE/ }).waitFor();
  await Promise.all([answered('window=24h'), page.getByLabel('Window').selectOption('24h')]);
  await page.locator('table.board tbody tr:first-child td', { hasText: /^47 LIVE/ }).waitFor();
  // The live feed shows the six demo tips, and is connected.
  await page.locator('#feed li.tip').nth(5).waitFor();
  assert.equal(await page.locator('#feed li.tip').count(), 6);
  await expectText(page.locator('#feed .status'), '● live');
  await screenshot(page, 'leaderboard');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'leaderboard-phone');
  await page.close();
});

test('a performer page shows totals and rating terms, and Verify matches the contract', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/#/leaderboard`);
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
  const tip = async (amount) => {
    await page.getByLabel('Amount (LIVE)').fill(amount);
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
  // Charlie published no message key: there is nothing to seal a message to.
  assert.ok(await page.getByLabel('Message to the performer (optional)').isDisabled());
  await tip('5');
  await expectText(tipStatus, /Tip of 5 LIVE confirmed in block #\d+/);
  assert.equal(wallet.signed, 1);
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

test('LIVE bought privately: vouchers signed blind, redeemed into a private key that tips, rates and pays a show; pages name the key, never the wallet', async () => {
  const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
  const wallet = await TestWallet.create('//Alice');
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await wallet.inject(context);
  const page = await context.newPage();
  await page.goto(`${base}/#/pocket`);
  await page.getByRole('button', { name: 'Create my private keys' }).click();
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByLabel('Account').waitFor();

  // 21 LIVE: two 10 and one 1 voucher, one purchase (one signature) per denomination;
  // the desk signs all three blind. Nothing goes to a key yet.
  await page.getByLabel(/^Amount \(LIVE; vouchers/).fill('21');
  await page.getByRole('button', { name: 'Buy privately' }).click();
  const buyStatus = page.locator('form[aria-label="Buy LIVE privately"] .form-status');
  await expectText(buyStatus, /3 voucher\(s\) signed blind/, 180_000);
  assert.equal(wallet.signed, 2);
  await expectText(page.getByTestId('vouchers-waiting'), '3 voucher(s) waiting');

  // Redeemed through the API's relayer: the key receives 20.79 LIVE (less the relay
  // fees) and the stipends, from the contract, never from the wallet.
  await page.getByRole('button', { name: 'Redeem now' }).click();
  await expectText(page.locator('section', { has: page.getByRole('heading', { name: 'Vouchers' }) }).locator('.form-status'), '3 voucher(s) redeemed', 120_000);
  const row = page.getByTestId('pocket-keys').locator('tbody tr').first();
  await expectText(row.getByTestId('key-live'), '20.79');
  const key = await row.getAttribute('data-key');
  assert.notEqual(key, wallet.address);
  assert.equal(await liveBalance(key), 20_790_000_000_000n);
  await screenshot(page, 'pocket');

  // The key tips Bob and rates him; the wallet signs nothing more.
  await page.goto(`${base}/#/performer/${BOB}`);
  await page.locator('#tip-from').selectOption('private');
  await page.locator('form[aria-label="Tip this performer"]').getByText('your wallet signs nothing and is named nowhere').waitFor();
  await page.getByLabel('Amount (LIVE)').fill('5');
  await page.getByRole('button', { name: 'Tip', exact: true }).click();
  const tipStatus = page.locator('form[aria-label="Tip this performer"] .form-status');
  await expectText(tipStatus, /Tip of 5 LIVE from your private key .* confirmed in block #\d+/);
  await page
    .locator('ol.tips li', { hasText: '5 LIVE' })
    .filter({ has: page.locator(`span[title="${key}"]`) })
    .first()
    .waitFor({ timeout: 60_000 });
  await page.locator('#rate-from').selectOption('private');
  await page.getByLabel('5 ★').check();
  await page.getByRole('button', { name: 'Rate', exact: true }).click();
  await expectText(page.locator('form[aria-label="Rate this performer"] .form-status'), /rating is recorded in block #\d+/);
  await screenshot(page, 'private-tip');

  // And pays a one-minute private show (Bob's demo price, 6 LIVE): the call page joins
  // as the key, whose signature the relay accepts; the key ends the show.
  await page.getByLabel('Minutes').fill('1');
  await page.locator('#show-from').selectOption('private');
  await page.locator('form[aria-label="Request a private show"]').getByRole('button', { name: 'Request', exact: true }).click();
  await page.waitForURL(/#\/show\/\d+$/, { timeout: 120_000 });
  await expectText(page.getByTestId('show-role'), 'You are the viewer');
  await expectText(page.getByTestId('call-status'), 'Waiting for the performer to join the call');
  await page.getByRole('button', { name: 'End show' }).click();
  await expectText(page.getByTestId('show-action-status'), /Show ended in block #\d+/);
  assert.equal(wallet.signed, 2, 'the wallet signed only the two purchases');

  // Vouchers are sold for the native currency too (1 unit per LIVE here, plus the
  // stipend): one more signature, into a fresh key.
  await page.goto(`${base}/#/pocket`);
  await page.getByLabel(/^Amount \(LIVE; vouchers/).fill('1');
  await page.getByLabel('Pay with').selectOption('native');
  await page.getByRole('button', { name: 'Buy privately' }).click();
  await expectText(buyStatus, /1 voucher\(s\) signed blind/, 180_000);
  assert.equal(wallet.signed, 3);
  await page.getByRole('button', { name: 'Redeem now' }).click();
  const second = page.getByTestId('pocket-keys').locator('tbody tr').nth(1);
  await expectText(second.getByTestId('key-live'), '0.99', 120_000);

  // The API names the key as the tipper and the viewer; the wallet's records do not.
  const byKey = await (await fetch(`${base}/v1/viewers/${key}/tips`)).json();
  assert.equal(byKey.items.length, 1);
  assert.equal(byKey.items[0].performer, BOB);
  const byWallet = await (await fetch(`${base}/v1/viewers/${wallet.address}/tips`)).json();
  assert.ok(byWallet.items.every((tip) => tip.tip_id !== byKey.items[0].tip_id));
  const keyShows = await (await fetch(`${base}/v1/accounts/${key}/shows`)).json();
  assert.equal(keyShows.items.length, 1);
  const walletShows = await (await fetch(`${base}/v1/accounts/${wallet.address}/shows`)).json();
  assert.equal(walletShows.items.length, 0);
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

test('a performer page opened by its 0x… account shows the profile and its tips live', async () => {
  const wallet = await TestWallet.create('//Eve');
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await wallet.inject(context);
  const page = await context.newPage();
  const hex = u8aToHex(decodeAddress(CHARLIE));
  await page.goto(`${base}/#/performer/${hex}`);
  await expectText(page.getByTestId('profile'), 'Carla Ritmo');
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByLabel('Account').waitFor();
  await page.getByLabel('Amount (LIVE)').fill('2');
  await page.getByRole('button', { name: 'Tip', exact: true }).click();
  await expectText(page.locator('form[aria-label="Tip this performer"] .form-status'), /Tip of 2 LIVE confirmed/);
  // The page's list is fed by the live feed, which names Charlie in SS58.
  await page
    .locator('ol.tips li', { hasText: '2 LIVE' })
    .filter({ has: page.locator(`span[title="${wallet.address}"]`) })
    .first()
    .waitFor({ timeout: 60_000 });
  await context.close();
});

test('a performer onboards, sets a split, is attested by a verifier, then erases and leaves no profile', async () => {
  const dave = await TestWallet.create('//Dave');
  const alice = await TestWallet.create('//Alice');
  const ferdie = (await TestWallet.create('//Ferdie')).address;
  const performerContext = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
  await dave.inject(performerContext);
  const page = await performerContext.newPage();
  await page.goto(`${base}/#/dashboard`);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByRole('heading', { name: 'Become a performer' }).waitFor();
  await page.getByLabel('Stage name').fill('Dora Nova');
  await page.getByLabel('About you').fill('Cooking live, every Sunday.');
  await page.getByLabel('Tags (comma-separated)').fill('Cooking, chat');
  await page.getByLabel(/^Languages/).fill('fr');
  await page.getByLabel(/^Avatar/).setInputFiles({ name: 'dora.png', mimeType: 'image/png', buffer: avatarPng([250, 200, 60]) });
  await expectText(page.getByTestId('commitment'), /^0x[0-9a-f]{64}$/);
  await page.getByRole('button', { name: 'Register and publish' }).click();
  await expectText(page.getByTestId('notice'), 'Registered and published', 120_000);
  // One transaction (register) and one signed message (the upload).
  assert.equal(dave.signed, 2);
  await expectText(page.getByTestId('adult-status'), 'Awaiting an 18+ attestation');
  await page.getByRole('button', { name: 'Go online for 4 hours' }).click();
  await expectText(page.locator('section[aria-labelledby="presence-title"] .form-status'), 'Online until');
  assert.equal(dave.signed, 3);
  await screenshot(page, 'dashboard');

  // A 10 % split to Ferdie: of a 10 LIVE tip, 0.25 fee, 0.1 burned, 1 to Ferdie, 8.65 to Dave.
  await page.getByLabel('Split 1 recipient').fill(ferdie);
  await page.getByLabel('Split 1 share (%)').fill('10');
  await page.getByRole('button', { name: 'Set splits' }).click();
  await expectText(page.locator('form[aria-label="Splits"] .form-status'), /Splits set in block #\d+/, 120_000);
  // The preview is the contract's quote, which meets every refusal a tip meets:
  // no tips before an 18+ attestation (the division shows once attested, below).
  await expectText(page.getByTestId('split-preview'), 'no 18+ attestation yet');
  assert.equal(dave.signed, 4);

  // Found in the grid by tag and by name; not attested yet.
  const grid = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await grid.goto(base);
  const card = grid.locator(`li.performer-card[data-account="${dave.address}"]`);
  await card.waitFor();
  // The avatar chosen just before "Register and publish" was published with the profile.
  await card.locator('img.avatar').waitFor();
  assert.doesNotMatch(await card.innerText(), /18\+ attested/);
  await grid.getByRole('searchbox', { name: 'Tag', exact: true }).fill('cooking');
  await grid.locator('ul.grid li.performer-card').nth(1).waitFor({ state: 'detached' });
  assert.deepEqual(await grid.locator('ul.grid .stage-name').allInnerTexts(), ['Dora Nova']);
  await grid.getByRole('searchbox', { name: 'Tag', exact: true }).fill('');
  await grid.getByRole('searchbox', { name: 'Stage name' }).fill('dora');
  await expectText(grid.locator('ul.grid'), 'Dora Nova');
  await grid.getByRole('searchbox', { name: 'Stage name' }).fill('');
  await grid.locator('ul.grid li.performer-card').nth(PERFORMERS).waitFor();
  // Only Dora said she is online.
  await grid.getByLabel('Online now').check();
  await grid.locator('ul.grid li.performer-card').nth(1).waitFor({ state: 'detached' });
  assert.deepEqual(await grid.locator('ul.grid .stage-name').allInnerTexts(), ['Dora Nova']);
  assert.match(await card.innerText(), /online now/);
  await grid.getByLabel('Online now').uncheck();

  // The verifier attests from the console; the badge appears in the grid.
  const verifierContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await alice.inject(verifierContext);
  const console_ = await verifierContext.newPage();
  await console_.goto(`${base}/#/verify`);
  await console_.getByRole('button', { name: 'Connect wallet' }).click();
  const awaiting = console_.locator(`ul[aria-label="Awaiting attestation"] li[data-account="${dave.address}"]`);
  await awaiting.waitFor({ timeout: 60_000 });
  assert.match(await console_.locator('main').innerText(), /No document is uploaded to livestars/);
  await awaiting.getByRole('button', { name: 'Attest 18+' }).click();
  await console_.locator(`ul[aria-label="Attested by you"] li[data-account="${dave.address}"]`).waitFor({ timeout: 120_000 });
  await screenshot(console_, 'verifier-console');
  await grid.reload();
  await grid.getByRole('searchbox', { name: 'Stage name' }).fill('dora');
  await expectText(grid.locator(`li.performer-card[data-account="${dave.address}"]`), /18\+ attested by/);
  await screenshot(grid, 'browse-attested');

  // Erasure: confirmed, then gone from the grid and search; the page says so.
  await page.reload();
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await expectText(page.getByTestId('adult-status'), '18+ attested by');
  await expectText(page.getByTestId('split-preview'), '8.65 to you');
  page.once('dialog', (dialog) => {
    assert.match(dialog.message(), /Stays on-chain forever: past tip events/);
    void dialog.accept();
  });
  await page.getByRole('button', { name: 'Erase my performer account' }).click();
  await expectText(page.getByTestId('notice'), 'Erased', 120_000);
  await page.getByRole('heading', { name: 'Become a performer' }).waitFor();
  await grid.reload();
  await grid.getByRole('searchbox', { name: 'Stage name' }).fill('dora');
  await grid.getByRole('status').filter({ hasText: 'No performer matches.' }).waitFor();
  await grid.goto(`${base}/#/performer/${dave.address}`);
  await expectText(grid.getByTestId('no-profile'), 'No profile of it is kept');
  await verifierContext.close();
  await performerContext.close();
  await grid.close();
});

test("the relay's close codes reach the browser as docs/SHOWS.md lists them", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/#/leaderboard`);
  // Answers each challenge with `answer` and resolves with the close event's code.
  const codes = await page.evaluate(async () => {
    const url = `${location.origin.replace(/^http/, 'ws')}/v1/shows/999999/signal`;
    const closed = (answer) =>
      new Promise((resolve) => {
        const ws = new WebSocket(url);
        ws.onmessage = () => ws.send(answer);
        ws.onclose = (event) => resolve(event.code);
      });
    const auth = { type: 'auth', account: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', signature: `0x${'00'.repeat(64)}` };
    return [await closed('not json'), await closed(JSON.stringify(auth))];
  });
  assert.deepEqual(codes, [4400, 4401], 'malformed, then a signature that does not check');
  await page.close();
});

test('a private show: terms, a request, a direct call with chat, billing per whole second, and a stranger refused', async () => {
  const performer = await TestWallet.create('//Charlie');
  const viewer = await TestWallet.create('//Eve');
  const stranger = await TestWallet.create('//Ferdie');
  // A fake camera and microphone, granted without a prompt; loopback candidates allowed,
  // so the call connects host to host even on a machine with no other interface.
  const media = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required',
      '--allow-loopback-in-peer-connection',
    ],
  });
  try {
    // The performer offers private shows at 6 LIVE a minute (0.1 LIVE a second).
    const performerContext = await media.newContext({ viewport: { width: 1280, height: 1000 } });
    await performer.inject(performerContext);
    const stage = await performerContext.newPage();
    await stage.goto(`${base}/#/dashboard`);
    await stage.getByRole('button', { name: 'Connect wallet' }).click();
    await stage.getByRole('heading', { name: 'Private shows' }).waitFor();
    await stage.getByLabel('Price per minute (LIVE)').fill('6');
    await stage.getByLabel('Available for private shows').check();
    await stage.getByRole('button', { name: 'Save show terms' }).click();
    await expectText(stage.locator('form[aria-label="Private show terms"] .form-status'), /Show terms saved in block #\d+/, 120_000);
    await expectText(stage.getByTestId('show-terms'), '6 LIVE a minute; available');
    assert.equal(performer.signed, 1);

    // The viewer requests 5 minutes from the performer page: a 30 LIVE deposit, one signature.
    const before = await liveBalance(viewer.address);
    const viewerContext = await media.newContext({ viewport: { width: 1280, height: 1000 } });
    await viewer.inject(viewerContext);
    const room = await viewerContext.newPage();
    await room.goto(`${base}/#/performer/${CHARLIE}`);
    await room.getByRole('button', { name: 'Connect wallet' }).click();
    const request = room.locator('form[aria-label="Request a private show"]');
    await request.waitFor();
    assert.equal(await room.getByLabel('Minutes').inputValue(), '5');
    await expectText(room.getByTestId('show-deposit'), 'Deposit: 30 LIVE');
    const requested = Date.now();
    await request.getByRole('button', { name: 'Request', exact: true }).click();
    await room.waitForURL(/#\/show\/\d+$/, { timeout: 120_000 });
    const id = Number(/#\/show\/(\d+)$/.exec(room.url())[1]);
    await expectText(room.getByTestId('show-role'), 'You are the viewer');

    // The performer's dashboard lists it live; "Join call" opens the same call.
    const joinCall = stage.locator(`[data-testid="open-shows"] li[data-show-id="${id}"] a`, { hasText: 'Join call' });
    await joinCall.waitFor({ timeout: 60_000 });
    await joinCall.click();
    await stage.waitForURL(`**/#/show/${id}`);
    await expectText(stage.getByTestId('show-role'), 'You are the performer');

    // Video flows both ways, browser to browser over host candidates (no STUN, no TURN).
    const seen = await until('the viewer decodes the performer\'s video', () => callStats(room), (s) => s?.framesDecoded > 0, 120_000);
    console.log(`private show #${id}: ${Date.now() - requested} ms from Request to the viewer's first decoded frame`);
    await until('the performer decodes the viewer\'s video', () => callStats(stage), (s) => s?.framesDecoded > 0);
    for (const [side, page] of [['viewer', room], ['performer', stage]]) {
      const stats = await until(`the ${side}'s selected candidate pair is host to host`, () => callStats(page), (s) => s?.local === 'host' && s?.remote === 'host', 15_000);
      assert.equal(stats.connectionState, 'connected');
    }
    assert.equal(seen.connectionState, 'connected');

    // The chat goes through the data channel, both ways.
    await room.locator('#chat-input:not([disabled])').waitFor();
    await room.locator('#chat-input').fill('hello from the viewer');
    await room.locator('#chat-input').press('Enter');
    await until('the performer receives the chat', () => stage.evaluate(() => window.livestarsCall?.messages ?? []), (m) => m.includes('hello from the viewer'), 15_000);
    await expectText(stage.getByTestId('chat-log'), 'The viewer: hello from the viewer');
    await stage.locator('#chat-input:not([disabled])').waitFor();
    assert.equal(await stage.evaluate(() => window.livestarsCall.chat('hi, welcome!')), true);
    await until('the viewer receives the reply', () => room.evaluate(() => window.livestarsCall?.messages ?? []), (m) => m.includes('hi, welcome!'), 15_000);
    await expectText(room.getByTestId('chat-log'), 'The performer: hi, welcome!');

    // A third account is no party: the page says so, and the relay refuses it (4403)
    // even with a valid signature.
    const strangerContext = await media.newContext();
    await stranger.inject(strangerContext);
    const outsider = await strangerContext.newPage();
    await outsider.goto(`${base}/#/show/${id}`);
    await outsider.getByRole('button', { name: 'Connect wallet' }).click();
    await expectText(outsider.getByTestId('not-a-party'), 'not a party');
    const code = await outsider.evaluate(
      async ({ id, address }) => {
        const info = await (await fetch('/v1/chain')).json();
        return new Promise((resolve) => {
          const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/v1/shows/${id}/signal`);
          ws.onmessage = async (event) => {
            const message = JSON.parse(event.data);
            if (message.type !== 'challenge') return;
            const text = `livestars: signal show ${id}\norigin: ${location.origin}\nchain: ${info.genesis_hash}\nnonce: ${message.nonce}`;
            const data = `0x${Array.from(new TextEncoder().encode(text), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
            const signature = await window.__testWalletSignRaw({ address, data, type: 'bytes' });
            ws.send(JSON.stringify({ type: 'auth', account: address, signature }));
          };
          ws.onclose = (event) => resolve(event.code);
        });
      },
      { id, address: stranger.address },
    );
    assert.equal(code, 4403);
    assert.equal(stranger.signed, 1);
    await strangerContext.close();

    // The meter runs on both sides; the performer's page is the README's screenshot.
    await expectText(stage.getByTestId('show-elapsed'), /\(\d+ s\)/);
    assert.match(await room.getByTestId('show-earned').innerText(), /^\d+(\.\d+)? LIVE$/);
    await screenshot(stage, 'private-show');
    await new Promise((r) => setTimeout(r, 20_000));

    // The viewer ends it: the call closes on both sides and each shows the settlement.
    await room.getByRole('button', { name: 'End show' }).click();
    await room.getByTestId('show-final').waitFor({ timeout: 120_000 });
    await stage.getByTestId('show-final').waitFor({ timeout: 60_000 });
    assert.equal(await room.evaluate(() => window.livestarsCall?.pc ?? null), null);
    // One signature opened the show, one joined the call, one ended it.
    assert.equal(viewer.signed, 3);

    // Billed per whole second at the price fixed when it opened; the rest refunded; the
    // viewer's balance fell by exactly what was paid.
    const show = await (await fetch(`${base}/v1/shows/${id}`)).json();
    assert.equal(show.open, false);
    assert.equal(show.viewer, viewer.address);
    assert.equal(show.performer, CHARLIE);
    assert.equal(show.ended_by, viewer.address);
    assert.equal(BigInt(show.price_per_minute), 6n * LIVE);
    assert.equal(BigInt(show.deposit), 30n * LIVE);
    assert.ok(show.billed_seconds >= 20, `billed ${show.billed_seconds} s`);
    const due = (BigInt(show.price_per_minute) * BigInt(show.billed_seconds)) / 60n;
    assert.equal(BigInt(show.paid), due < BigInt(show.deposit) ? due : BigInt(show.deposit));
    assert.equal(BigInt(show.refunded), BigInt(show.deposit) - BigInt(show.paid));
    assert.equal(before - (await liveBalance(viewer.address)), BigInt(show.paid));
    await expectText(room.getByTestId('final-refunded'), `${tokens(show.refunded)} LIVE of the 30 LIVE deposit`);
    await screenshot(room, 'private-show-ended');
    await viewerContext.close();
    await performerContext.close();
  } finally {
    await media.close();
  }
});

test("the performer's room: a stream, a menu tip with a sealed message read only by the performer, the overlay, the goal, a toy and a block", async () => {
  // A message nobody but Bob's browser may ever hold in plain text.
  const planted = `PLANTED-${Date.now()}-only-for-bob`;
  const toy = await startButtplugServer();
  const bob = await TestWallet.create('//Bob');
  const eve = await TestWallet.create('//Eve');
  const performerContext = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
  await bob.inject(performerContext);
  const dashboard = await performerContext.newPage();
  try {
    await dashboard.goto(`${base}/#/dashboard`);
    await dashboard.getByRole('button', { name: 'Connect wallet' }).click();
    // A message key made in this browser, published in the profile (set_profile, then the
    // signed upload): two signatures.
    await dashboard.getByTestId('key-new').click();
    await expectText(dashboard.getByTestId('message-key'), 'not published yet');
    const signedBefore = bob.signed;
    await dashboard.getByTestId('key-publish').click();
    await expectText(dashboard.getByTestId('notice'), 'Message key published', 120_000);
    await expectText(dashboard.getByTestId('message-key'), 'is in this browser and published');
    assert.equal(bob.signed, signedBefore + 2);
    // The overlay link, with messages; then the toy on the test Buttplug server.
    await dashboard.locator('#overlay-messages').check();
    await dashboard.getByTestId('overlay-new').click();
    const overlayUrl = await expectText(dashboard.getByTestId('overlay-url'), /#\/overlay\/[0-9a-f]{64}\?key=0x[0-9a-f]{64}$/);
    await dashboard.getByTestId('toy-url').fill(toy.url);
    await dashboard.getByTestId('toy-connect').click();
    await expectText(dashboard.getByTestId('toy-devices'), 'Simulated Vibrator');

    // OBS's browser source: another browser, no wallet, transparent.
    const obs = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await obs.goto(overlayUrl);
    await obs.getByTestId('overlay-goal').locator('progress').waitFor();
    const backgrounds = await obs.evaluate(() => [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.body).backgroundColor]);
    assert.deepEqual(backgrounds, ['rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)']);

    // The viewer's room: the demo stream plays, and the menu and goal are there.
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
    await eve.inject(viewerContext);
    const room = await viewerContext.newPage();
    // Chromium's own media log (DevTools' Media panel), for a stream that does not play.
    const mediaLog = [];
    const devtools = await viewerContext.newCDPSession(room);
    devtools.on('Media.playerMessagesLogged', ({ messages }) => mediaLog.push(...messages.map((m) => `${m.level}: ${m.message}`)));
    devtools.on('Media.playerErrorsRaised', ({ errors }) => mediaLog.push(...errors.map((e) => `error: ${JSON.stringify(e)}`)));
    await devtools.send('Media.enable');
    await room.goto(`${base}/#/room/${BOB}`);
    // Before any click: browsers autoplay only a muted video to a viewer who has not
    // interacted with the page yet. The player's whole state is read, so that a stream that
    // does not play says why.
    const player = () =>
      room.getByTestId('stream').evaluate((video) => ({
        // blob: when hls.js feeds the player through Media Source Extensions.
        source: video.currentSrc.split(':')[0],
        currentTime: video.currentTime,
        paused: video.paused,
        muted: video.muted,
        readyState: video.readyState,
        networkState: video.networkState,
        buffered: Array.from({ length: video.buffered.length }, (_, i) => [video.buffered.start(i), video.buffered.end(i)]),
        problem: video.parentElement.querySelector('[role=alert]:not([hidden])')?.textContent ?? null,
      }));
    const streamLog = () =>
      `; scripts/demo-stream's log: ${JSON.stringify(readFileSync(join(devDir, 'stream.log'), 'utf8').slice(-2000))}; Chromium's media log: ${JSON.stringify(mediaLog.slice(-40))}`;
    const started = await untilOr(streamLog, 'the stream plays', player, (state) => state.currentTime > 0);
    assert.equal(started.muted, true, 'the stream starts muted, which browsers require to autoplay it');
    assert.equal(started.source, 'blob', "hls.js plays the stream, not Chromium's own HLS, which fails now and then");
    await untilOr(streamLog, 'the stream advances', player, (state) => state.currentTime >= started.currentTime + 1);
    await room.getByRole('button', { name: 'Connect wallet' }).click();
    const raised = () => room.getByTestId('goal').getAttribute('data-raised').then((value) => BigInt(value ?? '-1'));
    const before = await raised();
    await room.getByRole('button', { name: 'Tip for this' }).nth(1).click();
    assert.equal(await room.getByLabel('Amount (LIVE)').inputValue(), '50');
    await room.getByLabel('Message to the performer (optional)').fill(planted);
    await room.getByRole('button', { name: 'Tip', exact: true }).click();
    const tipStatus = room.locator('form[aria-label="Tip this performer"] .form-status');
    await expectText(tipStatus, 'Your sealed message reached the performer', 120_000);
    assert.match(await tipStatus.innerText(), /It is for Flash the guitar solo/);
    await until('the goal moves by the tip', raised, (value) => value === before + 50n * LIVE);
    await room.screenshot({ path: join(artifacts, 'room.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1250 } });

    // Bob's own room, in his browser, opens the message too.
    const ownRoom = await performerContext.newPage();
    await ownRoom.goto(`${base}/#/room/${BOB}`);
    await ownRoom.getByRole('button', { name: 'Connect wallet' }).click();
    await expectText(ownRoom.getByTestId('own-notes').getByTestId('message').first(), planted);
    await ownRoom.close();

    // The performer reads the message; the overlay shows it with the item; the toy plays
    // the item's action (80 % of a 20-step vibrator for 5 s).
    await expectText(dashboard.getByTestId('notes').getByTestId('message').first(), planted);
    await expectText(dashboard.getByTestId('notes').getByTestId('note-item').first(), 'Flash the guitar solo');
    await dashboard.getByTestId('room-sections').screenshot({ path: join(artifacts, 'room-dashboard.png') });
    await expectText(obs.getByTestId('overlay-message'), planted);
    await expectText(obs.getByTestId('overlay-item'), 'Flash the guitar solo');
    // As OBS composes it: the page's background is transparent.
    await obs.screenshot({ path: join(artifacts, 'room-overlay.png'), omitBackground: true });
    const vibrate = await toy.waitForCommand((c) => c.OutputCmd?.Command?.Vibrate?.Value === 16, 30_000);
    assert.equal(vibrate.OutputCmd.DeviceIndex, 0);

    // A tip that reaches the goal is announced on the overlay.
    const remaining = 100n * LIVE - (before + 50n * LIVE);
    if (remaining > 0n) {
      await room.getByLabel('For', { exact: true }).selectOption('');
      await room.getByLabel('Amount (LIVE)').fill(tokens(remaining));
      await room.getByLabel('Message to the performer (optional)').fill('');
      // The first tip's status may read the same amount: wait for a new one.
      const first = await tipStatus.innerText();
      await room.getByRole('button', { name: 'Tip', exact: true }).click();
      await until('the second tip is confirmed', () => tipStatus.innerText(), (text) => text !== first && text.startsWith(`Tip of ${tokens(remaining)} LIVE confirmed`), 120_000);
    }
    await expectText(obs.getByTestId('goal-reached'), 'Goal reached: Dance at 100 LIVE!');

    // Plain text reached nothing but the two browsers: not the database, the API's log or
    // the chain (every block's extrinsics and events, as hex).
    const plantedBytes = Buffer.from(planted);
    for (const file of ['livestars.sqlite', 'livestars.sqlite-wal', 'api.log', 'node.log']) {
      const path = join(devDir, file);
      if (existsSync(path)) assert.equal(readFileSync(path).indexOf(plantedBytes), -1, `${file} holds the message`);
    }
    const info = await (await fetch(`${base}/v1/chain`)).json();
    const chain = await ApiPromise.create({ provider: new WsProvider(info.node_url), noInitWarn: true });
    try {
      const head = (await chain.rpc.chain.getHeader()).number.toNumber();
      const needle = u8aToHex(plantedBytes).slice(2);
      for (let number = 1; number <= head; number++) {
        const hash = await chain.rpc.chain.getBlockHash(number);
        const block = (await chain.rpc.chain.getBlock(hash)).toHex();
        const events = (await (await chain.at(hash)).query.system.events()).toHex();
        assert.ok(!block.includes(needle) && !events.includes(needle), `block #${number} holds the message`);
      }
    } finally {
      await chain.disconnect();
    }

    // Revoked, the overlay link goes blank (checked again within 30 s).
    await dashboard.getByTestId('overlay-revoke').click();
    await expectText(dashboard.locator('section[aria-labelledby="overlay-title"] .form-status'), 'Revoked');
    await obs.reload();
    await obs.getByTestId('overlay-revoked').waitFor();

    // Bob blocks Eve on-chain from her note: her notes go, and the contract refuses her
    // private shows with him.
    const notesSection = dashboard.locator('section[aria-labelledby="notes-title"]');
    await notesSection.getByTestId('block-viewer').first().click();
    // The final status, not the progress line "Blocked in block #…": it comes once the
    // notes and the blocked list are both read again.
    await expectText(notesSection.locator('.form-status'), 'Blocked: this viewer', 120_000);
    await expectText(dashboard.getByTestId('blocked'), eve.address.slice(0, 8));
    assert.equal(await dashboard.getByTestId('notes').getByTestId('message').count(), 0);
    await room.reload();
    await room.getByRole('button', { name: 'Connect wallet' }).click();
    await room.getByRole('button', { name: 'Request' }).click();
    await expectText(room.locator('section[aria-labelledby="show-title"] .form-status'), 'blocked this account', 120_000);
    await screenshot(dashboard, 'room-blocked');
    await viewerContext.close();
    await obs.close();
  } finally {
    await performerContext.close();
    await toy.close();
  }
});
