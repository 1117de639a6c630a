// Translation: the locale signal, t() and message descriptors. Components that call t() re-render
// when the locale changes, because t() reads the signal.
import { signal } from '@preact/signals';
import type { Locale } from '../api/types';
import { en } from './en';
import { id, type MessageKey } from './id';

export type { MessageKey };
// A parameter may itself be a message (e.g. "in 3 minutes" inside "Try again {wait}.").
export type Params = Record<string, string | number | Msg>;

// A message to show later, kept as key and parameters so it follows a language switch.
export interface Msg {
  key: MessageKey;
  params?: Params;
}

export const catalogs: Record<Locale, Record<MessageKey, string>> = { id, en };

const STORAGE_KEY = 'laris.locale';

function storedLocale(): Locale | null {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'id' || v === 'en' ? v : null;
  } catch {
    return null;
  }
}

// Bahasa Indonesia unless this device last used English (before a login tells us the user's own).
export const locale = signal<Locale>(storedLocale() ?? 'id');

export function setLocale(next: Locale): void {
  locale.value = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // private mode: the choice lasts this visit
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

export function translate(lang: Locale, key: MessageKey, params?: Params): string {
  const template = catalogs[lang][key] ?? id[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'object' ? translate(lang, v.key, v.params) : String(v);
  });
}

export function t(key: MessageKey, params?: Params): string {
  return translate(locale.value, key, params);
}

export function tm(msg: Msg): string {
  return t(msg.key, msg.params);
}
