import { useState, type FormEvent } from 'react';

import { API_BASE, auth, errorMessage } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { uploadErrorMessage, uploadWithProgress } from '../../lib/upload';
import { ModelOptions } from './ModelOptions';
import { canDo } from './models';
import { useModels } from './useModels';

/** The form that uploads a recording with its transcription options, showing upload progress. */
export function UploadForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [language, setLanguage] = useState('');
  const models = useModels();
  const [model, setModel] = useState<string | null>(null);
  const [translate, setTranslate] = useState(false);
  const task = translate ? 'translate' : 'transcribe';
  const picked = models.find((m) => m.name === model);
  const [diarize, setDiarize] = useState(true);
  const [minSpeakers, setMinSpeakers] = useState('');
  const [maxSpeakers, setMaxSpeakers] = useState('');
  const [words, setWords] = useState(true);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A new key re-creates the file input: after a submit it must not keep showing the old name.
  const [pickerKey, setPickerKey] = useState(0);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    if (language) form.append('language', language);
    // No model chosen: the server picks the default for the language (the same rule).
    if (picked && canDo(picked, language, task)) form.append('model', picked.name);
    form.append('task', task);
    form.append('diarize', String(diarize));
    if (diarize && minSpeakers) form.append('min_speakers', minSpeakers);
    if (diarize && maxSpeakers) form.append('max_speakers', maxSpeakers);
    form.append('word_timestamps', String(words));
    setError(null);
    setProgress(0);
    try {
      const result = await uploadWithProgress(`${API_BASE}/api/transcriptions`, form, {
        auth,
        onProgress: setProgress,
      });
      if (result.status >= 200 && result.status < 300) {
        setFile(null);
        setPickerKey((key) => key + 1);
        onCreated();
      } else {
        setError(
          uploadErrorMessage(result, {
            tooLarge: t('upload.tooLarge'),
            wrongType: t('studio.wrongType'),
            generic: t('upload.error'),
          }),
        );
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setProgress(null);
    }
  }

  return (
    <form className="card mb-4" onSubmit={submit} aria-labelledby="studio-upload">
      <div className="card-body">
        <h2 id="studio-upload" className="h5">
          {t('studio.new')}
        </h2>
        <div className="mb-3">
          <label htmlFor="st-file" className="form-label">
            {t('studio.file')}
          </label>
          <input
            id="st-file"
            key={pickerKey}
            className="form-control"
            type="file"
            accept="audio/*,video/*"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <div className="row g-2 mb-2">
          <ModelOptions
            models={models}
            language={language}
            onLanguage={setLanguage}
            model={model}
            onModel={setModel}
            task={task}
          />
          <div className="col-6">
            <label htmlFor="st-min" className="form-label">
              {t('studio.minSpeakers')}
            </label>
            <input
              id="st-min"
              className="form-control"
              type="number"
              min={1}
              max={20}
              disabled={!diarize}
              value={minSpeakers}
              onChange={(e) => setMinSpeakers(e.target.value)}
            />
          </div>
          <div className="col-6">
            <label htmlFor="st-max" className="form-label">
              {t('studio.maxSpeakers')}
            </label>
            <input
              id="st-max"
              className="form-control"
              type="number"
              min={1}
              max={20}
              disabled={!diarize}
              value={maxSpeakers}
              onChange={(e) => setMaxSpeakers(e.target.value)}
            />
          </div>
        </div>
        <div className="form-check form-check-inline">
          <input
            id="st-diarize"
            className="form-check-input"
            type="checkbox"
            checked={diarize}
            onChange={(e) => setDiarize(e.target.checked)}
          />
          <label className="form-check-label" htmlFor="st-diarize">
            {t('studio.diarize')}
          </label>
        </div>
        <div className="form-check form-check-inline">
          <input
            id="st-translate"
            className="form-check-input"
            type="checkbox"
            checked={translate}
            onChange={(e) => setTranslate(e.target.checked)}
          />
          <label className="form-check-label" htmlFor="st-translate">
            {t('studio.translate')}
          </label>
        </div>
        <div className="form-check form-check-inline">
          <input
            id="st-words"
            className="form-check-input"
            type="checkbox"
            checked={words}
            onChange={(e) => setWords(e.target.checked)}
          />
          <label className="form-check-label" htmlFor="st-words">
            {t('studio.words')}
          </label>
        </div>
        {progress !== null && (
          <div
            className="progress my-2"
            role="progressbar"
            aria-label={t('upload.uploading')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress * 100)}
          >
            <div className="progress-bar" style={{ width: `${Math.round(progress * 100)}%` }} />
          </div>
        )}
        {error && (
          <div className="alert alert-danger py-2 my-2" role="alert">
            {error}
          </div>
        )}
        <div className="mt-2">
          <button type="submit" className="btn btn-primary" disabled={!file || progress !== null}>
            {t('studio.transcribe')}
          </button>
        </div>
      </div>
    </form>
  );
}
