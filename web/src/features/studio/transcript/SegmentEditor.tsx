import type { Segment } from '../../../api/transcriptions';
import { useI18n } from '../../../i18n/I18nProvider';
import { shownSpeakerName } from './useSpeakerNames';
import { NEW_SPEAKER, type useSegmentEditing } from './useSegmentEditing';

/** The inline editor of one segment: its text, and the speaker it belongs to (or a new one). */
export function SegmentEditor({
  segment,
  index: s,
  editor,
  speakers,
}: {
  segment: Segment;
  index: number;
  editor: ReturnType<typeof useSegmentEditing>;
  /** Everyone the segment can be moved to, in the order shown. */
  speakers: { id: number; name: string }[];
}) {
  const { t } = useI18n();
  const naming = editor.speaker === NEW_SPEAKER;
  return (
    <form className="mh-seg-editor my-1" onSubmit={(e) => editor.save(e, segment)}>
      <label htmlFor={`seg-edit-${s}`} className="visually-hidden">
        {t('studio.segmentText')}
      </label>
      <textarea
        id={`seg-edit-${s}`}
        className="form-control form-control-sm mb-1"
        rows={2}
        value={editor.draft}
        autoFocus
        onChange={(e) => editor.setDraft(e.target.value)}
      />
      <div className="d-flex flex-wrap gap-2 align-items-center">
        <label htmlFor={`seg-speaker-${s}`} className="small text-body-secondary">
          {t('studio.segmentSpeaker')}
        </label>
        <select
          id={`seg-speaker-${s}`}
          className="form-select form-select-sm w-auto"
          value={editor.speaker}
          onChange={(e) => editor.setSpeaker(e.target.value)}
        >
          {segment.speaker === null && <option value="">—</option>}
          {speakers.map((sp) => (
            <option key={sp.id} value={String(sp.id)}>
              {shownSpeakerName(sp.name, t)}
            </option>
          ))}
          <option value={NEW_SPEAKER}>{t('studio.newSpeaker')}</option>
        </select>
        {naming && (
          <>
            <label htmlFor={`seg-new-speaker-${s}`} className="visually-hidden">
              {t('studio.newSpeakerName')}
            </label>
            <input
              id={`seg-new-speaker-${s}`}
              className="form-control form-control-sm mh-new-speaker"
              maxLength={100}
              placeholder={t('studio.newSpeakerName')}
              value={editor.newName}
              onChange={(e) => editor.setNewName(e.target.value)}
            />
          </>
        )}
        <span className="ms-auto d-flex gap-2">
          <button
            type="submit"
            className="btn btn-primary btn-sm"
            disabled={!editor.draft.trim() || (naming && !editor.newName.trim())}
          >
            {t('common.save')}
          </button>
          <button type="button" className="btn btn-secondary btn-sm" onClick={editor.cancel}>
            {t('common.cancel')}
          </button>
        </span>
      </div>
    </form>
  );
}
