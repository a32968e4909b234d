import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes } from '../../lib/format';
import { canDo, defaultModel, type Task, type TranscriptionModel } from './models';

// Russian first: most of our users speak it. '' is detection.
const LANGUAGES = ['', 'ru', 'en', 'uk', 'be', 'kk', 'de', 'fr', 'es', 'it', 'zh', 'ja'];

type Props = {
  models: TranscriptionModel[];
  language: string;
  onLanguage: (language: string) => void;
  /** null: the default for the language (it follows the language). */
  model: string | null;
  onModel: (model: string | null) => void;
  task: Task;
};

/** Language and model of a submission: the model defaults to the one for the language, and
 * models that cannot do the language (or translate) are shown but disabled. */
export function ModelOptions({ models, language, onLanguage, model, onModel, task }: Props) {
  const { t, language: ui } = useI18n();
  const names = new Intl.DisplayNames([ui], { type: 'language' });
  // "×0,5" in Russian: the decimal comma, like the size next to it.
  const speedFormat = new Intl.NumberFormat(ui, { maximumFractionDigits: 2 });
  const fallback = defaultModel(models, language, task);
  const picked = models.find((m) => m.name === model);
  const chosen = picked && canDo(picked, language, task) ? picked : fallback;
  const label = (m: TranscriptionModel) =>
    t(m.languages.length > 1 ? 'studio.modelOption' : 'studio.modelOptionEnglish', {
      name: m.name,
      size: m.size_bytes ? formatBytes(m.size_bytes, ui) : '?',
      speed: m.relative_speed === null ? '?' : speedFormat.format(m.relative_speed),
    });
  return (
    <>
      <div className="col-sm-4">
        <label htmlFor="st-lang" className="form-label">
          {t('studio.language')}
        </label>
        <select
          id="st-lang"
          className="form-select"
          value={language}
          onChange={(e) => {
            onLanguage(e.target.value);
            onModel(null); // a new language: back to its default model
          }}
        >
          {LANGUAGES.map((code) => (
            <option key={code} value={code}>
              {code ? (names.of(code) ?? code) : t('studio.autoLanguage')}
            </option>
          ))}
        </select>
      </div>
      <div className="col-sm-8">
        <label htmlFor="st-model" className="form-label">
          {t('studio.model')}
        </label>
        <select
          id="st-model"
          className="form-select"
          value={chosen?.name ?? ''}
          disabled={models.length === 0}
          onChange={(e) => onModel(e.target.value === fallback?.name ? null : e.target.value)}
          aria-describedby="st-model-help"
        >
          {models.length === 0 && <option value="">{t('studio.modelDefault')}</option>}
          {models.map((m) => (
            <option key={m.name} value={m.name} disabled={!canDo(m, language, task)}>
              {m.name === fallback?.name ? '✓ ' : ''}
              {label(m)}
            </option>
          ))}
        </select>
        <div id="st-model-help" className="form-text">
          {t('studio.modelHelp')}
        </div>
      </div>
    </>
  );
}
