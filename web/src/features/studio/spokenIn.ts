import type { TranscriptionSummary } from '../../api/transcriptions';
import { languageName } from '../../lib/format';

/** "русский" (not "ru"), and "русский → английский" for a translation into English. */
export function spokenIn(
  tr: Pick<TranscriptionSummary, 'language' | 'options'>,
  ui: string,
): string | null {
  if (tr.options?.task === 'translate') {
    // A translation's language is its output (English); what was spoken is the one asked for.
    const asked = tr.options.language;
    const to = languageName('en', ui);
    return typeof asked === 'string' && asked ? `${languageName(asked, ui)} → ${to}` : `→ ${to}`;
  }
  return tr.language ? languageName(tr.language, ui) : null;
}
