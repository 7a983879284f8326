// The dashboard's toys panel: the performer's browser connects to Intiface Central on
// their own computer, lists the toys it has, and each tip then plays what the tipped menu
// item's toy action or the amount rules say (src/toys/mapping.ts). The rules are kept in
// this browser (localStorage); nothing about the toys goes through livestars.
//
// The Buttplug client library is loaded only on Connect (src/toys/link.ts).

import { h, mount } from '../dom';
import { tokens } from '../format';
import type { Toy, ToyLink } from '../toys/link';
import { actionFor, parseRules, RULES_MAX, type AmountRule, type ToyAction } from '../toys/mapping';
import { UserError } from '../wallet';
import { perform } from './form';
import { statusLine } from './status';

/** Where the performer's amount rules are kept, as typed. */
export const RULES_KEY = 'livestars.toyRules';
/** Intiface Central's server address unless its settings were changed (as in link.ts,
 * which this panel does not load until Connect). */
const INTIFACE_URL = 'ws://127.0.0.1:12345';
const TEST_ACTION: ToyAction = { strength: 30, seconds: 2 };

/** An error from the toys as the status line shows it: its own words. */
function plainly(error: unknown): UserError {
  return new UserError(error instanceof Error ? error.message : String(error));
}

function describeAction(action: ToyAction): string {
  return `${action.strength}% for ${action.seconds} s`;
}

function readStoredRules(): { text: string; rules: AmountRule[]; error: Error | null } {
  let text = '';
  try {
    text = localStorage.getItem(RULES_KEY) ?? '';
    return { text, rules: parseRules(text), error: null };
  } catch (error) {
    return { text, rules: [], error: error as Error };
  }
}

/** The panel. `menu()` is the performer's current menu (items with their toy actions);
 * `onTip` plays what a tip calls for while connected; `stop()` disconnects (the toys stop). */
export function toysPanel(menu: () => { id: number; toy: ToyAction | null }[]): {
  element: HTMLElement;
  onTip(tip: { gross: bigint; item: number | null }): void;
  stop(): void;
} {
  let link: ToyLink | null = null;
  let stopped = false;
  const unsubscribe: (() => void)[] = [];
  const stored = readStoredRules();
  let rules = stored.rules;

  const status = statusLine();
  status.line.id = 'toy-status';
  status.line.dataset.testid = 'toy-status';

  const url = h('input', {
    id: 'toy-url',
    'data-testid': 'toy-url',
    value: INTIFACE_URL,
    autocomplete: 'off',
    spellcheck: 'false',
    inputmode: 'url',
  });
  const connect = h('button', { type: 'button', id: 'toy-connect', 'data-testid': 'toy-connect' }, 'Connect');
  const test = h('button', { type: 'button', id: 'toy-test', 'data-testid': 'toy-test', disabled: true }, `Test (${describeAction(TEST_ACTION)})`);
  const devices = h('ul', { id: 'toy-devices', 'data-testid': 'toy-devices', 'aria-live': 'polite', 'aria-label': 'Toys' });
  const rulesInput = h('textarea', {
    id: 'toy-rules',
    'data-testid': 'toy-rules',
    rows: 5,
    spellcheck: 'false',
    placeholder: '1 LIVE: 20% 2s\n5 LIVE: 40% 5s\n20 LIVE: 80% 10s',
  });
  rulesInput.value = stored.text;

  const showDevices = (toys: Toy[]) => {
    if (!link?.connected) return mount(devices, h('li', { class: 'muted' }, 'Not connected.'));
    if (toys.length === 0) return mount(devices, h('li', { class: 'muted' }, 'No toys yet: turn yours on and connect it in Intiface Central.'));
    mount(devices, ...toys.map((toy) => h('li', { 'data-index': toy.index }, toy.name, toy.vibrates ? null : h('span', { class: 'muted' }, ' (does not vibrate: tips do not drive it)'))));
  };
  const showConnected = (on: boolean) => {
    connect.textContent = on ? 'Disconnect' : 'Connect';
    url.disabled = on;
    test.disabled = !on;
    showDevices(on && link ? link.devices() : []);
  };

  const open = async () => {
    const address = url.value.trim() || INTIFACE_URL;
    status.progress(`Connecting to ${address}…`);
    let next: ToyLink;
    try {
      const { ToyLink } = await import('../toys/link');
      next = new ToyLink();
      await next.connect(address);
    } catch (error) {
      throw plainly(error);
    }
    if (stopped) {
      await next.disconnect();
      return;
    }
    link = next;
    unsubscribe.push(
      next.onDevices(showDevices),
      next.onClose((error) => {
        if (link !== next) return;
        link = null;
        unsubscribe.splice(0).forEach((stop) => stop());
        showConnected(false);
        status.fail(plainly(error));
      }),
    );
    showConnected(true);
    status.progress('Connected. Looking for toys…');
    try {
      await next.scan();
    } catch (error) {
      throw plainly(error);
    }
    const toys = next.devices();
    const vibrating = toys.filter((toy) => toy.vibrates).length;
    return `Connected to ${address}: ${vibrating} vibrating toy${vibrating === 1 ? '' : 's'}. Tips now play on ${vibrating === 1 ? 'it' : 'them'}.`;
  };

  const close = async () => {
    const current = link;
    link = null;
    unsubscribe.splice(0).forEach((stop) => stop());
    showConnected(false);
    try {
      await current?.disconnect();
    } catch (error) {
      throw plainly(error);
    }
    return 'Disconnected; the toys are stopped.';
  };

  connect.addEventListener('click', () => void perform(status, [connect], () => (link ? close() : open())));
  test.addEventListener('click', () => {
    const current = link;
    if (!current) return;
    status.progress(`Testing: ${describeAction(TEST_ACTION)}…`);
    current.play(TEST_ACTION).then(
      (completed) => completed && status.done('Test played.'),
      (error: unknown) => status.fail(plainly(error)),
    );
  });
  rulesInput.addEventListener('change', () => {
    try {
      rules = parseRules(rulesInput.value);
    } catch (error) {
      rulesInput.setAttribute('aria-invalid', 'true');
      status.fail(new UserError(`${(error as Error).message} The rules last saved still apply.`));
      return;
    }
    rulesInput.removeAttribute('aria-invalid');
    localStorage.setItem(RULES_KEY, rulesInput.value);
    status.done(rules.length === 0 ? 'No amount rules: only menu items with a toy action play.' : `Saved ${rules.length} amount rule${rules.length === 1 ? '' : 's'}.`);
  });

  showConnected(false);
  if (stored.error) {
    rulesInput.setAttribute('aria-invalid', 'true');
    status.fail(new UserError(`The saved rules are not valid: ${stored.error.message}`));
  }

  const element = h(
    'section',
    { class: 'toys', 'aria-labelledby': 'toys-title', 'data-testid': 'toys' },
    h('h2', { id: 'toys-title' }, 'Toys'),
    h(
      'p',
      { class: 'muted' },
      'Tips can play your toys through ',
      h('a', { href: 'https://intiface.com/central/', target: '_blank', rel: 'noopener' }, 'Intiface Central'),
      ' on this computer: start its server, connect your toy there, then connect here. Nothing about your toys goes through livestars.',
    ),
    h('div', { class: 'field' }, h('label', { for: 'toy-url' }, 'Intiface server address'), url),
    h('div', { class: 'pager' }, connect, test),
    devices,
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'toy-rules' }, 'What a tip plays, one rule a line: amount, strength, seconds'),
      rulesInput,
    ),
    h(
      'p',
      { class: 'muted small' },
      `A tip plays the rule with the largest amount it reaches (e.g. "5 LIVE: 30% 3s"); a menu item with a toy action plays that instead. Up to ${RULES_MAX} rules, strength 1–100%, 1–60 s. A new tip replaces what is playing.`,
    ),
    status.line,
  );

  return {
    element,
    onTip(tip) {
      const current = link;
      if (!current?.connected) return;
      const action = actionFor(tip, menu(), rules);
      if (!action) return;
      status.progress(`A tip of ${tokens(tip.gross)} LIVE: ${describeAction(action)}.`);
      current.play(action).then(
        (completed) => completed && status.done(`Played ${describeAction(action)} for a tip of ${tokens(tip.gross)} LIVE.`),
        (error: unknown) => status.fail(plainly(error)),
      );
    },
    stop() {
      stopped = true;
      const current = link;
      link = null;
      unsubscribe.splice(0).forEach((stop) => stop());
      // The panel is gone: nowhere left to show a failure but the console.
      current?.disconnect().catch((error: unknown) => console.error('Disconnecting the toys failed:', error));
    },
  };
}
