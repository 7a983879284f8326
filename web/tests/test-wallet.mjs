// A browser wallet for tests: implements the injected-extension interface
// (`window.injectedWeb3`) in the page, while the dev key signs in the test process, the way
// an extension keeps keys out of the page. It can be told to refuse, like a person would.

import { Keyring } from '@polkadot/keyring';
import { TypeRegistry } from '@polkadot/types';
import { hexToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';

export class TestWallet {
  /** @param {string} suri a dev key, e.g. `//Bob` */
  static async create(suri) {
    await cryptoWaitReady();
    return new TestWallet(new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(suri));
  }

  constructor(pair) {
    this.pair = pair;
    this.address = pair.address;
    /** Payloads signed so far. */
    this.signed = 0;
    /** When set, every signature request is refused as "Rejected by user". */
    this.refuse = false;
  }

  /** Injects the wallet into every page of `context` before any page script runs. */
  async inject(context) {
    await context.exposeBinding('__testWalletSign', (_source, payload) => this.#sign(payload));
    await context.exposeBinding('__testWalletSignRaw', (_source, raw) => this.#signRaw(raw));
    await context.addInitScript((address) => {
      const accounts = [{ address, name: 'test account', type: 'sr25519' }];
      window.injectedWeb3 = {
        'livestars-test-wallet': {
          version: '1.0.0',
          enable: async () => ({
            accounts: {
              get: async () => accounts,
              subscribe: (callback) => (callback(accounts), () => {}),
            },
            signer: {
              signPayload: async (payload) => ({ id: 1, signature: await window.__testWalletSign(payload) }),
              signRaw: async (raw) => ({ id: 2, signature: await window.__testWalletSignRaw(raw) }),
            },
          }),
        },
      };
    }, this.address);
  }

  // What the polkadot{.js} extension does with text: sign it wrapped in <Bytes>…</Bytes>.
  #signRaw(raw) {
    if (this.refuse) throw new Error('Rejected by user');
    if (raw.address !== this.address) throw new Error(`unknown account ${raw.address}`);
    this.signed += 1;
    return u8aToHex(this.pair.sign(u8aWrapBytes(hexToU8a(raw.data))));
  }

  // What the polkadot{.js} extension does: rebuild the payload with the chain's signed
  // extensions and sign its encoding.
  #sign(payload) {
    if (this.refuse) throw new Error('Rejected by user');
    if (payload.address !== this.address) throw new Error(`unknown account ${payload.address}`);
    const registry = new TypeRegistry();
    registry.setSignedExtensions(payload.signedExtensions);
    const { signature } = registry
      .createType('ExtrinsicPayload', payload, { version: payload.version })
      .sign(this.pair);
    this.signed += 1;
    return signature;
  }
}
