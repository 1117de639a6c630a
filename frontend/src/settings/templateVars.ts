// Template text as Meta reads it: the {{1}}, {{2}}… or {{name}} variables of a body, the body of
// a stored template, a preview with values filled in, and the create request the form sends.
import type { Template, TemplateComponent, TemplateCreate } from '../api/types';

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

export interface Vars {
  named: boolean;
  names: string[]; // in order: '1', '2'… (positional) or names as first used
  error: 'mixed' | 'gap' | 'bad' | null;
}

// The variables of text, and what is wrong with them (as the server would say).
export function textVars(text: string): Vars {
  const seen: string[] = [];
  let kind: 'p' | 'n' | null = null;
  let error: Vars['error'] = null;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const inner = m[1] ?? '';
    const k = /^[1-9][0-9]{0,2}$/.test(inner) ? 'p' : /^[a-z][a-z0-9_]{0,59}$/.test(inner) ? 'n' : null;
    if (!k) {
      error = 'bad';
      continue;
    }
    if (kind && kind !== k) error = 'mixed';
    kind = kind ?? k;
    if (!seen.includes(inner)) seen.push(inner);
  }
  if (text.replace(PLACEHOLDER, '').includes('{{')) error = error ?? 'bad';
  if (kind === 'p') {
    const numbers = seen.map(Number).sort((a, b) => a - b);
    if (numbers.some((n, i) => n !== i + 1)) error = error ?? 'gap';
    return { named: false, names: numbers.map(String), error };
  }
  return { named: kind === 'n', names: seen, error };
}

// The text of a stored template's component of this type (BODY, HEADER, FOOTER), or ''.
export function componentText(tpl: Template, type: string): string {
  const c = tpl.components.find((x) => x.type.toUpperCase() === type);
  return c?.text ?? '';
}

export interface UrlButton {
  index: number; // the button's position, 0 for the first
  text: string; // its label
  url: string; // the link up to its {{1}}
}

// The URL buttons of a stored template whose link ends in a variable, which a send must fill.
export function urlButtons(tpl: Template): UrlButton[] {
  const c = tpl.components.find((x) => x.type.toUpperCase() === 'BUTTONS');
  const out: UrlButton[] = [];
  (c?.buttons ?? []).forEach((b, index) => {
    const url = typeof b.url === 'string' ? b.url : '';
    const type = typeof b.type === 'string' ? b.type.toUpperCase() : '';
    if (type === 'URL' && url.includes('{{')) {
      out.push({ index, text: typeof b.text === 'string' ? b.text : '', url: url.slice(0, url.indexOf('{{')) });
    }
  });
  return out;
}

// text with each {{var}} replaced by its value; an empty value shows the placeholder.
export function fillText(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const v = values[name];
    return v ? v : whole;
  });
}

export interface TemplateDraft {
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY';
  body: string;
  footer: string;
  examples: Record<string, string>;
}

// The create request for a draft: a BODY with an example of every variable, a FOOTER if typed.
export function createRequest(d: TemplateDraft): TemplateCreate {
  const vars = textVars(d.body);
  const body: TemplateComponent = { type: 'BODY', text: d.body };
  if (vars.names.length > 0) {
    body.example = vars.named
      ? {
          body_text_named_params: vars.names.map((n) => ({ param_name: n, example: d.examples[n] ?? '' })),
        }
      : { body_text: [vars.names.map((n) => d.examples[n] ?? '')] };
  }
  const components: TemplateComponent[] = [body];
  if (d.footer.trim()) components.push({ type: 'FOOTER', text: d.footer.trim() });
  return {
    name: d.name.trim(),
    language: d.language,
    category: d.category,
    parameter_format: vars.named ? 'named' : 'positional',
    components,
  };
}

// What the composer fills a variable with before the agent types: the customer's name for a
// variable that asks for a name.
export function prefill(name: string, contactName: string | null): string {
  return contactName && /^(nama|name|first_name|nama_pelanggan|pelanggan)$/.test(name) ? contactName : '';
}
