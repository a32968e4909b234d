/**
 * The typed API client: paths and bodies come from the generated `schema.ts` (scripts/gen-api),
 * so a renamed field or route is a type error, not a runtime surprise. No per-endpoint wrappers.
 */
import createClient from 'openapi-fetch';

import { errorText, isErrorCode, type ErrorCode } from '../i18n/errors';
import { currentLanguage } from '../i18n/i18n';
import { createAuthFetch, createAuthStore } from '../lib/auth';
import type { components, paths } from './schema';

/** Where the API lives: same origin by default; VITE_API_BASE for a separately hosted API. */
// Absolute even for the same origin: `new Request('/api/…')` is not resolvable everywhere
// (Node's Request, used by the unit tests, has no base URL).
export const API_BASE: string =
  (import.meta.env.VITE_API_BASE as string | undefined) ??
  (typeof window === 'undefined' ? '' : window.location.origin);

/** A URL from an API answer (often relative, e.g. `/api/files/…`) made absolute. */
export function apiUrl(url: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `${API_BASE}${url}`;
}

export const auth = createAuthStore({ baseUrl: API_BASE });

/** fetch with the session's bearer token and refresh-on-401, for the few non-JSON calls. */
export const authFetch = createAuthFetch(auth);

export const api = createClient<paths>({ baseUrl: API_BASE, fetch: authFetch });

/** Downloads an authenticated URL and hands it to the browser as a file. */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const response = await authFetch(new Request(`${API_BASE}${path}`));
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // not JSON
    }
    throw apiError(response.status, body);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type Schemas = components['schemas'];
export type Photo = Schemas['PhotoOut'];
export type PhotoPage = Schemas['PhotoPage'];
export type User = Schemas['UserOut'];
export type UserPublic = Schemas['UserPublic'];
export type Trade = Schemas['TradeOut'];
export type Transfer = Schemas['TransferOut'];
export type ExchangePhoto = Schemas['ExchangePhoto'];
export type ProfileRequest = Schemas['ProfileRequestOut'];
export type HistoryItem = Schemas['HistoryItem'];

type ErrorParams = Record<string, string | number | string[]>;

/** The `code` and `params` of an error answer, if it has a code we know. */
function codeOf(body: unknown): { code: ErrorCode; params: ErrorParams } | null {
  if (typeof body !== 'object' || body === null || !('code' in body)) return null;
  const { code, params } = body as { code: unknown; params?: unknown };
  if (!isErrorCode(code)) return null;
  return {
    code,
    params: typeof params === 'object' && params !== null ? (params as ErrorParams) : {},
  };
}

/**
 * The text to show for a failure, in the app's language: an API error's own message for its
 * `code` (errors.ts). The server's English `detail`, a browser's message or a stray string are
 * never shown: without a known code the text says only what failed, generically.
 */
export function errorMessage(error: unknown, fallback?: string): string {
  const language = currentLanguage();
  const coded = error instanceof ApiError ? error.coded : codeOf(error);
  // A mangled id (a link cut short, a typo) names nothing: say so, not which field it was.
  if (coded?.code === 'validation.wrong_type' && /(^|_)id$/.test(String(coded.params?.field)))
    return errorText('not_found', {}, language);
  if (coded) return errorText(coded.code, coded.params, language);
  const status = error instanceof ApiError ? error.status : null;
  if (status === 0 || error instanceof TypeError) return errorText('network', {}, language);
  if (status !== null && status >= 500) return errorText('internal_error', {}, language);
  if (status !== null) return errorText('error', { status }, language);
  return fallback ?? errorText('unknown', {}, language);
}

/** The ApiError for a failed answer: its status, English detail (for logs) and code. */
export function apiError(status: number, body: unknown): ApiError {
  const raw = typeof body === 'object' && body !== null && 'detail' in body ? body.detail : null;
  const detail = typeof raw === 'string' ? raw : raw ? JSON.stringify(raw) : `HTTP ${status}`;
  return new ApiError(status, detail, codeOf(body));
}

/** Unwraps an openapi-fetch result: the data, or an ApiError carrying the server's code. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw apiError(result.response.status, result.error);
  }
  return result.data as T;
}

/** A failed API call; `message` is the server's English detail, for logs, not for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly coded: { code: ErrorCode; params: ErrorParams } | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
