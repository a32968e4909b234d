import { describe, expect, it, vi } from 'vitest';

import { getInitData, getMaxLanguage, haptic, isInsideMax, maxTheme } from './max';

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

describe('haptic(kind)', () => {
  function bridge(initData = 'signed-launch-data') {
    const feedback = {
      impactOccurred: vi.fn(),
      notificationOccurred: vi.fn(),
      selectionChanged: vi.fn(),
    };
    window.WebApp = { initData, HapticFeedback: feedback };
    return feedback;
  }

  it('maps each kind to one of MAX’s three generators', () => {
    const feedback = bridge();
    haptic('medium');
    haptic('light');
    haptic('selection');
    haptic('success');
    haptic('error');
    haptic('warning');
    expect(feedback.impactOccurred.mock.calls).toEqual([['medium'], ['light']]);
    expect(feedback.selectionChanged).toHaveBeenCalledTimes(1);
    expect(feedback.notificationOccurred.mock.calls).toEqual([['success'], ['error'], ['warning']]);
  });

  it('does nothing outside MAX, even where a bridge object exists without launch data', () => {
    expect(() => haptic('success')).not.toThrow();
    const feedback = bridge('');
    haptic('success');
    haptic('medium');
    expect(feedback.notificationOccurred).not.toHaveBeenCalled();
    expect(feedback.impactOccurred).not.toHaveBeenCalled();
  });

  it('survives an old bridge without haptics, or one whose haptics throw', () => {
    window.WebApp = { initData: 'signed-launch-data' };
    expect(() => haptic('success')).not.toThrow();
    const feedback = bridge();
    feedback.impactOccurred.mockImplementation(() => {
      throw new Error('not supported');
    });
    expect(() => haptic('medium')).not.toThrow();
  });
});

describe('maxTheme', () => {
  it('is empty outside MAX', () => {
    window.WebApp = { initData: '', colorScheme: 'dark', platform: 'ios' };
    expect(maxTheme()).toEqual({});
  });

  it('takes MAX’s platform and, where the bridge sends one, its colour scheme', () => {
    window.WebApp = { initData: 'x', platform: 'android', colorScheme: 'dark' };
    expect(maxTheme()).toEqual({ colorScheme: 'dark', platform: 'android' });
    window.WebApp = { initData: 'x', platform: 'iOS' };
    expect(maxTheme()).toEqual({ colorScheme: undefined, platform: 'ios' });
  });

  it('ignores values MAX UI has no look for (desktop, web, an unknown scheme)', () => {
    window.WebApp = { initData: 'x', platform: 'desktop', colorScheme: 'sepia' };
    expect(maxTheme()).toEqual({ colorScheme: undefined, platform: undefined });
  });
});
