// Pure helpers of the keyword auto-reply rules: the form's rules (the limits of openapi.yaml's
// POST/PATCH /api/v1/auto-replies and src/crm/service.c) and the bodies built from its strings.
// Keywords are typed in one field, separated by commas or new lines.
import type { AutoReply, AutoReplyCreate, AutoReplyMatch } from '../api/types';
import { rules, type Rule, type Schema } from '../forms/validate';

export const KEYWORDS_MAX = 20;
export const KEYWORD_MAX = 100;
export const REPLY_MAX = 1000;

export type RuleField = 'keywords' | 'match' | 'reply_text' | 'active';

export const ruleInitial: Record<RuleField, string> = {
  keywords: '',
  match: 'contains',
  reply_text: '',
  active: 'true',
};

// "ongkir, harga ; \n  promo" -> ["ongkir", "harga", "promo"]: trimmed, empty ones dropped,
// repeats (ignoring case) kept once.
export function splitKeywords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[,;\n]/)) {
    const k = part.trim();
    if (k !== '' && !seen.has(k.toLowerCase())) {
      seen.add(k.toLowerCase());
      out.push(k);
    }
  }
  return out;
}

// The server keeps letters, digits and emoji of a keyword; one made of nothing else is refused.
const MEANINGFUL = /[\p{L}\p{N}\p{Extended_Pictographic}]/u;

const keywordList = (): Rule => (v) => {
  const list = splitKeywords(v);
  if (list.length === 0) return { key: 'error.required' };
  if (list.length > KEYWORDS_MAX) return { key: 'autoReply.tooManyKeywords', params: { n: KEYWORDS_MAX } };
  if (list.some((k) => [...k].length > KEYWORD_MAX)) return { key: 'error.maxLength', params: { n: KEYWORD_MAX } };
  if (list.some((k) => !MEANINGFUL.test(k))) return { key: 'autoReply.badKeyword' };
  return null;
};

export const ruleSchema: Schema<RuleField> = {
  keywords: [keywordList()],
  match: [rules.oneOf(['exact', 'contains'])],
  reply_text: [rules.required(), rules.maxLength(REPLY_MAX)],
};

export function ruleValues(r: AutoReply): Record<RuleField, string> {
  return {
    keywords: r.keywords.join(', '),
    match: r.match,
    reply_text: r.reply_text,
    active: r.active ? 'true' : 'false',
  };
}

export function ruleBody(v: Record<RuleField, string>): Required<AutoReplyCreate> {
  return {
    keywords: splitKeywords(v.keywords),
    match: v.match as AutoReplyMatch,
    reply_text: v.reply_text,
    active: v.active === 'true',
  };
}
