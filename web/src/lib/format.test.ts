import { describe, expect, it } from 'vitest';

import { formatBytes } from './format';

describe('formatBytes', () => {
  it('writes units and decimals the way the language does', () => {
    expect(formatBytes(0, 'ru')).toBe('0 Б');
    expect(formatBytes(2048, 'ru')).toBe('2 КБ');
    expect(formatBytes(1.5 * 1024 * 1024, 'ru')).toBe('1,5 МБ');
    expect(formatBytes(1.5 * 1024 * 1024, 'en')).toBe('1.5 MB');
    expect(formatBytes(512, 'en')).toBe('512 B');
  });
});
