import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { errorText } from './apiErrors';
import { createTranslator } from './i18n';

describe('errorText (issue 19.3: a trade conflict showed a raw id)', () => {
  const busy = new ApiError(409, 'photo 3f2a… is already offered', 'exchange.photo_in_trade', {
    photo: 'Закат',
    photo_id: '3f2a0000-0000-0000-0000-000000000000',
  });

  it('names the photo and says why, in the UI language, never the id', () => {
    const ru = errorText(busy, createTranslator('ru'));
    expect(ru).toBe(
      'Фотография «Закат» уже участвует в открытом обмене. Сначала отмените тот обмен.',
    );
    expect(ru).not.toContain('3f2a');
    expect(errorText(busy, createTranslator('en'))).toBe(
      'The photo “Закат” is already in an open trade. Cancel that trade first.',
    );
  });

  it('has a message for an untitled photo, and falls back to the server text otherwise', () => {
    const untitled = new ApiError(409, 'x', 'exchange.photo_in_transfer', { photo: '' });
    expect(errorText(untitled, createTranslator('en'))).toMatch(/^This photo is offered/);
    expect(
      errorText(new ApiError(404, 'no trade with this code', 'not_found'), createTranslator('ru')),
    ).toBe('no trade with this code');
  });
});
