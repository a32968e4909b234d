import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { I18nProvider } from '../../i18n/I18nProvider';
import { JobProgress, meaningfulEta, shownStatus } from './JobProgress';

describe('JobProgress', () => {
  it('a running job still waiting for the engine reads Queued, in both languages', () => {
    const progress = { stage: 'waiting', percent: 0, eta_seconds: null };
    expect(shownStatus('running', progress)).toBe('queued');
    const { unmount } = render(
      <I18nProvider language="en">
        <JobProgress status="running" progress={progress} />
      </I18nProvider>,
    );
    expect(screen.getByText('Queued')).toBeInTheDocument();
    expect(screen.queryByText(/Running|waiting/)).not.toBeInTheDocument();
    unmount();
    render(
      <I18nProvider language="ru">
        <JobProgress status="running" progress={progress} />
      </I18nProvider>,
    );
    expect(screen.getByText('В очереди')).toBeInTheDocument();
  });

  it('no ETA at 3 % for an 11 s clip', () => {
    render(
      <I18nProvider language="en">
        <JobProgress
          status="running"
          progress={{ stage: 'transcribing', percent: 3, eta_seconds: 781 }}
          mediaDuration={11}
        />
      </I18nProvider>,
    );
    expect(screen.getByText('3%')).toBeInTheDocument();
    expect(screen.queryByText(/left/)).not.toBeInTheDocument();
  });

  it('shows a believable ETA and translated stage names', () => {
    render(
      <I18nProvider language="ru">
        <JobProgress
          status="running"
          progress={{ stage: 'vad', percent: 40, eta_seconds: 12 }}
          mediaDuration={60}
        />
      </I18nProvider>,
    );
    expect(screen.getByText('Этап: поиск речи')).toBeInTheDocument();
    expect(screen.getByText(/осталось 0:12/)).toBeInTheDocument();
  });

  it('meaningfulEta: hides early or absurd estimates', () => {
    expect(meaningfulEta(3, 781, 11)).toBeNull();
    expect(meaningfulEta(50, 781, 11)).toBeNull(); // 13 min for 11 s of audio: not believable
    expect(meaningfulEta(50, 20, 11)).toBe(20);
    expect(meaningfulEta(50, 300, null)).toBe(300);
    expect(meaningfulEta(50, 0, 11)).toBeNull();
  });
});
