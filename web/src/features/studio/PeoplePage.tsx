import { useCallback, useEffect, useState } from 'react';

import { api, errorMessage, unwrap, type Schemas } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { ConfirmDelete } from '../../components/ConfirmDelete';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDate } from '../../lib/format';
import { RequireAuth } from '../account';

type Voice = Schemas['VoiceOut'];

/** One remembered voice: its name (renamable), how many recordings taught it, forget. */
function VoiceRow({ voice, onChange }: { voice: Voice; onChange: () => Promise<void> }) {
  const { t, language } = useI18n();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(voice.name);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = { params: { path: { voice_id: voice.id } } };
  async function act(kind: 'rename' | 'forget') {
    setError(null);
    try {
      if (kind === 'rename')
        unwrap(await api.PATCH('/api/voices/{voice_id}', { ...path, body: { name: name.trim() } }));
      else unwrap(await api.DELETE('/api/voices/{voice_id}', path));
      setEditing(false);
      await onChange();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <li className="list-group-item">
      <div className="d-flex flex-wrap align-items-center gap-2">
        {editing ? (
          <form
            className="d-flex flex-wrap gap-1 flex-grow-1"
            onSubmit={(e) => {
              e.preventDefault();
              void act('rename');
            }}
          >
            <label htmlFor={`voice-${voice.id}`} className="visually-hidden">
              {t('studio.speakerName')}
            </label>
            <input
              id={`voice-${voice.id}`}
              className="form-control form-control-sm"
              style={{ maxWidth: '14rem' }}
              value={name}
              autoFocus
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" className="btn btn-primary btn-sm" disabled={!name.trim()}>
              {t('common.save')}
            </button>
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              onClick={() => setEditing(false)}
            >
              {t('common.cancel')}
            </button>
          </form>
        ) : (
          <>
            <span className="flex-grow-1 text-break">
              <strong>{voice.name}</strong>{' '}
              <span className="small text-body-secondary">
                {t('studio.samples', { count: voice.samples })} ·{' '}
                {t('studio.rememberedOn', { date: formatDate(voice.created_at, language) })}
              </span>
            </span>
            <button
              type="button"
              className="btn btn-outline-secondary btn-sm"
              aria-label={t('studio.renameVoice', { name: voice.name })}
              onClick={() => setEditing(true)}
            >
              {t('studio.rename')}
            </button>
            <button
              type="button"
              className="btn btn-outline-danger btn-sm"
              onClick={() => setConfirming(true)}
            >
              {t('studio.forgetVoice')}
            </button>
          </>
        )}
      </div>
      {confirming && (
        <ConfirmDelete
          id={`forget-${voice.id}`}
          className="mt-2 mb-0 py-2"
          question={t('studio.forgetConfirm', { name: voice.name })}
          onConfirm={() => void act('forget')}
          onCancel={() => setConfirming(false)}
        />
      )}
      {error && <div className="alert alert-danger mt-2 mb-0 py-2">{error}</div>}
    </li>
  );
}

function People() {
  const { t } = useI18n();
  const [voices, setVoices] = useState<Voice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setVoices(unwrap(await api.GET('/api/voices')).items);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  if (error && !voices) return <div className="alert alert-warning">{error}</div>;
  if (!voices) return <div className="spinner-border" role="status" />;
  if (voices.length === 0) return <p className="text-body-secondary">{t('studio.noPeople')}</p>;
  return (
    <ul className="list-group">
      {voices.map((voice) => (
        <VoiceRow key={voice.id} voice={voice} onChange={load} />
      ))}
    </ul>
  );
}

export default function PeoplePage() {
  const { t } = useI18n();
  usePageTitle(t('studio.peopleTitle'));
  return (
    <section aria-labelledby="page-title">
      <BackLink to="/studio" label={t('studio.title')} />
      <h1 id="page-title" className="h4">
        {t('studio.peopleTitle')}
      </h1>
      <p className="text-body-secondary">{t('studio.peopleDescription')}</p>
      <RequireAuth>
        <People />
      </RequireAuth>
    </section>
  );
}
