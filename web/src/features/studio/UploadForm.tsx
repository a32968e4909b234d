import { useState, type FormEvent } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { ChosenList } from './ChosenList';
import { ModelOptions } from './ModelOptions';
import { canDo } from './models';
import type { ChosenFiles } from './useChosenFiles';
import { useModels } from './useModels';
import { useUploadQueue } from './useUploadQueue';
import { UploadQueue } from './UploadQueue';

/**
 * The form that uploads recordings (several at once: each its own transcription) with their
 * transcription options, showing each file's upload progress.
 */
export function UploadForm({ chosen, onCreated }: { chosen: ChosenFiles; onCreated: () => void }) {
  const { t } = useI18n();
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
  const queue = useUploadQueue(onCreated);

  /** The options every file of the batch is sent with. */
  function fields(form: FormData) {
    if (language) form.append('language', language);
    // No model chosen: the server picks the default for the language (the same rule).
    if (picked && canDo(picked, language, task)) form.append('model', picked.name);
    form.append('task', task);
    form.append('diarize', String(diarize));
    if (diarize && minSpeakers) form.append('min_speakers', minSpeakers);
    if (diarize && maxSpeakers) form.append('max_speakers', maxSpeakers);
    form.append('word_timestamps', String(words));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (chosen.files.length === 0 || queue.busy) return;
    const files = chosen.files;
    chosen.clear();
    void queue.upload(files, fields);
  }

  return (
    <form className="card mb-4" onSubmit={submit} aria-labelledby="studio-upload">
      <div className="card-body">
        <h2 id="studio-upload" className="h5">
          {t('studio.new')}
        </h2>
        <div className="mb-3">
          <label htmlFor="st-file" className="form-label d-block">
            {t('studio.file')}
          </label>
          {/* The browser's own picker text ("Choose Files", "No file chosen") is always in the
              browser's language: a hidden input behind a button with our own words instead. */}
          <input
            id="st-file"
            key={chosen.pickerKey}
            className="visually-hidden mh-file-input"
            type="file"
            multiple
            accept="audio/*,video/*"
            aria-describedby="st-file-hint"
            onChange={(e) => chosen.pick(Array.from(e.target.files ?? []))}
          />
          <div className="d-flex flex-wrap align-items-center gap-2">
            <label htmlFor="st-file" className="btn btn-outline-primary">
              {t('studio.chooseFiles')}
            </label>
            {chosen.files.length === 0 && (
              <span className="small text-body-secondary">{t('studio.noFiles')}</span>
            )}
          </div>
          <div id="st-file-hint" className="form-text">
            {t('studio.filesHint')}
          </div>
          <ChosenList chosen={chosen} />
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
        <UploadQueue items={queue.items} onDismiss={queue.dismiss} />
        <div className="mt-2">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={chosen.files.length === 0 || queue.busy}
          >
            {t('studio.transcribe')}
          </button>
        </div>
      </div>
    </form>
  );
}
