import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';

import {
  createTranslator,
  detectLanguage,
  setCurrentLanguage,
  type Language,
  type Translate,
} from './i18n';

interface I18nValue {
  language: Language;
  t: Translate;
}

const I18nContext = createContext<I18nValue>({ language: 'en', t: createTranslator('en') });

export function I18nProvider({ language, children }: { language?: Language; children: ReactNode }) {
  // Detected once: neither MAX nor the browser changes the language while the page is open.
  const lang = useMemo(() => language ?? detectLanguage(), [language]);
  const value = useMemo(() => {
    setCurrentLanguage(lang); // errorMessage() renders API errors outside React
    return { language: lang, t: createTranslator(lang) };
  }, [lang]);

  useEffect(() => {
    // Screen readers pick their pronunciation from <html lang>.
    document.documentElement.lang = lang;
  }, [lang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  return useContext(I18nContext);
}
