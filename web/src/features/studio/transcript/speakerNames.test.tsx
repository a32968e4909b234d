import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import type { Transcription } from '../../../api/transcriptions';
import type { Language } from '../../../i18n/i18n';
import { createTranslator } from '../../../i18n/i18n';
import { I18nProvider } from '../../../i18n/I18nProvider';
import { transcription } from '../../../test/fixtures';
import { TranscriptView } from './TranscriptView';
import { shownSpeakerName } from './useSpeakerNames';

// Issue 19 walk: a Russian transcript showed the server's default "Speaker 1" in English.
const RUSSIAN: Transcription = transcription({
  filename: 'встреча.wav',
  language: 'ru',
  model: 'base',
  speakers: [
    { id: 0, label: 'SPEAKER_00', name: 'Speaker 1', color: 0 },
    { id: 1, label: 'SPEAKER_01', name: '', color: 1 },
  ],
});

function show(language: Language) {
  render(
    <I18nProvider language={language}>
      <TranscriptView
        transcription={RUSSIAN}
        mediaSrc="blob:media"
        onSaveSegment={vi.fn()}
        onRenameSpeaker={vi.fn()}
        onMergeSpeakers={vi.fn()}
        onUnmatchSpeaker={vi.fn()}
      />
    </I18nProvider>,
  );
}

describe('default speaker names', () => {
  it('are shown in Russian in the Russian UI', () => {
    show('ru');
    const panel = screen.getByRole('button', { name: 'Переименовать: Говорящий 1' });
    expect(panel).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Переименовать: Говорящий 2' })).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/Speaker|SPEAKER_/);
  });

  it('are shown in English in the English UI', () => {
    show('en');
    expect(screen.getByRole('button', { name: 'Rename Speaker 1' })).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/SPEAKER_/);
  });

  it('leave names a user typed alone', () => {
    const t = createTranslator('ru');
    expect(shownSpeakerName('Speaker 1', t)).toBe('Говорящий 1');
    expect(shownSpeakerName('SPEAKER_02', t)).toBe('Говорящий 3');
    expect(shownSpeakerName('Анна', t)).toBe('Анна');
    expect(shownSpeakerName('Speaker 1 (guest)', t)).toBe('Speaker 1 (guest)');
  });
});
