import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { auth } from '../../api/client';
import type { Transcription } from '../../api/transcriptions';
import { AppRoutes } from '../../App';
import type { Language } from '../../i18n/i18n';
import { transcription, USER } from '../../test/fixtures';
import { json } from '../../test/http';
import { renderWithProviders } from '../../test/render';

function recorded(task: 'transcribe' | 'translate', asked: string | null): Transcription {
  return transcription({
    filename: 'встреча.wav',
    // As the server says it: a translation's language is English, its output.
    language: task === 'translate' ? 'en' : 'ru',
    duration: 6,
    media_duration: 6,
    model: 'base',
    options: { task, language: asked },
    speakers: [],
  });
}

let task: 'transcribe' | 'translate' = 'transcribe';
let asked: string | null = 'ru';
beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request) => {
      const url = new URL(input.url);
      if (url.pathname === '/api/auth/me') return json(USER);
      if (url.pathname === '/api/transcriptions/t1') return json(recorded(task, asked));
      return json({ detail: 'not found', code: 'not_found' }, 404);
    }),
  );
  auth.setTokens({ access_token: 'a', refresh_token: 'r', expires_in: 900 });
});
afterEach(() => auth.clear());

async function meta(language: Language): Promise<string> {
  renderWithProviders(<AppRoutes />, { entries: ['/studio/t1'], language });
  const heading = await screen.findByRole('heading', { name: 'встреча.wav' });
  return heading.closest('main')!.querySelector('p.small')!.textContent ?? '';
}

// Issue 19 walk: a Russian transcript's page said "ru · base · 0:06", a raw language code.
describe('TranscriptPage', () => {
  it('names the language in Russian', async () => {
    expect(await meta('ru')).toBe('русский · base · 0:06');
  });

  it('names the language in English', async () => {
    expect(await meta('en')).toBe('Russian · base · 0:06');
  });

  it('says a translation went into English', async () => {
    task = 'translate';
    expect(await meta('ru')).toBe('русский → английский · base · 0:06');
  });

  it('says a translation of a detected language went into English', async () => {
    task = 'translate';
    asked = null;
    expect(await meta('en')).toBe('→ English · base · 0:06');
  });
});
