import { useState } from 'react';

import type { Speaker } from '../../../api/transcriptions';
import { useI18n } from '../../../i18n/I18nProvider';
import { speakerLabel, type useSpeakerNames } from './useSpeakerNames';

/** The transcript's speakers as chips: rename one, or merge it into another. */
export function SpeakersPanel({
  speakers,
  names,
  onRename,
  onMerge,
}: {
  speakers: Speaker[];
  names: ReturnType<typeof useSpeakerNames>;
  onRename(speaker: Speaker, name: string): Promise<void>;
  onMerge(from: number, into: number): Promise<void>;
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
        {speakerIds.map((id) => (
          <SpeakerChip
            key={id}
            id={id}
            name={nameOf(id)}
            color={colors.get(id)!}
            others={speakerIds.filter((x) => x !== id).map((x) => ({ id: x, name: nameOf(x) }))}
            onRename={(name) =>
              onRename(
                speakers.find((s) => s.id === id) ?? {
                  id,
                  label: speakerLabel(id),
                  name: '',
                  color: id,
                },
                name,
              )
            }
            onMerge={(into) => onMerge(id, into)}
          />
        ))}
      </ul>
    </section>
  );
}

function SpeakerChip({
  id,
  name,
  color,
  others,
  onRename,
  onMerge,
}: {
  id: number;
  name: string;
  color: string;
  others: { id: number; name: string }[];
  onRename(name: string): Promise<void>;
  onMerge(into: number): Promise<void>;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(name);
  const [into, setInto] = useState(others[0]?.id ?? -1);
  return (
    <li className="mh-speaker" style={{ borderColor: color }}>
      <span className="mh-dot" style={{ background: color }} aria-hidden="true" />
      {!open ? (
        <button
          type="button"
          className="btn btn-link btn-sm p-0"
          onClick={() => setOpen(true)}
          aria-label={t('studio.renameSpeaker', { name })}
        >
          {name}
        </button>
      ) : (
        <form
          className="d-flex flex-wrap gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            void onRename(value.trim()).then(() => setOpen(false));
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
