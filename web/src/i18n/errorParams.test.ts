import { describe, expect, it } from 'vitest';

import { ApiError, errorMessage } from '../api/client';
import { setCurrentLanguage } from './i18n';

describe('an error naming its photo (issue 19.3: a trade conflict showed a raw id)', () => {
  const busy = new ApiError(409, 'photo 3f2a… is already offered', {
    code: 'exchange.photo_in_trade',
    params: { photo: 'Закат', titled: 'yes', photo_id: '3f2a0000-0000-0000-0000-000000000000' },
  });

  it('names the photo and says why, in the UI language, never the id', () => {
    setCurrentLanguage('ru');
    const ru = errorMessage(busy);
    expect(ru).toBe(
      'Фотография «Закат» уже участвует в открытом обмене. Сначала отмените тот обмен.',
    );
    expect(ru).not.toContain('3f2a');
    setCurrentLanguage('en');
    expect(errorMessage(busy)).toBe(
      'The photo “Закат” is already in an open trade. Cancel that trade first.',
    );
  });

  it('says "this photo" for an untitled one', () => {
    setCurrentLanguage('en');
    const untitled = new ApiError(409, 'x', {
      code: 'exchange.photo_in_transfer',
      params: { photo: '', titled: 'no', photo_id: 'x' },
    });
    expect(errorMessage(untitled)).toMatch(/^This photo is offered/);
  });
});
