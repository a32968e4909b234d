import { ApiError, errorMessage } from '../api/client';
import type { Translate } from './i18n';
import { en, type MessageKey } from './messages';

/**
 * The text for a failure in the UI's language: our message for an API error `code` we know
 * (`error.<code>` in messages.ts, filled with the error's params; `error.<code>.untitled` when
 * the photo has no title), else the server's text.
 */
export function errorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError && error.code) {
    const params = error.params ?? {};
    const key = `error.${error.code}`;
    const untitled = `${key}.untitled`;
    if (!params.photo && untitled in en) return t(untitled as MessageKey);
    if (key in en) return t(key as MessageKey, params);
  }
  return errorMessage(error);
}
