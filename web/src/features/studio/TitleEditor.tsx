import { useState, type ReactNode } from 'react';

import { api, errorMessage, unwrap } from '../../api/client';
import type { TranscriptionSummary } from '../../api/transcriptions';
import { useI18n } from '../../i18n/I18nProvider';

/** The most titles can hold (transcriptions.title). */
export const TITLE_MAX_CHARS = 200;

/** The name a recording is shown by: its title, else its file name. */
export function shownTitle(job: { title?: string | null; filename?: string | null }): string {
  return job.title || job.filename || '';
}

/**
 * A transcription's name with a Rename button; renaming edits it in place (Enter saves,
 * Escape cancels) and hands the saved summary to `onRenamed`.
 */
export function TitleEditor({
  job,
  children,
  onRenamed,
}: {
  job: Pick<TranscriptionSummary, 'id' | 'title' | 'filename'>;
  /** How the name is shown when not being edited (a link, a heading's text). */
  children: ReactNode;
  onRenamed(summary: TranscriptionSummary): void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const name = shownTitle(job) || t('studio.transcript');

  async function save() {
    if (draft === null || !draft.trim()) return;
    setSaving(true);
    setError(null);
    try {
      const summary = unwrap(
        await api.PATCH('/api/transcriptions/{transcription_id}', {
          params: { path: { transcription_id: job.id } },
          body: { title: draft.trim() },
        }),
      );
      setDraft(null);
      onRenamed(summary);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  if (draft === null)
    return (
      <div className="mh-title d-flex flex-wrap align-items-baseline column-gap-2 mw-100">
        {children}
        <button
          type="button"
          className="btn btn-link btn-sm p-0 mh-rename"
          aria-label={t('studio.renameTitle', { name })}
          title={t('studio.rename')}
          onClick={() => setDraft(shownTitle(job))}
        >
          ✎
        </button>
      </div>
    );
  return (
    <form
      className="mh-title-form d-flex flex-wrap gap-1 align-items-center"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label htmlFor={`title-${job.id}`} className="visually-hidden">
        {t('studio.titleLabel')}
      </label>
      <input
        id={`title-${job.id}`}
        className="form-control form-control-sm flex-grow-1 w-auto"
        value={draft}
        maxLength={TITLE_MAX_CHARS}
        autoFocus
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setDraft(null);
        }}
      />
      <button type="submit" className="btn btn-primary btn-sm" disabled={saving || !draft.trim()}>
        {t('common.save')}
      </button>
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => setDraft(null)}>
        {t('common.cancel')}
      </button>
      {error && (
        <div className="small text-danger w-100" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}
