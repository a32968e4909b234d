/**
 * A deliberately tiny i18n layer: two languages, flat keys, `{name}` placeholders.
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

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function createTranslator(language: Language): Translate {
  const table = tables[language];
  return (key, values) => {
    const text = table[key] ?? en[key] ?? key;
    if (!values) return text;
    return text.replace(/\{(\w+)\}/g, (match, name: string) =>
      name in values ? String(values[name]) : match,
    );
  };
}
