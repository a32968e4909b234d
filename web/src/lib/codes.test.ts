import { describe, expect, it } from 'vitest';

import { parseCode, parseStartParam } from './codes';

describe('parseCode', () => {
  it('reads trade codes with or without the prefix', () => {
    expect(parseCode('trade:AB12cd34')).toEqual({ kind: 'trade', token: 'AB12cd34' });
    expect(parseCode('  AB12cd34 ')).toEqual({ kind: 'trade', token: 'AB12cd34' });
  });

  it('reads profile codes', () => {
    expect(parseCode('user:0E0D6E3C-1111-4222-8333-444455556666')).toEqual({
      kind: 'user',
      id: '0e0d6e3c-1111-4222-8333-444455556666',
    });
  });

  it('refuses anything else', () => {
    for (const raw of [
      '',
      'trade:',
      'trade:ab',
      'user:42',
      'https://evil.example/x',
      'trade:a b c d',
      'x'.repeat(17),
    ]) {
      expect(parseCode(raw), raw).toBeNull();
    }
  });
});

describe('parseStartParam', () => {
  it('reads deep-link payloads', () => {
    expect(parseStartParam('trade_AB12cd34')).toEqual({ kind: 'trade', token: 'AB12cd34' });
    expect(parseStartParam('user-0e0d6e3c-1111-4222-8333-444455556666')).toEqual({
      kind: 'user',
      id: '0e0d6e3c-1111-4222-8333-444455556666',
    });
    for (const raw of [undefined, '', 'AB12cd34', 'promo_2026', 'trade_']) {
      expect(parseStartParam(raw), String(raw)).toBeNull();
    }
  });
});
