// Orders with their items, total and payment status; mark paid or cancel (cancelling a paid
// order is for supervisors and owners, as the API says).
import { useSignal } from '@preact/signals';
import { api, isApiError } from '../api/client';
import type { Order, OrderSummary } from '../api/types';
import { roleAtLeast, user } from '../app/session';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { formatDate, formatRupiah } from '../i18n/format';
import { ConfirmButton } from '../ui/ConfirmButton';
import { FormError } from '../ui/Messages';

export function SummaryView({ s }: { s: OrderSummary }) {
  return (
    <section class="order-summary" aria-label={t('orders.summary')}>
      <dl class="order-figures">
        <div>
          <dt>{t('orders.count')}</dt>
          <dd data-testid="order-count">{s.order_count}</dd>
        </div>
        <div>
          <dt>{t('orders.paidTotal')}</dt>
          <dd data-testid="paid-total">{formatRupiah(s.paid_total)}</dd>
        </div>
        <div>
          <dt>{t('orders.unpaidTotal')}</dt>
          <dd data-testid="unpaid-total">{formatRupiah(s.unpaid_total)}</dd>
        </div>
      </dl>
      {s.last_order_at && <p class="muted-text">{t('orders.lastAt', { date: formatDate(s.last_order_at) })}</p>}
    </section>
  );
}

function OrderRow({ order, onChanged }: { order: Order; onChanged: (o: Order) => void }) {
  const busy = useSignal(false);
  const error = useSignal<Msg | null>(null);
  const me = user.value;

  async function move(payment_status: 'paid' | 'cancelled') {
    busy.value = true;
    error.value = null;
    try {
      onChanged(await api.updateOrder(order.id, { payment_status }));
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status !== 401) error.value = problemMessage(e);
    } finally {
      busy.value = false;
    }
  }

  const canCancel =
    order.payment_status === 'unpaid' || (order.payment_status === 'paid' && roleAtLeast(me?.role, 'supervisor'));
  return (
    <li class={`order order-${order.payment_status}`}>
      <div class="order-head">
        <strong>{formatRupiah(order.total)}</strong>
        <span class={`badge badge-order-${order.payment_status}`}>{t(`orders.status.${order.payment_status}`)}</span>
        <span class="muted-text">{formatDate(order.created_at)}</span>
      </div>
      <ul class="order-items">
        {order.items.map((it, i) => (
          <li key={i}>{t('orders.line', { qty: it.qty, name: it.name, price: formatRupiah(it.unit_price) })}</li>
        ))}
      </ul>
      {order.note && <p class="muted-text">{order.note}</p>}
      <div class="order-actions">
        {order.payment_status === 'unpaid' && (
          <button type="button" class="btn btn-quiet btn-small" disabled={busy.value} onClick={() => void move('paid')}>
            {t('orders.markPaid')}
          </button>
        )}
        {canCancel && (
          <ConfirmButton
            label={t('orders.cancel')}
            question={t('orders.cancelQuestion')}
            yes={t('orders.cancelYes')}
            busy={busy.value}
            onConfirm={() => move('cancelled')}
          />
        )}
      </div>
      <FormError msg={error.value} />
    </li>
  );
}

export function OrderList({ orders, onChanged }: { orders: Order[]; onChanged: (o: Order) => void }) {
  if (orders.length === 0) return <p class="muted-text">{t('orders.none')}</p>;
  return (
    <ul class="order-list" aria-label={t('orders.recent')}>
      {orders.map((o) => (
        <OrderRow key={o.id} order={o} onChanged={onChanged} />
      ))}
    </ul>
  );
}
