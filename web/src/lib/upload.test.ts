import { describe, expect, it } from 'vitest';

import { createAuthStore } from './auth';
import { uploadErrorMessage, uploadWithProgress, UploadAborted } from './upload';

type Script = { status: number; body: string; progress?: [number, number][] };

/** An XMLHttpRequest stand-in that plays a scripted answer per request, recording headers. */
function fakeXhr(scripts: Script[]) {
  const sent: { headers: Record<string, string>; body: unknown }[] = [];
  class FakeXHR {
    status = 0;
    responseText = '';
    upload: { onprogress: ((ev: ProgressEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    private headers: Record<string, string> = {};
    private aborted = false;
    open() {}
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    abort() {
      this.aborted = true;
      this.onabort?.();
    }
    send(body: unknown) {
      sent.push({ headers: this.headers, body });
      const script = scripts.shift()!;
      void (async () => {
        for (const [loaded, total] of script.progress ?? []) {
          await Promise.resolve();
          if (this.aborted) return;
          this.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent);
        }
        await Promise.resolve();
        if (this.aborted) return;
        this.status = script.status;
        this.responseText = script.body;
        this.onload?.();
      })();
    }
  }
  return { XHR: FakeXHR as unknown as new () => XMLHttpRequest, sent };
}

function session(refreshBody = { access_token: 'a2', refresh_token: 'r2', expires_in: 900 }) {
  let refreshes = 0;
  const auth = createAuthStore({
    fetchImpl: (async () => {
      refreshes += 1;
      return new Response(JSON.stringify(refreshBody), { status: 200 });
    }) as unknown as typeof fetch,
  });
  auth.setTokens({ access_token: 'a1', refresh_token: 'r1', expires_in: 900 });
  return { auth, refreshes: () => refreshes };
}

describe('uploadWithProgress', () => {
  it('reports upload progress as fractions and returns the parsed answer', async () => {
    const { XHR, sent } = fakeXhr([
      {
        status: 201,
        body: '{"id":"p1","status":"processing"}',
        progress: [
          [25, 100],
          [100, 100],
        ],
      },
    ]);
    const { auth } = session();
    const seen: number[] = [];
    const form = new FormData();
    const result = await uploadWithProgress('/api/photos', form, {
      auth,
      XHR,
      onProgress: (p) => seen.push(p),
    });
    expect(seen).toEqual([0.25, 1]);
    expect(result).toEqual({ status: 201, body: { id: 'p1', status: 'processing' } });
    expect(sent[0]!.headers.Authorization).toBe('Bearer a1');
    expect(sent[0]!.body).toBe(form);
  });

  it('refreshes once on 401 and sends again with the new token', async () => {
    const { XHR, sent } = fakeXhr([
      { status: 401, body: '{"detail":"token expired"}' },
      { status: 201, body: '{"id":"p2"}' },
    ]);
    const { auth, refreshes } = session();
    const result = await uploadWithProgress('/api/photos', new FormData(), { auth, XHR });
    expect(result.status).toBe(201);
    expect(refreshes()).toBe(1);
    expect(sent.map((s) => s.headers.Authorization)).toEqual(['Bearer a1', 'Bearer a2']);
  });

  it('keeps a non-JSON error page as a null body', async () => {
    const { XHR } = fakeXhr([{ status: 502, body: '<html>Bad gateway</html>' }]);
    const { auth } = session();
    expect(await uploadWithProgress('/api/photos', new FormData(), { auth, XHR })).toEqual({
      status: 502,
      body: null,
    });
  });

  it('rejects with UploadAborted when the signal aborts', async () => {
    const { XHR } = fakeXhr([
      {
        status: 201,
        body: '{}',
        progress: [
          [1, 10],
          [2, 10],
          [3, 10],
        ],
      },
    ]);
    const { auth } = session();
    const controller = new AbortController();
    const promise = uploadWithProgress('/api/photos', new FormData(), {
      auth,
      XHR,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(promise).rejects.toBeInstanceOf(UploadAborted);
  });
});

describe('uploadErrorMessage', () => {
  const texts = { tooLarge: 'Too large', wrongType: 'Wrong type', generic: 'Upload failed' };
  it("shows the code's message, else names the common refusals; never the server's detail", () => {
    const empty = { detail: 'the file is empty', code: 'upload.empty_file', params: {} };
    expect(uploadErrorMessage({ status: 400, body: empty }, texts)).toBe('The file is empty.');
    const big = { detail: 'x', code: 'upload.too_large', params: { max_bytes: 26214400 } };
    expect(uploadErrorMessage({ status: 413, body: big }, texts)).toBe(
      'The file is too large (at most 25 MB).',
    );
    expect(uploadErrorMessage({ status: 413, body: { detail: 'max 25 MB' } }, texts)).toBe(
      'Too large',
    );
    expect(uploadErrorMessage({ status: 415, body: null }, texts)).toBe('Wrong type');
    expect(uploadErrorMessage({ status: 400, body: { detail: 'bad tags' } }, texts)).toBe(
      'Upload failed (HTTP 400)',
    );
  });
});
