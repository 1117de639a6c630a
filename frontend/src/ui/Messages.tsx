import type { Msg } from '../i18n';
import { tm } from '../i18n';

// The error of a form as a whole, announced as soon as it appears.
export function FormError({ msg }: { msg: Msg | null }) {
  return (
    <div class="form-error-slot" role="alert">
      {msg && <p class="alert alert-error">{tm(msg)}</p>}
    </div>
  );
}

// A quiet confirmation ("Saved."), read out politely by screen readers.
export function Notice({ msg, tone = 'success' }: { msg: Msg | null; tone?: 'success' | 'info' }) {
  return (
    <div class="notice-slot" role="status">
      {msg && <p class={`alert alert-${tone}`}>{tm(msg)}</p>}
    </div>
  );
}
