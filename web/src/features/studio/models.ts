import type { Schemas } from '../../api/client';

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
