import { describe, expect, it } from 'vitest';

import { ApiError, errorMessage } from './client';

describe('errorMessage', () => {
  it('shows a thrown error by its message', () => {
    expect(errorMessage(new ApiError(409, 'Trade already claimed'))).toBe('Trade already claimed');
    expect(errorMessage(new TypeError('Failed to fetch'), 'fallback')).toBe('Failed to fetch');
  });

  it("reads an answer's detail, or the first of a 422 list with where it failed", () => {
    expect(errorMessage({ detail: 'Not found' })).toBe('Not found');
    const invalid = { detail: [{ loc: ['body', 'caption'], msg: 'too long' }] };
    expect(errorMessage(invalid)).toBe('caption: too long');
  });

  it('falls back to the given text, else to the value itself', () => {
    expect(errorMessage({ other: 1 }, 'HTTP 502')).toBe('HTTP 502');
    expect(errorMessage('scanner busy')).toBe('scanner busy');
  });
});
