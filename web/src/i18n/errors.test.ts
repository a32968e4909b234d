import { describe, expect, it } from 'vitest';

import openapi from '../api/openapi.json';
import { errorText, errorsEn, errorsRu, type ErrorCode } from './errors';

/** Every code the API can answer with: the backend's catalogue, as the OpenAPI enum. */
const apiCodes: string[] = openapi.components.schemas.ErrorCode.enum;
const CLIENT_CODES = ['network', 'unknown'];

/** Sample params for a message: every `{name}` it uses, as a number (plural forms need one). */
function sampleParams(text: string, n: number): Record<string, string | number> {
  const names = [...text.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]);
  return Object.fromEntries(names.map((name) => [name, name === 'status' ? 'expired' : n]));
}

describe('the error message catalogue', () => {
  it('knows the API codes (a guard against reading an empty list)', () => {
    expect(apiCodes.length).toBeGreaterThan(50);
    expect(apiCodes).toContain('auth.bad_credentials');
  });

  it.each(apiCodes)('has an English and a Russian message for %s', (code) => {
    expect(errorsEn[code as ErrorCode], `en: ${code}`).toBeTruthy();
    expect(errorsRu[code as ErrorCode], `ru: ${code}`).toBeTruthy();
    expect(errorsRu[code as ErrorCode], `ru is Russian: ${code}`).toMatch(/[а-яё]/i);
  });

  it('has no message for a code the API does not have', () => {
    const known = new Set([...apiCodes, ...CLIENT_CODES]);
    expect(Object.keys(errorsEn).filter((code) => !known.has(code))).toEqual([]);
    expect(Object.keys(errorsRu).filter((code) => !known.has(code))).toEqual([]);
  });

  it.each([1, 3, 5, 21])('fills every placeholder with params (n = %i)', (n) => {
    for (const language of ['en', 'ru'] as const) {
      const table = language === 'en' ? errorsEn : errorsRu;
      for (const [code, text] of Object.entries(table)) {
        const out = errorText(code as ErrorCode, sampleParams(text, n), language);
        expect(out, `${language} ${code}`).not.toMatch(/[{}]|undefined|NaN/);
      }
    }
  });

  it('renders params in the language: sizes, field names, plural and select forms', () => {
    expect(errorText('upload.too_large', { max_bytes: 50 * 1024 * 1024 }, 'ru')).toBe(
      'Файл слишком большой (не больше 50 МБ).',
    );
    expect(errorText('validation.missing', { field: 'password' }, 'ru')).toBe(
      'Заполните поле «Пароль».',
    );
    expect(errorText('password.too_short', { min: 8 }, 'ru')).toBe(
      'Пароль должен быть не короче 8 символов.',
    );
    expect(errorText('rate_limited', { retry_after: 21 }, 'ru')).toContain('21 секунду');
    expect(errorText('rate_limited', { retry_after: 3 }, 'ru')).toContain('3 секунды');
    expect(errorText('rate_limited', { retry_after: 1 }, 'en')).toContain('1 second.');
    expect(errorText('trade.gone', { status: 'cancelled' }, 'ru')).toBe('Этот обмен отменён.');
    expect(errorText('trade.gone', { status: 'expired' }, 'en')).toBe('This trade has expired.');
  });
});
