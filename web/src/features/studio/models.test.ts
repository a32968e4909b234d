import { describe, expect, it } from 'vitest';

import { apiError, errorMessage } from '../../api/client';
import { setCurrentLanguage } from '../../i18n/i18n';
import { canDo, defaultModel, type TranscriptionModel } from './models';

const ALL = ['en', 'ru', 'uk', 'de'];
const tiny: TranscriptionModel = {
  name: 'tiny.en',
  languages: ['en'],
  size_bytes: 75_000_000,
  relative_speed: 1,
  default_for: ['en'],
};
const base: TranscriptionModel = {
  name: 'base',
  languages: ALL,
  size_bytes: 145_000_000,
  relative_speed: 0.7,
  default_for: ['auto', 'ru', 'uk', 'de'],
};

describe('model choice', () => {
  it('follows the language like the server does', () => {
    expect(defaultModel([tiny, base], 'en', 'transcribe')?.name).toBe('tiny.en');
    expect(defaultModel([tiny, base], 'ru', 'transcribe')?.name).toBe('base');
    expect(defaultModel([tiny, base], '', 'transcribe')?.name).toBe('base');
    expect(defaultModel([tiny, base], 'en', 'translate')?.name).toBe('base');
    expect(defaultModel([tiny], 'ru', 'transcribe')).toBeUndefined();
  });

  it('knows what an English-only model cannot do', () => {
    expect(canDo(tiny, 'ru', 'transcribe')).toBe(false);
    expect(canDo(tiny, '', 'transcribe')).toBe(false);
    expect(canDo(tiny, 'en', 'translate')).toBe(false);
    expect(canDo(base, 'ru', 'translate')).toBe(true);
  });

  it('words the refusals in the reader language', () => {
    const body = {
      detail: 'model tiny.en only transcribes English',
      code: 'transcription.model_language_unsupported',
      params: { model: 'tiny.en', language: 'ru' },
    };
    setCurrentLanguage('ru');
    expect(errorMessage(apiError(422, body))).toBe(
      'Модель tiny.en не распознаёт этот язык (ru). Выберите другую модель или оставьте модель по умолчанию.',
    );
    setCurrentLanguage('en');
    expect(errorMessage(apiError(422, body))).toContain('cannot transcribe');
  });
});
