import { describe, expect, it } from 'vitest';
import { validate } from '../forms/validate';
import { ruleBody, ruleInitial, ruleSchema, ruleValues, splitKeywords } from './autoReplies';

describe('keyword rules', () => {
  it('splits keywords on commas, semicolons and lines, once each', () => {
    expect(splitKeywords(' ongkir, Harga ;\n harga,, cod ')).toEqual(['ongkir', 'Harga', 'cod']);
    expect(splitKeywords(' , ')).toEqual([]);
  });

  it('checks keywords and the reply like the server', () => {
    expect(validate({ ...ruleInitial, keywords: 'ongkir', reply_text: 'Ongkir Rp10.000' }, ruleSchema)).toEqual({});
    expect(validate({ ...ruleInitial, keywords: '🛵', reply_text: 'x' }, ruleSchema)).toEqual({});
    const errs = validate({ ...ruleInitial, keywords: '', reply_text: ' ' }, ruleSchema);
    expect(errs).toEqual({ keywords: { key: 'error.required' }, reply_text: { key: 'error.required' } });
    expect(validate({ ...ruleInitial, keywords: '!!!, ongkir', reply_text: 'x' }, ruleSchema).keywords).toEqual({
      key: 'autoReply.badKeyword',
    });
    const many = Array.from({ length: 21 }, (_, i) => `k${i}`).join(',');
    expect(validate({ ...ruleInitial, keywords: many, reply_text: 'x' }, ruleSchema).keywords).toEqual({
      key: 'autoReply.tooManyKeywords',
      params: { n: 20 },
    });
    expect(validate({ ...ruleInitial, keywords: 'a'.repeat(101), reply_text: 'x' }, ruleSchema).keywords).toEqual({
      key: 'error.maxLength',
      params: { n: 100 },
    });
    expect(validate({ ...ruleInitial, keywords: 'a', reply_text: 'x'.repeat(1001) }, ruleSchema).reply_text).toEqual({
      key: 'error.maxLength',
      params: { n: 1000 },
    });
  });

  it('round-trips a rule through the form', () => {
    const rule = {
      id: 3,
      keywords: ['ongkir', 'kirim'],
      match: 'exact' as const,
      reply_text: 'Ongkir mulai Rp10.000',
      active: false,
      created_at: '2026-11-23T06:00:00Z',
      updated_at: '2026-11-23T06:00:00Z',
    };
    expect(ruleBody(ruleValues(rule))).toEqual({
      keywords: ['ongkir', 'kirim'],
      match: 'exact',
      reply_text: 'Ongkir mulai Rp10.000',
      active: false,
    });
  });
});
