// A form's status line, shared by every form that signs.

import { h } from '../dom';
import { UserError } from '../wallet';

/** What `statusLine()` makes. */
export type StatusLine = ReturnType<typeof statusLine>;

/** A form's status line: progress politely, failures as alerts. */
export function statusLine() {
  const line = h('p', { class: 'form-status', 'aria-live': 'polite' });
  return {
    line,
    progress(text: string) {
      line.className = 'form-status';
      line.setAttribute('role', 'status');
      line.textContent = text;
    },
    fail(error: unknown) {
      line.className = 'form-status error';
      line.setAttribute('role', 'alert');
      line.textContent = error instanceof UserError ? error.message : `Something went wrong: ${(error as Error).message}`;
    },
    done(text: string) {
      line.className = 'form-status ok';
      line.setAttribute('role', 'status');
      line.textContent = text;
    },
  };
}

