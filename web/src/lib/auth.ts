/**
 * The session: access and refresh tokens kept in memory only (never localStorage, where any
 * injected script could read them and where they would outlive the tab).
 *
 * The server's refresh tokens are strictly single-use: presenting one twice signs the whole
 * session out. So every refresh in a tab goes through one in-flight promise: the proactive
 * timer, a 401 on any number of parallel requests, and the live socket all share it.
 */

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export type AuthListener = (accessToken: string | null) => void;

export interface AuthStoreOptions {
  /** The fetch to call /api/auth/refresh and /logout with (tests inject a fake server). */
  fetchImpl?: typeof fetch;
  /** Prefix of API URLs, e.g. "" (same origin) or "https://api.example.com". */
  baseUrl?: string;
  /** Refresh this long before the access token expires. */
  refreshMarginMs?: number;
}

export interface AuthStore {
  readonly accessToken: string | null;
  /** Starts a session from a login/register/refresh answer. */
  setTokens(pair: TokenPair): void;
  /**
   * A fresh access token: single-flight, so concurrent callers share one POST /refresh.
   * Resolves null when the session is gone (the refresh token was refused); network errors
   * reject and keep the session, so a flaky connection does not sign anyone out.
   */
  refresh(): Promise<string | null>;
  /**
   * For a request that got 401 with `staleToken`: if another refresh already replaced that token,
   * the current one is returned without spending the refresh token again.
   */
  refreshAfter(staleToken: string | null): Promise<string | null>;
  /** Ends the session locally at once and tells the server (best effort). */
  logout(): Promise<void>;
  /** Forgets the session without telling the server (it already refused it). */
  clear(): void;
  /** Called with the new access token (or null) whenever it changes. */
  subscribe(listener: AuthListener): () => void;
}

export function createAuthStore(options: AuthStoreOptions = {}): AuthStore {
  const { baseUrl = '', refreshMarginMs = 60_000 } = options;
  const doFetch = (input: string, init: RequestInit) =>
    (options.fetchImpl ?? globalThis.fetch)(input, init);
  let access: string | null = null;
  let refreshToken: string | null = null;
  let inflight: Promise<string | null> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<AuthListener>();

  function emit(): void {
    for (const listener of [...listeners]) listener(access);
  }

  function schedule(expiresInS: number): void {
    clearTimeout(timer);
    // Refresh a margin before expiry (at least half-way for very short tokens).
    const delay = Math.max(1_000, expiresInS * 500, expiresInS * 1000 - refreshMarginMs);
    timer = setTimeout(() => {
      store.refresh().catch(() => {
        // Offline: the next request's 401 (or the next timer) will try again.
        schedule(30);
      });
    }, delay);
  }

  function clear(): void {
    clearTimeout(timer);
    timer = undefined;
    const had = access !== null || refreshToken !== null;
    access = null;
    refreshToken = null;
    if (had) emit();
  }

  async function doRefresh(): Promise<string | null> {
    const token = refreshToken;
    if (!token) return null;
    const response = await doFetch(`${baseUrl}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: token }),
    });
    if (refreshToken !== token) return access; // signed out or in again meanwhile
    if (response.status === 401) {
      clear();
      return null;
    }
    if (!response.ok) throw new Error(`refresh failed: HTTP ${response.status}`);
    store.setTokens((await response.json()) as TokenPair);
    return access;
  }

  const store: AuthStore = {
    get accessToken() {
      return access;
    },

    setTokens(pair) {
      access = pair.access_token;
      refreshToken = pair.refresh_token;
      schedule(pair.expires_in);
      emit();
    },

    refresh() {
      if (!inflight) {
        inflight = doRefresh().finally(() => {
          inflight = null;
        });
      }
      return inflight;
    },

    refreshAfter(staleToken) {
      if (inflight) return inflight;
      if (access !== null && access !== staleToken) return Promise.resolve(access);
      return store.refresh();
    },

    async logout() {
      const token = refreshToken;
      clear();
      if (!token) return;
      try {
        await doFetch(`${baseUrl}/api/auth/logout`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refresh_token: token }),
        });
      } catch {
        // Locally signed out already; the server session expires on its own.
      }
    },

    clear,

    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
  return store;
}

/**
 * fetch with the bearer token; on 401 refreshes (single-flight) and retries the request once.
 * The request is cloned before sending because a body can be read only once.
 */
export function createAuthFetch(
  store: AuthStore,
  fetchImpl?: (input: Request) => Promise<Response>,
): (input: Request) => Promise<Response> {
  const send = (request: Request) => (fetchImpl ?? ((r: Request) => globalThis.fetch(r)))(request);
  return async (input) => {
    const token = store.accessToken;
    const retry = token ? input.clone() : null;
    if (token) input.headers.set('Authorization', `Bearer ${token}`);
    const response = await send(input);
    if (response.status !== 401 || !retry) return response;
    let fresh: string | null;
    try {
      fresh = await store.refreshAfter(token);
    } catch {
      return response;
    }
    if (!fresh) return response;
    retry.headers.set('Authorization', `Bearer ${fresh}`);
    return send(retry);
  };
}
