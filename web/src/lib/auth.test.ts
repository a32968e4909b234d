import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createAuthFetch, createAuthStore } from './auth';

/**
 * A stand-in for the API with the real server's rules: refresh tokens rotate and are single-use;
 * presenting a used one revokes the whole session (every token of it stops working).
 */
function fakeServer() {
  let n = 1;
  let access: string | null = 'access-1';
  let refresh = 'refresh-1';
  let revoked = false;
  const state = { refreshCalls: 0 };
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  async function handle(url: string, headers: Headers, body: string | null): Promise<Response> {
    await new Promise((r) => setTimeout(r, 2)); // answers arrive later, like over a network
    if (url.endsWith('/api/auth/refresh')) {
      state.refreshCalls += 1;
      const { refresh_token } = JSON.parse(body ?? '{}') as { refresh_token: string };
      if (revoked || refresh_token !== refresh) {
        revoked = true; // reuse detected: the session is gone
        return json(401, { detail: 'refresh token reused', code: 'unauthorized' });
      }
      n += 1;
      access = `access-${n}`;
      refresh = `refresh-${n}`;
      return json(200, { access_token: access, refresh_token: refresh, expires_in: 900 });
    }
    if (url.endsWith('/api/auth/logout')) return new Response(null, { status: 204 });
    if (revoked || access === null || headers.get('Authorization') !== `Bearer ${access}`) {
      return json(401, { detail: 'token expired', code: 'unauthorized' });
    }
    return new Response(body ?? 'ok', { status: 200 });
  }

  return {
    state,
    firstPair: { access_token: 'access-1', refresh_token: 'refresh-1', expires_in: 900 },
    fetchString: vi.fn((url: string, init: RequestInit = {}) =>
      handle(url, new Headers(init.headers), (init.body as string | undefined) ?? null),
    ) as unknown as typeof fetch,
    fetchRequest: async (request: Request) =>
      handle(request.url, request.headers, request.body ? await request.text() : null),
    /** Time passes: the access token expires (the refresh token stays valid). */
    expireAccess() {
      access = null;
    },
    get revoked() {
      return revoked;
    },
  };
}

describe('auth store', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shares one refresh between concurrent callers (single-flight)', async () => {
    const server = fakeServer();
    const store = createAuthStore({ fetchImpl: server.fetchString });
    store.setTokens(server.firstPair);
    const results = await Promise.all([store.refresh(), store.refresh(), store.refresh()]);
    expect(server.state.refreshCalls).toBe(1);
    expect(results).toEqual(['access-2', 'access-2', 'access-2']);
    expect(server.revoked).toBe(false);
  });

  it('refreshes again later with the rotated token', async () => {
    const server = fakeServer();
    const store = createAuthStore({ fetchImpl: server.fetchString });
    store.setTokens(server.firstPair);
    await store.refresh();
    await store.refresh();
    expect(server.state.refreshCalls).toBe(2);
    expect(store.accessToken).toBe('access-3');
    expect(server.revoked).toBe(false);
  });

  it('signs out locally when the server refuses the refresh token', async () => {
    const server = fakeServer();
    const store = createAuthStore({ fetchImpl: server.fetchString });
    const seen: (string | null)[] = [];
    store.subscribe((token) => seen.push(token));
    store.setTokens({ ...server.firstPair, refresh_token: 'stolen-and-used' });
    expect(await store.refresh()).toBeNull();
    expect(store.accessToken).toBeNull();
    expect(seen).toEqual(['access-1', null]);
  });

  it('keeps the session when the refresh fails for a network reason', async () => {
    const store = createAuthStore({
      fetchImpl: (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
    });
    store.setTokens({ access_token: 'a', refresh_token: 'r', expires_in: 900 });
    await expect(store.refresh()).rejects.toThrow('Failed to fetch');
    expect(store.accessToken).toBe('a');
  });

  it('refreshes by itself a minute before the access token expires', async () => {
    const server = fakeServer();
    const store = createAuthStore({ fetchImpl: server.fetchString });
    store.setTokens(server.firstPair); // expires_in 900 s → refresh at 840 s
    await vi.advanceTimersByTimeAsync(839_000);
    expect(server.state.refreshCalls).toBe(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(server.state.refreshCalls).toBe(1);
    expect(store.accessToken).toBe('access-2');
  });

  it('logout forgets the tokens at once and tells the server', async () => {
    const server = fakeServer();
    const store = createAuthStore({ fetchImpl: server.fetchString });
    store.setTokens(server.firstPair);
    const done = store.logout();
    expect(store.accessToken).toBeNull();
    await done;
    expect(server.fetchString).toHaveBeenCalledWith(
      '/api/auth/logout',
      expect.objectContaining({ body: JSON.stringify({ refresh_token: 'refresh-1' }) }),
    );
  });
});

describe('authFetch', () => {
  it('sends the bearer token', async () => {
    const server = fakeServer();
    const store = createAuthStore({ fetchImpl: server.fetchString });
    store.setTokens(server.firstPair);
    const authFetch = createAuthFetch(store, server.fetchRequest);
    expect((await authFetch(new Request('http://x/api/auth/me'))).status).toBe(200);
  });

  it('five parallel 401s cause one refresh and five successful retries with their bodies', async () => {
    const server = fakeServer();
    const store = createAuthStore({ fetchImpl: server.fetchString });
    store.setTokens(server.firstPair);
    const authFetch = createAuthFetch(store, server.fetchRequest);
    server.expireAccess();
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        authFetch(new Request(`http://x/api/thing/${i}`, { method: 'POST', body: `body-${i}` })),
      ),
    );
    expect(server.state.refreshCalls).toBe(1);
    expect(server.revoked).toBe(false);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    // The request was cloned before sending, so each retry still carries its body.
    expect(await Promise.all(responses.map((r) => r.text()))).toEqual([
      'body-1',
      'body-2',
      'body-3',
      'body-4',
      'body-5',
    ]);
    expect(store.accessToken).toBe('access-2');
  });

  it('a 401 that arrives after another refresh finished reuses the new token', async () => {
    const server = fakeServer();
    const store = createAuthStore({ fetchImpl: server.fetchString });
    store.setTokens(server.firstPair);
    await store.refresh(); // e.g. the proactive timer
    expect(await store.refreshAfter('access-1')).toBe('access-2');
    expect(server.state.refreshCalls).toBe(1);
  });

  it('gives up (returns the 401) when the session is gone', async () => {
    const server = fakeServer();
    const store = createAuthStore({ fetchImpl: server.fetchString });
    store.setTokens({ ...server.firstPair, refresh_token: 'not-valid' });
    const authFetch = createAuthFetch(store, server.fetchRequest);
    server.expireAccess();
    expect((await authFetch(new Request('http://x/api/photos/mine'))).status).toBe(401);
    expect(store.accessToken).toBeNull();
  });

  it('does not try to refresh without a session', async () => {
    const server = fakeServer();
    const store = createAuthStore({ fetchImpl: server.fetchString });
    const authFetch = createAuthFetch(store, server.fetchRequest);
    expect((await authFetch(new Request('http://x/api/auth/me'))).status).toBe(401);
    expect(server.state.refreshCalls).toBe(0);
  });
});
