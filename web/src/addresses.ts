// Accounts as the API and wallets name them: SS58 in any network format, or 0x hex.

import { u8aEq } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';

/** Whether two addresses (SS58 in any format, or 0x hex) name the same account. */
export function sameAccount(a: string, b: string): boolean {
  try {
    return u8aEq(decodeAddress(a), decodeAddress(b));
  } catch {
    return a === b;
  }
}
