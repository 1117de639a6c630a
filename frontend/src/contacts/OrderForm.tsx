// "Catat pesanan": rows of item, quantity and unit price with the total as it is typed, paid or
// not, a note. One Idempotency-Key per order meant, so a double tap or a retry records one order.
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import type { Order } from '../api/types';
import { problemMessage } from '../forms/validate';
import { newIdempotencyKey } from '../inbox/timeline';
import { t, type Msg } from '../i18n';
import { formatRupiah } from '../i18n/format';
import { FormError } from '../ui/Messages';
import { ITEMS_MAX, itemsFromDrafts, orderTotal, type ItemDraft } from './money';

const EMPTY: ItemDraft = { name: '', qty: '1', price: '' };

export function OrderForm(props: {
  conversationId?: number;
  contactId?: number;
  onRecorded: (o: Order) => void;
}) {
  const rows = useSignal<ItemDraft[]>([{ ...EMPTY }]);
  const paid = useSignal(false);
  const note = useSignal('');
  const busy = useSignal(false);
  const error = useSignal<Msg | null>(null);
  const key = useRef(newIdempotencyKey());

  const parsed = itemsFromDrafts(rows.value);
  const shownTotal = orderTotal(parsed.items ?? []);

  function setRow(i: number, field: keyof ItemDraft, value: string) {
    rows.value = rows.value.map((r, j) => (j === i ? { ...r, [field]: value } : r));
    key.current = newIdempotencyKey(); // another order than the one a retry would repeat
  }

  async function submit(e: Event) {
    e.preventDefault();
    error.value = null;
    const { items, problems, tooMuch } = itemsFromDrafts(rows.value);
    const firstBad = Object.keys(problems).map(Number)[0];
    if (firstBad !== undefined) {
      error.value = { key: 'orders.itemProblem', params: { n: firstBad + 1 } };
      return;
    }
    if (tooMuch) {
      error.value = { key: 'orders.tooMuch' };
      return;
    }
    if (!items) {
      error.value = { key: 'orders.needItem' };
      return;
    }
    busy.value = true;
    try {
      const order = await api.createOrder(
        {
          ...(props.conversationId ? { conversation_id: props.conversationId } : { contact_id: props.contactId }),
          items,
          payment_status: paid.value ? 'paid' : 'unpaid',
          note: note.value.trim() || null,
        },
        key.current,
      );
      key.current = newIdempotencyKey();
      rows.value = [{ ...EMPTY }];
      paid.value = false;
      note.value = '';
      props.onRecorded(order);
    } catch (err) {
      if (!isApiError(err)) throw err;
      if (err.status !== 401) error.value = problemMessage(err);
    } finally {
      busy.value = false;
    }
  }

  return (
    <form class="order-form stack" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset class="stack">
        <legend class="legend-title">{t('orders.itemsLegend')}</legend>
        {rows.value.map((r, i) => (
          <div class="order-row" key={i}>
            <input
              aria-label={t('orders.itemName', { n: i + 1 })}
              placeholder={t('orders.itemName', { n: i + 1 })}
              value={r.name}
              maxLength={200}
              onInput={(e) => setRow(i, 'name', e.currentTarget.value)}
            />
            <input
              aria-label={t('orders.qty', { n: i + 1 })}
              inputMode="numeric"
              class="order-qty"
              value={r.qty}
              onInput={(e) => setRow(i, 'qty', e.currentTarget.value)}
            />
            <input
              aria-label={t('orders.price', { n: i + 1 })}
              placeholder={t('orders.pricePlaceholder')}
              inputMode="numeric"
              class="order-price"
              value={r.price}
              onInput={(e) => setRow(i, 'price', e.currentTarget.value)}
            />
            {rows.value.length > 1 && (
              <button
                type="button"
                class="btn btn-quiet btn-small"
                aria-label={t('orders.removeItem', { n: i + 1 })}
                onClick={() => (rows.value = rows.value.filter((_, j) => j !== i))}
              >
                ×
              </button>
            )}
          </div>
        ))}
        {rows.value.length < ITEMS_MAX && (
          <button type="button" class="btn btn-quiet btn-small" onClick={() => (rows.value = [...rows.value, { ...EMPTY }])}>
            {t('orders.addItem')}
          </button>
        )}
      </fieldset>
      <p class="order-total" aria-live="polite">
        {t('orders.total', { total: formatRupiah(shownTotal) })}
      </p>
      <label class="check-field">
        <input type="checkbox" checked={paid.value} onChange={(e) => (paid.value = e.currentTarget.checked)} />
        {t('orders.alreadyPaid')}
      </label>
      <label class="field">
        {t('orders.note')} <span class="optional">({t('common.optional')})</span>
        <input value={note.value} maxLength={1000} onInput={(e) => (note.value = e.currentTarget.value)} />
      </label>
      <FormError msg={error.value} />
      <button type="submit" class="btn btn-primary" disabled={busy.value}>
        {busy.value ? t('orders.recording') : t('orders.record')}
      </button>
    </form>
  );
}
