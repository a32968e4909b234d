/**
 * Uploads with real progress. fetch() cannot report upload progress, so this one call uses
 * XMLHttpRequest; the token and the refresh-on-401 come from the same auth store as the API
 * client.
 */
import { apiError, errorMessage } from '../api/client';
import type { AuthStore } from './auth';

export interface UploadResult {
  status: number;
  /** Parsed JSON body, or null when the answer was not JSON (a proxy's HTML error page). */
  body: unknown;
}

export interface UploadOptions {
  auth: AuthStore;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Injectable for tests. */
  XHR?: new () => XMLHttpRequest;
}

export class UploadAborted extends Error {
  constructor() {
    super('upload aborted');
    this.name = 'UploadAborted';
  }
}

function sendOnce(url: string, form: FormData, token: string | null, options: UploadOptions) {
  return new Promise<UploadResult>((resolve, reject) => {
    const xhr = new (options.XHR ?? XMLHttpRequest)();
    xhr.open('POST', url);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && ev.total > 0) options.onProgress?.(ev.loaded / ev.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: leave null, the caller reports the status
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.onabort = () => reject(new UploadAborted());
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new UploadAborted());
        return;
      }
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

/** POSTs `form` to `url`; on 401 refreshes the session once (single-flight) and resends. */
export async function uploadWithProgress(
  url: string,
  form: FormData,
  options: UploadOptions,
): Promise<UploadResult> {
  const token = options.auth.accessToken;
  const first = await sendOnce(url, form, token, options);
  if (first.status !== 401 || !token) return first;
  const fresh = await options.auth.refreshAfter(token);
  if (!fresh) return first;
  options.onProgress?.(0);
  return sendOnce(url, form, fresh, options);
}

/** The text for a failed upload: the message for the answer's error code, else a clear text
 * for the common refusals (never the server's English detail). */
export function uploadErrorMessage(
  result: UploadResult,
  texts: { tooLarge: string; wrongType: string; generic: string },
): string {
  const error = apiError(result.status, result.body);
  if (error.coded) return errorMessage(error);
  if (result.status === 413) return texts.tooLarge;
  if (result.status === 415) return texts.wrongType;
  return `${texts.generic} (HTTP ${result.status})`;
}
