/** Small formatting helpers shared by pages. */

export function formatDate(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language === 'ru' ? 'ru-RU' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

const BYTE_UNITS = { en: ['B', 'KB', 'MB'], ru: ['Б', 'КБ', 'МБ'] } as const;

/** 1536 → "2 KB" / "2 КБ"; megabytes with one decimal, written the language's way ("1,5 МБ").
 * The language is required: a default once left the Russian studio saying "MB". */
export function formatBytes(bytes: number, language: string): string {
  const [b, kb, mb] = BYTE_UNITS[language === 'ru' ? 'ru' : 'en'];
  if (bytes < 1024) return `${bytes} ${b}`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} ${kb}`;
  const number = new Intl.NumberFormat(language, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  return `${number.format(bytes / 1024 / 1024)} ${mb}`;
}

/** "ru" → "русский" / "Russian": a language code named in the UI's language (the code if unknown). */
export function languageName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'language' }).of(code) ?? code;
  } catch {
    return code; // not a well-formed tag
  }
}

/** 83 → "1:23", 3723 → "1:02:03". */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
