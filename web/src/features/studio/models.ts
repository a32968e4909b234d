import type { Schemas } from '../../api/client';
import type { Translate } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';

export type TranscriptionModel = Schemas['TranscriptionModel'];
export type Task = 'transcribe' | 'translate';

/** Whether the model can transcribe `language` ('' = detection) with `task`. */
export function canDo(model: TranscriptionModel, language: string, task: Task): boolean {
  const multilingual = model.languages.length > 1;
  if (task === 'translate' || !language) return multilingual;
  return model.languages.includes(language);
}

/** The server's default for the language and task (the same rule as catalog.choose). */
export function defaultModel(
  models: TranscriptionModel[],
  language: string,
  task: Task,
): TranscriptionModel | undefined {
  const key = language || 'auto';
  const marked = models.find((m) => m.default_for.includes(key));
  if (marked && canDo(marked, language, task)) return marked;
  return models.find((m) => m.languages.length > 1);
}

// The refusals of a model choice (transcription/catalog.py), shown in the reader's language.
// The app-wide error catalogue will take these over (issue 19, item 2).
const MODEL_ERRORS = [
  'transcription.model_not_offered',
  'transcription.model_language_unsupported',
  'transcription.model_cannot_translate',
  'transcription.no_model_for_language',
];

/** The message for a model-choice refusal in an error body, or null for any other error. */
export function modelErrorMessage(body: unknown, t: Translate): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const { code, params } = body as { code?: unknown; params?: Record<string, unknown> };
  if (typeof code !== 'string' || !MODEL_ERRORS.includes(code)) return null;
  const values = Object.fromEntries(
    Object.entries(params ?? {}).map(([k, v]) => [k, String(v ?? '')]),
  );
  return t(`error.${code}` as MessageKey, values);
}
