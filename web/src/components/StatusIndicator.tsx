import { useEffect, useState } from 'react';

import type { Translate } from '../i18n/i18n';
import { useI18n } from '../i18n/I18nProvider';
import { fetchReadiness, type Readiness } from '../lib/api';
import { Indicator, type Tone } from './Indicator';

const POLL_MS = 30_000;

function describe(readiness: Readiness | null, t: Translate): { tone: Tone; text: string } {
  switch (readiness?.kind) {
    case undefined:
      return { tone: 'secondary', text: t('status.checking') };
    case 'ok':
      return { tone: 'success', text: t('status.ok') };
    case 'degraded':
      // The failing check names come from the server ("database", "redis", …) and are shown
      // untranslated: they are what an operator searches the logs for.
      return {
        tone: 'warning',
        text: t('status.degraded', { checks: readiness.failing.join(', ') || '?' }),
      };
    case 'unreachable':
      return { tone: 'danger', text: t('status.unreachable') };
  }
}

/** Polls GET /api/ready and shows whether the server and its dependencies are healthy. */
export function StatusIndicator({ pollMs = POLL_MS }: { pollMs?: number }) {
  const { t } = useI18n();
  const [readiness, setReadiness] = useState<Readiness | null>(null);

  useEffect(() => {
    let active = true;
    let controller: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const check = async () => {
      controller = new AbortController();
      try {
        const next = await fetchReadiness(controller.signal);
        if (active) setReadiness(next);
      } catch {
        return; // aborted on unmount
      }
      // The next check is scheduled only once this one finished, so requests never pile up.
      if (active) timer = setTimeout(check, pollMs);
    };
    void check();

    return () => {
      active = false;
      controller?.abort();
      clearTimeout(timer);
    };
  }, [pollMs]);

  const { tone, text } = describe(readiness, t);
  return <Indicator tone={tone} label={t('status.label')} text={text} />;
}
