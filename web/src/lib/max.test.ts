import { describe, expect, it } from 'vitest';

import { getInitData, getMaxLanguage, isInsideMax } from './max';

describe('MAX bridge detection', () => {
  it('is outside MAX without the bridge object', () => {
    expect(isInsideMax()).toBe(false);
    expect(getInitData()).toBeNull();
    expect(getMaxLanguage()).toBeUndefined();
  });

  it('is outside MAX when the bridge has no launch data', () => {
    window.WebApp = { initData: '' };
    expect(isInsideMax()).toBe(false);
    expect(getInitData()).toBeNull();
  });

  it('is inside MAX with non-empty initData', () => {
    const initData = 'auth_date=1&hash=abc&user=%7B%22id%22%3A1%7D';
    window.WebApp = { initData, initDataUnsafe: { user: { id: 1, language_code: 'ru' } } };
    expect(isInsideMax()).toBe(true);
    expect(getInitData()).toBe(initData);
    expect(getMaxLanguage()).toBe('ru');
  });
});
