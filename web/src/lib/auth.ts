/**
 * The session: the access token in memory only (never localStorage, where any injected script
 * could read it). The refresh token is the server's HttpOnly cookie (scoped to /api/auth): page
 * scripts never see it, and a reload or a new tab restores the session with `restore()`.
 *
 * The server's refresh tokens are strictly single-use: presenting one twice signs the whole
 * session out. So every refresh in a tab goes through one in-flight promise (the proactive
 * timer, a 401 on any number of parallel requests, and the live socket all share it), and
 * tabs take turns through a Web Lock, so two tabs never present the same cookie.
 */

export interface TokenPair {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
}

/** The subset of `navigator.locks` used here (absent in old browsers and in Node). */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

const REFRESH_LOCK = 'mediahub-auth-refresh';

export type AuthListener = (accessToken: string | null) => void;

export interface AuthStoreOptions {
  /** The fetch to call /api/auth/refresh and /logout with (tests inject a fake server). */
  fetchImpl?: typeof fetch;
  /** Prefix of API URLs, e.g. "" (same origin) or "https://api.example.com". */
  baseUrl?: string;
  /** Refresh this long before the access token expires. */
  refreshMarginMs?: number;
  /** Cross-tab lock for refreshes (default: navigator.locks when the browser has it). */
  locks?: LockManagerLike | null;
}

export interface AuthStore {
  readonly accessToken: string | null;
  /** Starts a session from a login/register/refresh answer. */
  setTokens(pair: TokenPair): void;
  /**
   * After a reload: a session from the HttpOnly cookie if the browser still has one.
   * Resolves the access token, or null when signed out (no or refused cookie, or offline).
   */
  restore(): Promise<string | null>;
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

function defaultLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? null;
}

export function createAuthStore(options: AuthStoreOptions = {}): AuthStore {
  const { baseUrl = '', refreshMarginMs = 60_000 } = options;
  const locks = options.locks === undefined ? defaultLocks() : options.locks;
  const doFetch = (input: string, init: RequestInit) =>
    (options.fetchImpl ?? globalThis.fetch)(input, init);
  // The cookie goes with the request (same origin, or a CORS origin allowed with credentials).
  const post = (path: string) =>
    doFetch(`${baseUrl}${path}`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
  let access: string | null = null;
  let signedIn = false;
  let generation = 0; // bumped by every sign-in/out, so a late refresh answer is ignored
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
    generation += 1;
    const had = access !== null || signedIn;
    access = null;
    signedIn = false;
    if (had) emit();
  }

  async function doRefresh(): Promise<string | null> {
    const started = generation;
    const response = await post('/api/auth/refresh');
    if (generation !== started) return access; // signed out or in again meanwhile
    if (response.status === 401) {
      clear();
      return null;
    }
    if (!response.ok) throw new Error(`refresh failed: HTTP ${response.status}`);
    store.setTokens((await response.json()) as TokenPair);
    return access;
  }

  /** One refresh at a time across the browser's tabs (each rotates the shared cookie). */
  function lockedRefresh(): Promise<string | null> {
    return locks ? locks.request(REFRESH_LOCK, doRefresh) : doRefresh();
  }

  const store: AuthStore = {
    get accessToken() {
      return access;
    },

    setTokens(pair) {
      generation += 1;
      access = pair.access_token;
      signedIn = true;
      schedule(pair.expires_in);
      emit();
    },

    async restore() {
      try {
        return await store.refresh();
      } catch {
        return null; // offline or server trouble: show the sign-in form, lose nothing
      }
    },

    refresh() {
      if (!inflight) {
        inflight = lockedRefresh().finally(() => {
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
      clear();
      try {
        await post('/api/auth/logout'); // ends the session and clears the cookie
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
