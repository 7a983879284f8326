// Browser wallets through the injected-extension interface (`window.injectedWeb3`), as
// polkadot{.js}, Talisman and SubWallet expose it. Keys never leave the extension; the only
// thing this page keeps is the chosen account's address (localStorage).

import type { Signer } from '@polkadot/api/types';
import { h, mount } from './dom';
import { shortAccount } from './format';

interface InjectedAccount {
  address: string;
  name?: string;
}

interface Injected {
  accounts: { get(anyType?: boolean): Promise<InjectedAccount[]> };
  signer: Signer;
}

interface InjectedExtension {
  version?: string;
  enable(originName: string): Promise<Injected>;
}

declare global {
  interface Window {
    injectedWeb3?: Record<string, InjectedExtension>;
  }
}

/** An account the person picked, with the signer of the extension holding it. */
export interface WalletAccount {
  address: string;
  source: string;
  signer: Signer;
}

/** Something the person has to act on; the message says what. */
export class UserError extends Error {}

const STORED = 'livestars.account';
let accounts: WalletAccount[] = [];
let selected: WalletAccount | null = null;
const listeners = new Set<(account: WalletAccount | null) => void>();

/** Whether an error means the person declined in their wallet. */
export function isRejection(error: unknown): boolean {
  return /reject|cancel|denied|declined/i.test(String((error as Error)?.message ?? error));
}

/** Extensions inject themselves shortly after load; wait up to a second for them. */
async function extensions(): Promise<[string, InjectedExtension][]> {
  for (let waited = 0; waited < 1000 && !Object.keys(window.injectedWeb3 ?? {}).length; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Object.entries(window.injectedWeb3 ?? {});
}

async function connect(): Promise<void> {
  const found = await extensions();
  if (!found.length) {
    throw new UserError(
      'No wallet extension found. Install polkadot{.js}, Talisman or SubWallet, add an account, then reload this page.',
    );
  }
  let declined = false;
  accounts = [];
  for (const [source, extension] of found) {
    try {
      const injected = await extension.enable('livestars');
      for (const account of await injected.accounts.get()) {
        accounts.push({ address: account.address, source, signer: injected.signer });
      }
    } catch (error) {
      if (isRejection(error)) declined = true;
      else console.warn(`wallet ${source}:`, (error as Error).message);
    }
  }
  if (!accounts.length) {
    throw new UserError(
      declined
        ? 'You declined access in your wallet extension. Allow livestars there to tip.'
        : 'Your wallet extension has no accounts. Create or import one, then connect again.',
    );
  }
  const remembered = localStorage.getItem(STORED);
  choose(accounts.find((a) => a.address === remembered) ?? accounts[0]);
}

function choose(account: WalletAccount): void {
  selected = account;
  localStorage.setItem(STORED, account.address);
  listeners.forEach((listener) => listener(selected));
}

/** Calls `listener` with the selected account now and whenever it changes. */
export function onAccount(listener: (account: WalletAccount | null) => void): () => void {
  listeners.add(listener);
  listener(selected);
  return () => listeners.delete(listener);
}

/** The header's wallet control: a connect button, then an account picker. */
export function renderWallet(element: HTMLElement): void {
  const message = h('span', { class: 'wallet-message', role: 'alert' });
  const button = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        button.disabled = true;
        message.textContent = '';
        try {
          await connect();
        } catch (error) {
          message.textContent = (error as Error).message;
        } finally {
          button.disabled = false;
        }
      },
    },
    'Connect wallet',
  );
  mount(element, button, message);
  onAccount((account) => {
    if (!account) return;
    const picker = h('select', {
      id: 'account',
      onchange: () => choose(accounts.find((a) => a.address === picker.value) ?? account),
    });
    for (const option of accounts) {
      picker.append(
        h('option', { value: option.address, selected: option.address === account.address }, `${shortAccount(option.address)} (${option.source})`),
      );
    }
    mount(element, h('label', { for: 'account' }, 'Account '), picker);
  });
}
