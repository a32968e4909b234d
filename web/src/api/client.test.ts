import { afterEach, describe, expect, it } from 'vitest';

import { setCurrentLanguage } from '../i18n/i18n';
import { ApiError, apiError, errorMessage } from './client';

const USERNAME_422 = {
  detail: [
    {
      type: 'username.invalid',
      loc: ['body', 'username'],
      msg: "username must be 3-32 characters: letters, digits, '_', '.' or '-'",
      ctx: { min: 3, max: 32, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$' },
    },
  ],
  code: 'username.invalid',
  params: { field: 'username', min: 3, max: 32, allowed: 'A-Z a-z 0-9 _ . -' },
};

describe('errorMessage', () => {
  afterEach(() => setCurrentLanguage('en'));

  it("shows the app's own message for an API error code, in the current language", () => {
    const wrong = apiError(401, {
      detail: 'wrong username or password',
      code: 'auth.bad_credentials',
    });
    setCurrentLanguage('en');
    expect(errorMessage(wrong)).toBe('Wrong username or password.');
    setCurrentLanguage('ru');
    expect(errorMessage(wrong)).toBe('Неверное имя пользователя или пароль.');
    expect(
      errorMessage({ detail: 'the file is empty', code: 'upload.empty_file', params: {} }),
    ).toBe('Файл пустой.');
  });

  it('calls a mangled id in a link "not found", not a field with a wrong value', () => {
    const mangled = apiError(422, {
      detail: [{ type: 'uuid_parsing', loc: ['path', 'user_id'], msg: 'bad uuid' }],
      code: 'validation.wrong_type',
      params: { field: 'user_id' },
    });
    setCurrentLanguage('ru');
    expect(errorMessage(mangled)).toBe('Не найдено.');
    setCurrentLanguage('en');
    expect(errorMessage(mangled)).toBe('Not found.');
    const count = { code: 'validation.wrong_type', params: { field: 'limit' } };
    expect(errorMessage(apiError(422, { detail: [], ...count }))).toBe('limit has a wrong value.');
  });

  it('fills params and never shows a regular expression from a 422', () => {
    setCurrentLanguage('ru');
    const text = errorMessage(apiError(422, USERNAME_422));
    expect(text).toContain('от 3 до 32 символов');
    expect(text).not.toMatch(/\^|\$|\{2,31\}/);
  });

  it("never shows the server's English detail, a UUID or a browser's message", () => {
    setCurrentLanguage('ru');
    const uncoded = new ApiError(404, 'photo 0b7c6a52-3f7e-4c1d-9d55-0f5a3f3e2d11 not found');
    expect(errorMessage(uncoded)).toBe('Что-то пошло не так (HTTP 404).');
    expect(errorMessage(apiError(500, { detail: 'internal error', code: 'nope' }))).toBe(
      'На сервере что-то пошло не так. Попробуйте ещё раз.',
    );
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe(
      'Нет связи с сервером. Проверьте сеть и попробуйте ещё раз.',
    );
    expect(errorMessage('scanner busy')).toBe('Что-то пошло не так. Попробуйте ещё раз.');
  });

  it('keeps the English detail on the ApiError for logs', () => {
    const error = apiError(409, {
      detail: 'this trade has already been claimed',
      code: 'trade.claimed',
    });
    expect(error.message).toContain('already been claimed');
    expect(error.coded?.code).toBe('trade.claimed');
  });
});
