// What every form (and action button) that signs or writes does with its submission:
// the button disabled while it runs, progress on the status line, then what was done or
// what went wrong, in words.

import type { StatusLine } from './status';

type Control = HTMLButtonElement | HTMLInputElement | null | undefined;

export interface PerformOptions {
  /** Whether the controls come back enabled once the action succeeded (`ok`) or failed;
   * by default always. A view the action replaces leaves them disabled on success. */
  enable?: (ok: boolean) => boolean;
}

/** Runs `action` with `controls` disabled. `action` reports its steps on `status`
 * (`status.progress`); a text it answers is shown as done; an error it throws (a
 * `UserError` for a refused input, too) is shown as the failure. Answers whether it
 * succeeded. */
export async function perform(
  status: StatusLine,
  controls: Control[],
  action: () => Promise<string | void>,
  { enable = () => true }: PerformOptions = {},
): Promise<boolean> {
  const disable = (disabled: boolean) => controls.forEach((control) => control && (control.disabled = disabled));
  disable(true);
  let ok = false;
  try {
    const done = await action();
    if (typeof done === 'string') status.done(done);
    ok = true;
  } catch (error) {
    status.fail(error);
  }
  if (enable(ok)) disable(false);
  return ok;
}

/** A form's submit listener: no page load, then `perform`. */
export function onSubmit(
  status: StatusLine,
  controls: Control[],
  action: () => Promise<string | void>,
  options?: PerformOptions,
): (event: Event) => void {
  return (event: Event) => {
    event.preventDefault();
    void perform(status, controls, action, options);
  };
}
