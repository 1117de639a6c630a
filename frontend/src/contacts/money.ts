// Order money in whole rupiah: what people type as a price or a quantity, line and order totals,
// and the rows of the "record order" form turned into the items the API takes. Pure: no I/O.
import type { OrderItem } from '../api/types';

// The API's bounds (src/crm/orders.c).
export const ITEMS_MAX = 50;
export const QTY_MAX = 100000;
export const PRICE_MAX = 1_000_000_000;
export const TOTAL_MAX = 1_000_000_000_000;

// "25.000", "Rp 25.000", "Rp25000", "25 000" -> 25000. Dots and spaces group thousands, as
// Indonesians write them; anything else (decimals, minus, letters) -> null.
export function parseRupiah(text: string): number | null {
  const s = text.trim().replace(/^rp\.?\s*/i, '');
  if (!/^\d{1,3}([. \u00a0]?\d{3})*$/.test(s) && !/^\d+$/.test(s)) return null;
  const n = Number(s.replace(/[. \u00a0]/g, ''));
  return Number.isSafeInteger(n) && n <= PRICE_MAX ? n : null;
}

// A whole quantity from 1 to QTY_MAX, else null.
export function parseQty(text: string): number | null {
  const s = text.trim();
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= QTY_MAX ? n : null;
}

export function lineTotal(item: OrderItem): number {
  return item.qty * item.unit_price;
}

// The sum of the lines, as the server computes it (exact: at most 50 x 10^5 x 10^9 < 2^53).
export function orderTotal(items: readonly OrderItem[]): number {
  return items.reduce((sum, item) => sum + lineTotal(item), 0);
}

// One row of the form as typed.
export interface ItemDraft {
  name: string;
  qty: string;
  price: string;
}

export type ItemProblem = 'name' | 'qty' | 'price';

// The rows as items, skipping rows left wholly empty; problems per row index. items is null when
// any row has a problem, no row is filled, there are too many, or the total is over the cap.
export function itemsFromDrafts(drafts: readonly ItemDraft[]): {
  items: OrderItem[] | null;
  problems: Record<number, ItemProblem[]>;
  tooMuch: boolean;
} {
  const items: OrderItem[] = [];
  const problems: Record<number, ItemProblem[]> = {};
  drafts.forEach((d, i) => {
    if (!d.name.trim() && !d.qty.trim() && !d.price.trim()) return;
    const qty = parseQty(d.qty);
    const price = parseRupiah(d.price);
    const row: ItemProblem[] = [];
    if (!d.name.trim() || d.name.trim().length > 200) row.push('name');
    if (qty === null) row.push('qty');
    if (price === null) row.push('price');
    if (row.length) problems[i] = row;
    else items.push({ name: d.name.trim(), qty: qty as number, unit_price: price as number });
  });
  const tooMuch = items.length > ITEMS_MAX || orderTotal(items) > TOTAL_MAX;
  const ok = Object.keys(problems).length === 0 && items.length > 0 && !tooMuch;
  return { items: ok ? items : null, problems, tooMuch };
}
