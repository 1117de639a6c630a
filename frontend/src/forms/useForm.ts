// Form state in signals: values, per-field errors, the form-level error and the busy flag.
// onSubmit validates first (focusing the first bad field), then runs the action and spreads an
// API error over the fields it names.
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { isApiError, type ApiError } from '../api/client';
import type { Msg } from '../i18n';
import { session } from '../app/session';
import { errorsFromProblem, validate, type Errors, type Schema } from './validate';

export interface Form<F extends string> {
  values: Record<F, string>;
  errors: Errors<F>;
  formError: Msg | null;
  busy: boolean;
  ref: { current: HTMLFormElement | null };
  set: (field: F, value: string) => void;
  reset: () => void;
  setFormError: (msg: Msg | null) => void;
  onSubmit: (
    action: (values: Record<F, string>) => Promise<void>,
    mapError?: (err: ApiError) => Msg | null | undefined,
  ) => (e: Event) => Promise<void>;
}

export function useForm<F extends string>(initial: Record<F, string>, schema: Schema<F>): Form<F> {
  const values = useSignal(initial);
  const errors = useSignal<Errors<F>>({});
  const formError = useSignal<Msg | null>(null);
  const busy = useSignal(false);
  const ref = useRef<HTMLFormElement | null>(null);
  const fields = Object.keys(initial) as F[];

  function focusFirst(errs: Errors<F>) {
    const first = fields.find((f) => errs[f]);
    if (!first) return;
    const el = ref.current?.querySelector<HTMLElement>(`[name="${first}"]`);
    el?.focus();
  }

  return {
    get values() {
      return values.value;
    },
    get errors() {
      return errors.value;
    },
    get formError() {
      return formError.value;
    },
    get busy() {
      return busy.value;
    },
    ref,
    set(field, value) {
      values.value = { ...values.value, [field]: value };
      if (errors.value[field]) {
        const next = { ...errors.value };
        delete next[field];
        errors.value = next;
        // Every marked field fixed: the summary above the button has nothing left to say.
        if (Object.keys(next).length === 0 && formError.value?.key === 'common.errorSummary') {
          formError.value = null;
        }
      }
    },
    reset() {
      values.value = initial;
      errors.value = {};
      formError.value = null;
    },
    setFormError(msg) {
      formError.value = msg;
    },
    onSubmit(action, mapError) {
      return async (e: Event) => {
        e.preventDefault();
        if (busy.value) return;
        const errs = validate(values.value, schema);
        errors.value = errs;
        if (Object.keys(errs).length > 0) {
          formError.value = { key: 'common.errorSummary' };
          focusFirst(errs);
          return;
        }
        formError.value = null;
        busy.value = true;
        try {
          await action(values.value);
        } catch (err) {
          if (!isApiError(err)) throw err;
          // A session that ended mid-form: the app is already on its way to the login page.
          if (err.status === 401 && !session.value && mapError === undefined) return;
          const mapped = mapError?.(err);
          if (mapped) {
            formError.value = mapped;
          } else {
            const r = errorsFromProblem(err, fields);
            errors.value = r.fields;
            formError.value = r.form;
            focusFirst(r.fields);
          }
        } finally {
          busy.value = false;
        }
      };
    },
  };
}
