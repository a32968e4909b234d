import { useState } from 'react';

import type { Speaker } from '../../../api/transcriptions';
import { useI18n } from '../../../i18n/I18nProvider';
import { speakerLabel, type useSpeakerNames } from './useSpeakerNames';

/**
 * The transcript's speakers as chips: rename one (and remember the voice), merge it into
 * another, or undo a voice the app recognised wrongly.
 */
export function SpeakersPanel({
  speakers,
  names,
  onRename,
  onMerge,
  onUnmatch,
}: {
  speakers: Speaker[];
  names: ReturnType<typeof useSpeakerNames>;
  onRename(speaker: Speaker, name: string, remember: boolean): Promise<void>;
  onMerge(from: number, into: number): Promise<void>;
  onUnmatch(speaker: Speaker): Promise<void>;
}) {
  const { t } = useI18n();
  const { speakerIds, colors, nameOf } = names;
  if (speakerIds.length === 0) return null;
  return (
    <section className="mh-speakers" aria-labelledby="speakers-title">
      <h2 id="speakers-title" className="h6">
        {t('studio.speakers')}
      </h2>
      <ul className="list-unstyled d-flex flex-wrap gap-2">
        {speakerIds.map((id) => {
          const speaker = speakers.find((s) => s.id === id) ?? {
            id,
            label: speakerLabel(id),
            name: '',
            color: id,
          };
          return (
            <SpeakerChip
              key={id}
              id={id}
              name={nameOf(id)}
              color={colors.get(id)!}
              confidence={speaker.voice_id ? (speaker.confidence ?? null) : null}
              others={speakerIds.filter((x) => x !== id).map((x) => ({ id: x, name: nameOf(x) }))}
              onRename={(name, remember) => onRename(speaker, name, remember)}
              onMerge={(into) => onMerge(id, into)}
              onUnmatch={() => onUnmatch(speaker)}
            />
          );
        })}
      </ul>
    </section>
  );
}

function SpeakerChip({
  id,
  name,
  color,
  confidence,
  others,
  onRename,
  onMerge,
  onUnmatch,
}: {
  id: number;
  name: string;
  color: string;
  /** The recognised voice's match (null: not recognised). */
  confidence: number | null;
  others: { id: number; name: string }[];
  onRename(name: string, remember: boolean): Promise<void>;
  onMerge(into: number): Promise<void>;
  onUnmatch(): Promise<void>;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(name);
  const [remember, setRemember] = useState(false);
  const [into, setInto] = useState(others[0]?.id ?? -1);
  return (
    <li className="mh-speaker" style={{ borderColor: color }}>
      <span className="mh-dot" style={{ background: color }} aria-hidden="true" />
      {!open ? (
        <>
          <button
            type="button"
            className="btn btn-link btn-sm p-0"
            onClick={() => setOpen(true)}
            aria-label={t('studio.renameSpeaker', { name })}
          >
            {name}
          </button>
          {confidence !== null && (
            <>
              <span
                className="badge text-bg-light border"
                title={t('studio.recognised', { percent: Math.round(confidence * 100) })}
              >
                ✓ {Math.round(confidence * 100)}%
              </span>
              <button
                type="button"
                className="btn btn-link btn-sm p-0 text-danger"
                onClick={() => void onUnmatch()}
              >
                {t('studio.notThisPerson', { name })}
              </button>
            </>
          )}
        </>
      ) : (
        <form
          className="d-flex flex-wrap gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            void onRename(value.trim(), remember).then(() => setOpen(false));
          }}
        >
          <label htmlFor={`sp-${id}`} className="visually-hidden">
            {t('studio.speakerName')}
          </label>
          <input
            id={`sp-${id}`}
            className="form-control form-control-sm"
            style={{ width: '9rem' }}
            value={value}
            autoFocus
            onChange={(e) => setValue(e.target.value)}
          />
          <div className="form-check w-100 mb-0" title={t('studio.rememberVoiceHint')}>
            <input
              id={`rm-${id}`}
              type="checkbox"
              className="form-check-input"
              checked={remember}
              onChange={(e) => setRemember(e.target.checked)}
            />
            <label htmlFor={`rm-${id}`} className="form-check-label small">
              {t('studio.rememberVoice')}
            </label>
          </div>
          <button type="submit" className="btn btn-primary btn-sm" disabled={!value.trim()}>
            {t('common.save')}
          </button>
          {others.length > 0 && (
            <>
              <label htmlFor={`mg-${id}`} className="visually-hidden">
                {t('studio.mergeInto')}
              </label>
              <select
                id={`mg-${id}`}
                className="form-select form-select-sm"
                style={{ width: 'auto' }}
                value={into}
                onChange={(e) => setInto(Number(e.target.value))}
              >
                {others.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="btn btn-outline-secondary btn-sm"
                onClick={() => void onMerge(into).then(() => setOpen(false))}
              >
                {t('studio.merge')}
              </button>
            </>
          )}
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
    </li>
  );
}
