import { afterEach, describe, expect, it, vi } from 'vitest';

import { createTranslator, detectLanguage, format, pickLanguage } from './i18n';
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

describe('plural and select forms', () => {
  it.each([
    [1, 'Вы получили 1 фотографию.'],
    [2, 'Вы получили 2 фотографии.'],
    [5, 'Вы получили 5 фотографий.'],
    [11, 'Вы получили 11 фотографий.'],
    [21, 'Вы получили 21 фотографию.'],
    [22, 'Вы получили 22 фотографии.'],
  ])('Russian picks one / few / many for %i', (n, text) => {
    expect(createTranslator('ru')('exchange.claimed', { n })).toBe(text);
  });

  it('English picks one / other', () => {
    expect(createTranslator('en')('trade.items', { n: 1 })).toBe('1 photo');
    expect(createTranslator('en')('trade.items', { n: 3 })).toBe('3 photos');
  });

  it('no message shows "(s)" for a count', () => {
    for (const text of [...Object.values(en), ...Object.values(ru)]) {
      expect(text).not.toContain('(s)');
    }
  });

  it('select picks by value, else other; exact =n beats the category', () => {
    const text =
      '{s, select, a {Alpha} other {Other}} {n, plural, =0 {none} one {# one} other {# many}}';
    expect(format('en', text, { s: 'a', n: 0 })).toBe('Alpha none');
    expect(format('en', text, { s: 'zzz', n: 1 })).toBe('Other 1 one');
  });
});
