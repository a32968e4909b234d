/**
 * The typed API client: paths and bodies come from the generated `schema.ts` (scripts/gen-api),
 * so a renamed field or route is a type error, not a runtime surprise. No per-endpoint wrappers.
 */
import createClient from 'openapi-fetch';

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
    throw new ApiError(response.status, errorMessage(body, `HTTP ${response.status}`));
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

/** The text to show for a failure: a thrown Error's message, an answer's `{"detail": ...}`, or 422's list. */
export function errorMessage(error: unknown, fallback?: string): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'detail' in error) {
    const detail = (error as { detail: unknown }).detail;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail) && detail.length > 0) {
      const first = detail[0] as { msg?: unknown; loc?: unknown };
      const where = Array.isArray(first.loc) ? first.loc.slice(1).join('.') : '';
      if (typeof first.msg === 'string') return where ? `${where}: ${first.msg}` : first.msg;
    }
  }
  return fallback ?? String(error);
}

/** Unwraps an openapi-fetch result: the data, or an Error carrying the server's message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const body = (
      typeof result.error === 'object' && result.error !== null ? result.error : {}
    ) as {
      code?: unknown;
      params?: unknown;
    };
    throw new ApiError(
      result.response.status,
      errorMessage(result.error, result.response.statusText),
      typeof body.code === 'string' ? body.code : undefined,
      typeof body.params === 'object' && body.params !== null
        ? (body.params as Record<string, string | number>)
        : undefined,
    );
  }
  return result.data as T;
}

/** A failed API call: the HTTP status, the server's text, and its stable `code` and `params`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
