// Dates, times and money as Indonesians write them (id-ID), in the tenant's time zone.
import { signal } from '@preact/signals';

export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';
export const FORMAT_LOCALE = 'id-ID';

// The tenant's time zone; set from GET /me.
export const timeZone = signal<string>(DEFAULT_TIME_ZONE);

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${zone}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(FORMAT_LOCALE, { ...options, timeZone: zone });
    } catch {
      // an unknown zone name: fall back to WIB rather than fail the page
      f = new Intl.DateTimeFormat(FORMAT_LOCALE, { ...options, timeZone: DEFAULT_TIME_ZONE });
    }
    cache.set(key, f);
  }
  return f;
}

function parse(value: string | Date): Date | null {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

// "23 Nov 2026, 19.33"
export function formatDateTime(value: string | Date, zone: string = timeZone.value): string {
  const d = parse(value);
  if (!d) return '';
  return dateFormat(zone, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

// "23 Nov 2026"
export function formatDate(value: string | Date, zone: string = timeZone.value): string {
  const d = parse(value);
  if (!d) return '';
  return dateFormat(zone, { dateStyle: 'medium' }).format(d);
}

// "19.33"
export function formatTime(value: string | Date, zone: string = timeZone.value): string {
  const d = parse(value);
  if (!d) return '';
  return dateFormat(zone, { timeStyle: 'short' }).format(d);
}

// "Rp 150.000" (whole rupiah; the space is a no-break space)
export function formatRupiah(amount: number): string {
  let f = cache.get('idr') as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(FORMAT_LOCALE, {
      style: 'currency',
      currency: 'IDR',
      minimumFractionDigits: 0,
      maximumFractionDigits: 0,
    });
    cache.set('idr', f);
  }
  return f.format(amount);
}

// "1.234.567"
export function formatNumber(n: number): string {
  let f = cache.get('num') as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(FORMAT_LOCALE);
    cache.set('num', f);
  }
  return f.format(n);
}
