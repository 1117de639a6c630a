import { describe, expect, it } from 'vitest';
import { formatRupiah } from '../i18n/format';
import { itemsFromDrafts, orderTotal, parseQty, parseRupiah, TOTAL_MAX } from './money';

const plain = (s: string) => s.replace(/\s/g, ' ');

describe('rupiah', () => {
  it('formats whole rupiah the Indonesian way', () => {
    expect(plain(formatRupiah(150000))).toBe('Rp 150.000');
    expect(plain(formatRupiah(0))).toBe('Rp 0');
    expect(plain(formatRupiah(TOTAL_MAX))).toBe('Rp 1.000.000.000.000');
  });

  it('reads prices as people type them', () => {
    expect(parseRupiah('25000')).toBe(25000);
    expect(parseRupiah('25.000')).toBe(25000);
    expect(parseRupiah('Rp 25.000')).toBe(25000);
    expect(parseRupiah('rp25.000')).toBe(25000);
    expect(parseRupiah(' 1 250 000 ')).toBe(1250000);
    expect(parseRupiah('0')).toBe(0);
    expect(parseRupiah('1.000.000.000')).toBe(1000000000);
  });

  it('refuses what is not a whole rupiah amount within bounds', () => {
    for (const bad of ['', 'Rp', '25,5', '25.00', '-5', '1e3', 'dua puluh', '1.000.000.001', '25..000']) {
      expect(parseRupiah(bad), bad).toBeNull();
    }
  });

  it('reads quantities from 1 to 100000', () => {
    expect(parseQty('3')).toBe(3);
    expect(parseQty(' 100000 ')).toBe(100000);
    for (const bad of ['0', '100001', '1.5', '-1', 'x', '']) expect(parseQty(bad), bad).toBeNull();
  });
});

describe('totals', () => {
  it('add up qty x unit price', () => {
    expect(orderTotal([])).toBe(0);
    expect(
      orderTotal([
        { name: 'Kopi', qty: 3, unit_price: 18000 },
        { name: 'Roti', qty: 2, unit_price: 12500 },
      ]),
    ).toBe(79000);
  });

  it('turn form rows into items, skipping empty rows and naming bad ones', () => {
    const ok = itemsFromDrafts([
      { name: ' Kopi ', qty: '2', price: '25.000' },
      { name: '', qty: '', price: '' },
    ]);
    expect(ok.items).toEqual([{ name: 'Kopi', qty: 2, unit_price: 25000 }]);
    expect(ok.problems).toEqual({});

    const bad = itemsFromDrafts([
      { name: 'Kopi', qty: '0', price: '25.000' },
      { name: '', qty: '1', price: 'gratis' },
    ]);
    expect(bad.items).toBeNull();
    expect(bad.problems).toEqual({ 0: ['qty'], 1: ['name', 'price'] });

    expect(itemsFromDrafts([{ name: '', qty: '', price: '' }]).items).toBeNull();
    const huge = itemsFromDrafts([
      { name: 'a', qty: '100000', price: '1.000.000.000' },
      { name: 'b', qty: '100000', price: '1.000.000.000' },
    ]);
    expect(huge.items).toBeNull();
    expect(huge.tooMuch).toBe(true);
  });
});
