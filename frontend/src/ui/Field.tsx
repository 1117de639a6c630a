// Labelled inputs: every input has a <label>, its hint and error are tied to it with
// aria-describedby, and an error marks it aria-invalid.
import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useId, useState } from 'preact/hooks';
import type { Form } from '../forms/useForm';
import { t, tm } from '../i18n';

interface FieldProps<F extends string> {
  form: Form<F>;
  name: F;
  label: string;
  hint?: string;
  optional?: boolean;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'form' | 'name' | 'label' | 'value'>;

function FieldFrame(props: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  optional?: boolean | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={props.id}>
        {props.label}
        {props.optional && <span class="optional"> ({t('common.optional')})</span>}
      </label>
      {props.children}
      {props.hint && !props.error && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

// The error replaces the hint while there is one.
function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [error ? `${id}-error` : hint ? `${id}-hint` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function TextField<F extends string>(props: FieldProps<F> & InputProps) {
  const { form, name, label, hint, optional, type, ...rest } = props;
  const id = `f-${useId()}-${name}`;
  const errorMsg = form.errors[name];
  const error = errorMsg ? tm(errorMsg) : undefined;
  const [shown, setShown] = useState(false);
  const isPassword = type === 'password';
  const input = (
    <input
      id={id}
      name={name}
      type={isPassword && shown ? 'text' : (type ?? 'text')}
      value={form.values[name]}
      onInput={(e) => form.set(name, (e.currentTarget as HTMLInputElement).value)}
      aria-invalid={error ? 'true' : undefined}
      aria-describedby={describedBy(id, hint, error)}
      required={!optional}
      {...rest}
    />
  );
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={optional}>
      {isPassword ? (
        <div class="password-input">
          {input}
          <button
            type="button"
            class="btn-link reveal"
            aria-pressed={shown ? 'true' : 'false'}
            aria-controls={id}
            onClick={() => setShown(!shown)}
          >
            {t('common.showPassword')}
          </button>
        </div>
      ) : (
        input
      )}
    </FieldFrame>
  );
}

export function SelectField<F extends string>(
  props: FieldProps<F> & { options: { value: string; label: string }[] },
) {
  const { form, name, label, hint, optional, options } = props;
  const id = `f-${useId()}-${name}`;
  const errorMsg = form.errors[name];
  const error = errorMsg ? tm(errorMsg) : undefined;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={optional}>
      <select
        id={id}
        name={name}
        value={form.values[name]}
        onChange={(e) => form.set(name, (e.currentTarget as HTMLSelectElement).value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
