import { describe, expect, it } from 'vitest';

import { createTranslator } from '../../i18n/i18n';
import { cameraErrorKey } from './cameraError';

describe('cameraErrorKey (issue 19.3)', () => {
  it.each([
    // What html5-qrcode rejects with: a plain string wrapping the DOMException's name.
    ['Error getting userMedia, error = NotFoundError: Requested device not found', 'NotFound'],
    [new DOMException('Requested device not found', 'NotFoundError'), 'NotFound'],
    [new DOMException('Permission denied', 'NotAllowedError'), 'Denied'],
    ['Error getting userMedia, error = NotAllowedError: Permission denied', 'Denied'],
    [new DOMException('Could not start video source', 'NotReadableError'), 'Busy'],
    [new DOMException('Constraints', 'OverconstrainedError'), 'NotFound'],
    [new Error('something odd'), 'Failed'],
  ])('%s → camera%s', (error, kind) => {
    expect(cameraErrorKey(error, true)).toBe(`exchange.camera${kind}`);
  });

  it('an insecure page cannot use the camera at all', () => {
    expect(cameraErrorKey('anything', false)).toBe('exchange.cameraInsecure');
  });

  it('reads as a human sentence in both languages, without the raw error', () => {
    const key = cameraErrorKey('Error getting userMedia, error = NotFoundError: x', true);
    expect(createTranslator('en')(key)).toBe('No camera found — type the code instead.');
    expect(createTranslator('ru')(key)).toBe('Камера не найдена — введите код вручную.');
  });
});
