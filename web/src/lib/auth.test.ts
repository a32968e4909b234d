import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { json } from '../test/http';
import { createAuthFetch, createAuthStore } from './auth';

/**
 * A stand-in for the API with the real server's rules: refresh tokens rotate and are single-use;
 * presenting a used one revokes the whole session (every token of it stops working). The
 * refresh token lives in the browser's HttpOnly cookie, which every tab (store) shares.
 */
function fakeServer() {
  let n = 1;
  let access: string | null = 'access-1';
  let refresh = 'refresh-1';
  let revoked = false;
  const jar = { cookie: 'refresh-1' as string | null }; // signed in: login set the cookie
  const state = { refreshCalls: 0 };

  async function handle(url: string, headers: Headers, body: string | null): Promise<Response> {
    if (url.endsWith('/api/auth/refresh')) {
      state.refreshCalls += 1;
      const sent = jar.cookie; // the browser attaches the cookie when the request leaves
      await new Promise((r) => setTimeout(r, 2)); // answers arrive later, like over a network
      const { refresh_token } = JSON.parse(body ?? '{}') as { refresh_token?: string };
      const token = refresh_token ?? sent;
      if (token === null) return json({ detail: 'not signed in', code: 'unauthorized' }, 401);
      if (revoked || token !== refresh) {
        revoked = true; // reuse detected: the session is gone
        jar.cookie = null;
        return json({ detail: 'refresh token reused', code: 'unauthorized' }, 401);
      }
      n += 1;
      access = `access-${n}`;
      refresh = `refresh-${n}`;
      jar.cookie = refresh; // Set-Cookie with the rotated token
      return json({ access_token: access, refresh_token: refresh, expires_in: 900 });
    }
    await new Promise((r) => setTimeout(r, 2));
    if (url.endsWith('/api/auth/logout')) {
      revoked = true;
      jar.cookie = null;
      return new Response(null, { status: 204 });
    }
    if (revoked || access === null || headers.get('Authorization') !== `Bearer ${access}`) {
      return json({ detail: 'token expired', code: 'unauthorized' }, 401);
    }
    return new Response(body ?? 'ok', { status: 200 });
  }

  return {
    state,
    jar,
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

/** navigator.locks for tests: one holder per name at a time, others queue. */
function fakeLocks() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      const previous = tails.get(name) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(callback);
      tails.set(name, next);
      return next;
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
    store.setTokens(server.firstPair);
    server.jar.cookie = 'stolen-and-used';
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
    // The token is the cookie's business: the page sends `{}` with credentials.
    expect(server.fetchString).toHaveBeenCalledWith(
      '/api/auth/logout',
      expect.objectContaining({ body: '{}', credentials: 'include' }),
    );
    expect(server.jar.cookie).toBeNull();
  });

  it('restores the session from the cookie after a reload', async () => {
    const server = fakeServer();
    const reloaded = createAuthStore({ fetchImpl: server.fetchString }); // fresh memory
    expect(await reloaded.restore()).toBe('access-2');
    expect(reloaded.accessToken).toBe('access-2');
    expect(server.fetchString).toHaveBeenCalledWith(
      '/api/auth/refresh',
      expect.objectContaining({ body: '{}', credentials: 'include' }),
    );
  });

  it('restore without a cookie (or offline) leaves the page signed out', async () => {
    const server = fakeServer();
    server.jar.cookie = null;
    expect(await createAuthStore({ fetchImpl: server.fetchString }).restore()).toBeNull();
    const offline = createAuthStore({
      fetchImpl: (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
    });
    expect(await offline.restore()).toBeNull();
  });

  it('two tabs refreshing at once take turns and both stay signed in', async () => {
    const server = fakeServer();
    const locks = fakeLocks();
    const tabA = createAuthStore({ fetchImpl: server.fetchString, locks });
    const tabB = createAuthStore({ fetchImpl: server.fetchString, locks });
    tabA.setTokens(server.firstPair);
    tabB.setTokens(server.firstPair);
    const [a, b] = await Promise.all([tabA.refresh(), tabB.refresh()]);
    expect(server.revoked).toBe(false);
    expect([a, b].sort()).toEqual(['access-2', 'access-3']);
    expect(server.state.refreshCalls).toBe(2);
  });

  it('without the lock two tabs would present the same cookie and lose the session', async () => {
    const server = fakeServer();
    const tabA = createAuthStore({ fetchImpl: server.fetchString, locks: null });
    const tabB = createAuthStore({ fetchImpl: server.fetchString, locks: null });
    tabA.setTokens(server.firstPair);
    tabB.setTokens(server.firstPair);
    await Promise.all([tabA.refresh(), tabB.refresh()]);
    expect(server.revoked).toBe(true); // why the lock exists
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
    store.setTokens(server.firstPair);
    server.jar.cookie = 'not-valid';
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
