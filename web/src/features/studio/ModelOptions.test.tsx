import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { Language } from '../../i18n/i18n';
import { I18nProvider } from '../../i18n/I18nProvider';
import type { TranscriptionModel } from './models';
import { ModelOptions } from './ModelOptions';

const BASE: TranscriptionModel = {
  name: 'base',
  languages: ['en', 'ru'],
  default_for: ['ru'],
  relative_speed: 0.5,
  size_bytes: 141 * 1024 * 1024,
};

function options(language: Language): string {
  render(
    <I18nProvider language={language}>
      <ModelOptions
        models={[BASE]}
        language="ru"
        onLanguage={() => undefined}
        model={null}
        onModel={() => undefined}
        task="transcribe"
      />
    </I18nProvider>,
  );
  const model = screen.getByRole('combobox', { name: language === 'ru' ? 'Модель' : 'Model' });
  return model.textContent ?? '';
}

describe('ModelOptions', () => {
  // Issue 19 walk: the Russian studio said "base (141.0 MB, скорость ×0.5)".
  it('writes the model size and speed the Russian way', () => {
    const text = options('ru');
    expect(text).toContain('141,0 МБ');
    expect(text).toContain('×0,5');
    expect(text).not.toContain('MB');
  });

  it('keeps the English way in English', () => {
    const text = options('en');
    expect(text).toContain('141.0 MB');
    expect(text).toContain('×0.5');
  });
});
