import { afterEach, describe, expect, it, vi } from 'vitest';

import { createTranslator, detectLanguage, pickLanguage } from './i18n';
import { en, ru } from './messages';

describe('pickLanguage', () => {
  it.each(['ru-RU', 'ru', 'RU', 'ru_RU'])('picks Russian for %s', (tag) => {
    expect(pickLanguage(tag)).toBe('ru');
  });

  it.each(['en-US', 'en', 'de-DE', 'uk-UA', '', undefined, null])('picks English for %s', (tag) => {
    expect(pickLanguage(tag)).toBe('en');
  });
});

describe('detectLanguage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prefers the MAX user language over the browser language', () => {
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('en-US');
    window.WebApp = { initData: 'query_id=1', initDataUnsafe: { user: { language_code: 'ru' } } };
    expect(detectLanguage()).toBe('ru');
  });

  it('falls back to navigator.language outside MAX', () => {
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('ru-RU');
    expect(detectLanguage()).toBe('ru');
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('fr-FR');
    expect(detectLanguage()).toBe('en');
  });
});

describe('createTranslator', () => {
  it('translates and fills placeholders', () => {
    expect(createTranslator('en')('nav.studio')).toBe('Studio');
    expect(createTranslator('ru')('nav.studio')).toBe('Студия');
    expect(createTranslator('en')('status.degraded', { checks: 'redis' })).toBe('Degraded: redis');
  });

  it('has a non-empty Russian string for every English key', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ru[key], key).toBeTruthy();
    }
  });
});
