import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';

// A destructive action that asks first, inline (no dialog): the button turns into the question
// with "Yes" and "Cancel"; the focus moves to Cancel and comes back when cancelled.
export function ConfirmButton(props: {
  label: string;
  ariaLabel?: string; // names what it acts on, when several such buttons share a page
  question: string;
  yes: string;
  busy?: boolean;
  onConfirm: () => void | Promise<void>;
}) {
  const [asking, setAsking] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) cancelRef.current?.focus();
    else if (wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button
        type="button"
        class="btn btn-danger-quiet"
        ref={openRef}
        aria-label={props.ariaLabel}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={props.ariaLabel ?? props.label}>
      <p>{props.question}</p>
      <div class="actions">
        <button
          type="button"
          class="btn btn-danger"
          disabled={props.busy}
          onClick={async () => {
            await props.onConfirm();
            setAsking(false);
          }}
        >
          {props.yes}
        </button>
        <button type="button" class="btn btn-quiet" ref={cancelRef} onClick={() => setAsking(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
