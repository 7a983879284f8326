// How amounts, accounts, ratings and times are shown. Amounts stay exact (bigint).

/** LIVE has 12 decimals (`PSP22Metadata::token_decimals`). */
export const DECIMALS = 12;
const UNIT = 10n ** BigInt(DECIMALS);

/** Base units as a decimal number of tokens, trailing zeros dropped: "12.5". */
export function tokens(baseUnits: string | bigint): string {
  const value = BigInt(baseUnits);
  const whole = value / UNIT;
  const fraction = (value % UNIT).toString().padStart(DECIMALS, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** Base units rounded to `places` decimals, for amounts that decay continuously (stake):
 * "0.51" rather than "0.509999999999". */
export function roundedTokens(baseUnits: string | bigint, places = 4): string {
  const step = 10n ** BigInt(DECIMALS - places);
  return tokens(((BigInt(baseUnits) + step / 2n) / step) * step);
}

/** Parses what a person typed ("2", "0.5") into base units; `null` if it is not an amount. */
export function parseTokens(text: string): bigint | null {
  const match = /^\s*(\d{1,27})(?:[.,](\d{1,12}))?\s*$/.exec(text);
  if (!match) return null;
  return BigInt(match[1]) * UNIT + BigInt((match[2] ?? '').padEnd(DECIMALS, '0'));
}

/** "5GrwvaEF…GKutQY": enough to recognise an account, never a name. */
export function shortAccount(address: string): string {
  return address.length > 16 ? `${address.slice(0, 8)}…${address.slice(-6)}` : address;
}

/** A rating in parts per million as a percentage with one decimal. */
export function percent(ppm: number): string {
  return `${(ppm / 10_000).toFixed(1)}%`;
}

/** Stars in thousandths as "4.125". */
export function stars(milli: number): string {
  return (milli / 1000).toFixed(3).replace(/0{1,2}$/, '');
}

/** A block time as local date and time. */
export function when(ms: number): string {
  return new Date(ms).toLocaleString();
}
