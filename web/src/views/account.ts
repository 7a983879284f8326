// An account as every view shows it: shortened SS58, linked to the performer page when
// asked, with a button copying the full address.

import { h } from '../dom';
import { shortAccount } from '../format';

export function accountLabel(address: string, link = false): HTMLElement {
  const text = h('span', { class: 'mono', title: address }, shortAccount(address));
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'copy',
      'aria-label': `Copy address ${address}`,
      onclick: async () => {
        await navigator.clipboard?.writeText(address).catch(() => undefined);
        copy.textContent = 'copied';
        setTimeout(() => (copy.textContent = 'copy'), 1200);
      },
    },
    'copy',
  );
  const label = link ? h('a', { href: `#/performer/${address}` }, text) : text;
  return h('span', { class: 'account' }, label, copy);
}
