import { useId } from 'preact/hooks';

export interface RadioOption {
  value: string;
  label: string;
  lang?: string;
  dot?: string; // a presence dot class
}

// A choice that applies at once (language, presence): native radios in a fieldset, so arrow
// keys move between them and the legend names the group; drawn as a segmented switch.
export function RadioGroup(props: {
  legend: string;
  hint?: string;
  name: string;
  value: string;
  options: RadioOption[];
  disabled?: boolean;
  onChange: (value: string) => void;
}) {
  const id = `rg-${useId()}`;
  return (
    <fieldset class="radio-group" aria-describedby={props.hint ? `${id}-hint` : undefined}>
      <legend class="legend-title">{props.legend}</legend>
      <div class="segmented">
        {props.options.map((o) => (
          <label key={o.value} class="segment" lang={o.lang}>
            <input
              type="radio"
              name={`${id}-${props.name}`}
              value={o.value}
              checked={props.value === o.value}
              disabled={props.disabled}
              onChange={() => props.onChange(o.value)}
            />
            <span class="segment-face">
              {o.dot && <span class={`presence-dot ${o.dot}`} aria-hidden="true" />}
              {o.label}
            </span>
          </label>
        ))}
      </div>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </fieldset>
  );
}
