// Inputs the business settings need beside ui/Field.tsx's: a labelled text area and a labelled
// check box, each with its hint and error tied to it (aria-describedby, aria-invalid), driven by
// plain value/onChange props so both useForm forms and hand-kept drafts can use them.
import { useId } from 'preact/hooks';
import { tm, type Msg } from '../i18n';

interface Common {
  name: string;
  label: string;
  hint?: string;
  error?: Msg | undefined;
  disabled?: boolean;
}

function describedBy(id: string, hint?: string, error?: Msg): string | undefined {
  if (error) return `${id}-error`;
  return hint ? `${id}-hint` : undefined;
}

function Hint({ id, hint, error }: { id: string; hint?: string | undefined; error?: Msg | undefined }) {
  if (error) {
    return (
      <p class="field-error" id={`${id}-error`}>
        {tm(error)}
      </p>
    );
  }
  return hint ? (
    <p class="hint" id={`${id}-hint`}>
      {hint}
    </p>
  ) : null;
}

export function TextAreaField(props: Common & { value: string; rows?: number; maxLength?: number; onInput: (v: string) => void }) {
  const id = `ta-${useId()}-${props.name}`;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        class="textarea"
        rows={props.rows ?? 3}
        maxLength={props.maxLength}
        value={props.value}
        disabled={props.disabled}
        onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      />
      <Hint id={id} hint={props.hint} error={props.error} />
    </div>
  );
}

export function CheckField(props: Common & { checked: boolean; onChange: (v: boolean) => void }) {
  const id = `cb-${useId()}-${props.name}`;
  return (
    <div class={props.error ? 'field check has-error' : 'field check'}>
      <input
        id={id}
        type="checkbox"
        name={props.name}
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      />
      <label for={id}>{props.label}</label>
      <Hint id={id} hint={props.hint} error={props.error} />
    </div>
  );
}

// A short number input with its unit in the label ("Target (menit)").
export function NumberField(props: Common & { value: string; optional?: boolean; onInput: (v: string) => void }) {
  const id = `nf-${useId()}-${props.name}`;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        class="input-short"
        inputMode="numeric"
        autoComplete="off"
        value={props.value}
        disabled={props.disabled}
        required={!props.optional}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      />
      <Hint id={id} hint={props.hint} error={props.error} />
    </div>
  );
}
