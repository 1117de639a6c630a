import { describe, expect, it } from 'vitest';
import type { Template } from '../api/types';
import { componentText, createRequest, fillText, prefill, textVars, urlButtons } from './templateVars';

describe('textVars', () => {
  it('reads positional variables in number order', () => {
    expect(textVars('Halo {{2}} dan {{1}}, {{1}}')).toEqual({ named: false, names: ['1', '2'], error: null });
  });
  it('reads named variables as first used', () => {
    expect(textVars('Halo {{nama}}, kode {{kode_promo}} {{nama}}')).toEqual({
      named: true,
      names: ['nama', 'kode_promo'],
      error: null,
    });
  });
  it('says what Meta would refuse', () => {
    expect(textVars('{{1}} {{3}}').error).toBe('gap');
    expect(textVars('{{1}} {{nama}}').error).toBe('mixed');
    expect(textVars('{{Nama}}').error).toBe('bad');
    expect(textVars('Halo {{1').error).toBe('bad');
    expect(textVars('Tanpa variabel').names).toEqual([]);
  });
});

describe('createRequest', () => {
  it('gives an example for each positional variable and the footer', () => {
    const r = createRequest({
      name: ' promo ',
      language: 'id',
      category: 'MARKETING',
      body: 'Halo {{1}}, diskon {{2}}',
      footer: 'Toko Maju',
      examples: { '1': 'Siti', '2': '20%' },
    });
    expect(r).toEqual({
      name: 'promo',
      language: 'id',
      category: 'MARKETING',
      parameter_format: 'positional',
      components: [
        { type: 'BODY', text: 'Halo {{1}}, diskon {{2}}', example: { body_text: [['Siti', '20%']] } },
        { type: 'FOOTER', text: 'Toko Maju' },
      ],
    });
  });
  it('names the examples of named variables', () => {
    const r = createRequest({
      name: 'sapa',
      language: 'id',
      category: 'UTILITY',
      body: 'Halo {{nama}}',
      footer: ' ',
      examples: { nama: 'Siti' },
    });
    expect(r.parameter_format).toBe('named');
    expect(r.components).toEqual([
      { type: 'BODY', text: 'Halo {{nama}}', example: { body_text_named_params: [{ param_name: 'nama', example: 'Siti' }] } },
    ]);
  });
});

describe('filling a template', () => {
  const tpl = {
    components: [
      { type: 'BODY', text: 'Halo {{1}}, pesanan {{2}}' },
      { type: 'FOOTER', text: 'Toko' },
    ],
  } as unknown as Template;
  it('previews with the values typed so far', () => {
    expect(fillText(componentText(tpl, 'BODY'), { '1': 'Siti' })).toBe('Halo Siti, pesanan {{2}}');
    expect(componentText(tpl, 'HEADER')).toBe('');
  });
  it('prefills a name variable with the contact name only', () => {
    expect(prefill('nama', 'Siti')).toBe('Siti');
    expect(prefill('kode', 'Siti')).toBe('');
    expect(prefill('nama', null)).toBe('');
  });
});

describe('urlButtons', () => {
  it('lists the link buttons whose link ends in a variable, by their position', () => {
    const tpl = {
      components: [
        { type: 'BODY', text: 'Pesanan {{1}}' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Stop' },
            { type: 'URL', text: 'Lacak', url: 'https://toko.id/lacak/{{1}}' },
            { type: 'url', text: 'Bantuan', url: 'https://toko.id/bantuan' },
            { type: 'URL', text: 'Nota', url: 'https://toko.id/nota/{{1}}' },
          ],
        },
      ],
    } as unknown as Template;
    expect(urlButtons(tpl)).toEqual([
      { index: 1, text: 'Lacak', url: 'https://toko.id/lacak/' },
      { index: 3, text: 'Nota', url: 'https://toko.id/nota/' },
    ]);
    expect(urlButtons({ components: [{ type: 'BODY', text: 'x' }] } as unknown as Template)).toEqual([]);
  });
});
