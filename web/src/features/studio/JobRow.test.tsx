import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { job } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { JobRow } from './JobRow';

function row(extra: Parameters<typeof job>[2], language: 'en' | 'ru' = 'ru') {
  renderWithProviders(
    <ul>
      <JobRow
        job={job('j1', 'done', { duration: 6, ...extra })}
        onChange={() => undefined}
        onRenamed={() => undefined}
      />
    </ul>,
    { language },
  );
  return screen.getByRole('listitem').textContent ?? '';
}

// Issue 19 walk: a recording and its translation were two identical rows, "ru.wav · 0:06".
describe('JobRow', () => {
  it('names the spoken language of a finished job', () => {
    expect(row({ language: 'ru', options: { task: 'transcribe', language: 'ru' } })).toContain(
      'j1.wav · русский · 0:06',
    );
  });

  it('tells a translation apart', () => {
    expect(row({ language: 'en', options: { task: 'translate', language: 'ru' } })).toContain(
      'j1.wav · русский → английский · 0:06',
    );
  });

  it('in English too', () => {
    expect(row({ language: 'en', options: { task: 'translate', language: 'ru' } }, 'en')).toContain(
      'j1.wav · Russian → English · 0:06',
    );
  });
});
