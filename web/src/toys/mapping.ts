// What a tip does to the performer's toys: a menu item tipped for with a toy action
// plays that action, otherwise the amount rule with the largest threshold the tip
// reaches. The rules are kept as text the performer edits, one a line:
//
//   5 LIVE: 30% 3s
//   20 LIVE: 80% 10s
//
// Pure: no DOM, no Buttplug (src/toys/link.ts plays actions, src/views/toys.ts edits).

import { parseTokens, tokens } from '../format';

/** Vibrate at `strength` percent (1..100) for `seconds` (1..60). */
export interface ToyAction {
  strength: number;
  seconds: number;
}

/** A tip of at least `min` plancks (LIVE has 12 decimals: 1 LIVE = 10n ** 12n) plays `action`. */
export interface AmountRule {
  min: bigint;
  action: ToyAction;
}

export const STRENGTH_MIN = 1;
export const STRENGTH_MAX = 100;
export const SECONDS_MIN = 1;
export const SECONDS_MAX = 60;
export const RULES_MAX = 10;

/** What a tip plays: the toy action of the menu item it paid for, if that item has one;
 * otherwise the rule with the largest `min` at most the tip's gross; otherwise none. */
export function actionFor(
  tip: { gross: bigint; item: number | null },
  menu: { id: number; toy: ToyAction | null }[],
  rules: AmountRule[],
): ToyAction | null {
  if (tip.item !== null) {
    const toy = menu.find((entry) => entry.id === tip.item)?.toy;
    if (toy) return toy;
  }
  let best: AmountRule | null = null;
  for (const rule of rules) {
    if (rule.min <= tip.gross && (best === null || rule.min > best.min)) best = rule;
  }
  return best ? best.action : null;
}

/** Whether `action` is within the bounds a toy is driven with; an Error saying why not. */
export function checkAction(action: ToyAction): void {
  const { strength, seconds } = action;
  if (!Number.isInteger(strength) || strength < STRENGTH_MIN || strength > STRENGTH_MAX) {
    throw new Error(`The strength must be a whole percentage from ${STRENGTH_MIN}% to ${STRENGTH_MAX}%, not ${strength}.`);
  }
  if (!Number.isInteger(seconds) || seconds < SECONDS_MIN || seconds > SECONDS_MAX) {
    throw new Error(`The duration must be whole seconds from ${SECONDS_MIN} to ${SECONDS_MAX}, not ${seconds}.`);
  }
}

const EXAMPLE = 'e.g. "5 LIVE: 30% 3s"';
// "<amount> [LIVE]: <strength>% <seconds>s", spaces optional around each part.
const RULE = /^(\S+?)\s*(?:LIVE)?\s*:\s*(\d+)\s*%\s*[,x×]?\s*(\d+)\s*(?:s|sec|secs|seconds?)$/i;

/** The rules in `text`, one a line, sorted by amount. Blank lines and lines starting with
 * `#` are skipped. Throws an Error naming the line when one is not a rule, is out of
 * bounds, repeats an amount, or when there are more than 10 rules. */
export function parseRules(text: string): AmountRule[] {
  const rules: AmountRule[] = [];
  const seen = new Map<bigint, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const at = `Line ${index + 1} ("${line}")`;
    if (line === '' || line.startsWith('#')) return;
    const match = RULE.exec(line);
    if (!match) throw new Error(`${at} is not a rule: write an amount, a strength and a duration, ${EXAMPLE}.`);
    const [, amountText, strengthText, secondsText] = match;
    const min = parseTokens(amountText);
    if (min === null) throw new Error(`${at}: "${amountText}" is not an amount of LIVE (a number with at most 12 decimals, ${EXAMPLE}).`);
    const strength = Number(strengthText);
    const seconds = Number(secondsText);
    if (strength < STRENGTH_MIN || strength > STRENGTH_MAX) {
      throw new Error(`${at}: the strength must be from ${STRENGTH_MIN}% to ${STRENGTH_MAX}%, not ${strengthText}%.`);
    }
    if (seconds < SECONDS_MIN || seconds > SECONDS_MAX) {
      throw new Error(`${at}: the duration must be from ${SECONDS_MIN} to ${SECONDS_MAX} seconds, not ${secondsText}s.`);
    }
    const earlier = seen.get(min);
    if (earlier !== undefined) throw new Error(`${at}: line ${earlier} already has a rule for ${tokens(min)} LIVE.`);
    seen.set(min, index + 1);
    rules.push({ min, action: { strength, seconds } });
    if (rules.length > RULES_MAX) throw new Error(`${at}: at most ${RULES_MAX} rules; remove some.`);
  });
  return sortRules(rules);
}

/** The rules as text `parseRules` reads back, one a line, sorted by amount. */
export function formatRules(rules: AmountRule[]): string {
  return sortRules(rules)
    .map((rule) => `${tokens(rule.min)} LIVE: ${rule.action.strength}% ${rule.action.seconds}s`)
    .join('\n');
}

function sortRules(rules: AmountRule[]): AmountRule[] {
  return [...rules].sort((a, b) => (a.min < b.min ? -1 : a.min > b.min ? 1 : 0));
}
