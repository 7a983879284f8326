// The tip menu as a performer types it, one item per line: `Song request = 20`, or
// `Dance = 50 toy 80% 5s` for an item that also moves their toy.

import { parseTokens, tokens } from '../format';
import { UserError } from '../wallet';
import type { MenuItem, ToyAction } from './document';

/** `Label = 20` or `Label = 50 toy 80% 5s`, one item per line. An item keeps the id
 * it had on the `previous` menu (by label), so a viewer's page showing that menu still
 * names the same item; a new one gets a fresh id. */
export function parseMenu(text: string, previous: MenuItem[] = []): MenuItem[] {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  if (lines.length > 30) throw new UserError('A menu has at most 30 items.');
  let next = previous.reduce((most, item) => Math.max(most, item.id), 0) + 1;
  return lines.map((line, index) => {
    const match = /^(.{1,40}?)\s*=\s*([\d.,]+)(?:\s*LIVE)?(?:\s+toy\s+(\d{1,3})%\s*(\d{1,2})s)?$/i.exec(line);
    const price = match && parseTokens(match[2]);
    if (!match || !price) throw new UserError(`Menu line ${index + 1}: write it as "Song request = 20" or "Dance = 50 toy 80% 5s".`);
    const toy: ToyAction | null = match[3] ? { strength: Number(match[3]), seconds: Number(match[4]) } : null;
    if (toy && (toy.strength < 1 || toy.strength > 100 || toy.seconds < 1 || toy.seconds > 60)) {
      throw new UserError(`Menu line ${index + 1}: a toy action is 1 to 100 % for 1 to 60 s.`);
    }
    const label = match[1].trim();
    const id = previous.find((item) => item.label === label)?.id ?? next++;
    return { id, label, price: price.toString(), toy };
  });
}

export function formatMenu(menu: MenuItem[]): string {
  return menu.map((item) => `${item.label} = ${tokens(item.price)}${item.toy ? ` toy ${item.toy.strength}% ${item.toy.seconds}s` : ''}`).join('\n');
}
