/**
 * A deliberately tiny i18n layer: two languages, flat keys, `{name}` placeholders, and two ICU
 * forms: `{n, plural, one {# photo} other {# photos}}` chosen by Intl.PluralRules (Russian:
 * one / few / many) and `{status, select, done {ready} other {closed}}` chosen by the value.
 * A library (i18next, FormatJS) would cost more bundle than all our strings together.
 */
import { getMaxLanguage } from '../lib/max';
import { en, ru, type MessageKey, type Messages } from './messages';

export type Language = 'en' | 'ru';

const tables: Record<Language, Messages> = { en, ru };

/** Maps a BCP 47 tag ("ru-RU", "ru", "en-GB", …) to a supported UI language. */
export function pickLanguage(tag: string | null | undefined): Language {
  return tag?.trim().toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/**
 * Inside MAX the messenger's own UI language wins (the user chose it there); in a browser we fall
 * back to the browser's preferred language.
 */
export function detectLanguage(): Language {
  const nav = typeof navigator === 'undefined' ? undefined : navigator.language;
  return pickLanguage(getMaxLanguage() ?? nav);
}

export type Values = Record<string, string | number | readonly string[]>;
export type Translate = (key: MessageKey, values?: Values) => string;

const pluralRules = new Map<Language, Intl.PluralRules>();
// A form may hold plain `{name}` placeholders (one level), filled after the form is chosen.
const CHOICE = /\{(\w+), (plural|select),((?:\s*[\w=]+\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}/g;
const FORM = /([\w=]+)\s*\{((?:[^{}]|\{\w+\})*)\}/g;

/** The Intl.PluralRules category ("one", "few", "many", "other") of `n` in `language`. */
export function pluralCategory(language: Language, n: number): string {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  return rules.select(n);
}

function valueText(value: string | number | readonly string[]): string {
  return typeof value === 'object' ? value.join(', ') : String(value);
}

function choose(language: Language, kind: string, value: unknown, body: string): string | null {
  const forms = new Map([...body.matchAll(FORM)].map((m) => [m[1], m[2]] as const));
  if (kind === 'select') return forms.get(String(value)) ?? forms.get('other') ?? null;
  const n = Number(value);
  if (Number.isNaN(n)) return null;
  const form = forms.get(`=${n}`) ?? forms.get(pluralCategory(language, n)) ?? forms.get('other');
  return form === undefined ? null : form.replace(/#/g, String(n));
}

/** `text` with its plural/select blocks resolved and `{name}` placeholders filled. */
export function format(language: Language, text: string, values?: Values): string {
  if (!values) return text;
  const chosen = text.replace(CHOICE, (match, name: string, kind: string, body: string) =>
    name in values ? (choose(language, kind, values[name], body) ?? match) : match,
  );
  return chosen.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = values[name];
    return value === undefined ? match : valueText(value);
  });
}

export function createTranslator(language: Language): Translate {
  const table = tables[language];
  return (key, values) => format(language, table[key] ?? en[key] ?? key, values);
}

let current: Language | null = null;

/** The language the app shows (set by I18nProvider), for text made outside components. */
export function currentLanguage(): Language {
  return current ?? detectLanguage();
}

export function setCurrentLanguage(language: Language): void {
  current = language;
}
