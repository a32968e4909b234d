/**
 * React side of the session: who is signed in, sign-in/registration/logout, MAX auto sign-in,
 * and handing the access token to the live-events socket.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';

import { api, auth, errorMessage, unwrap, type User } from '../api/client';
import { setUnauthorizedHook } from './live';
import { getInitData } from './max';
import { useLiveClient } from './useLive';

export type SessionStatus = 'loading' | 'anonymous' | 'signed-in';

export interface SessionValue {
  status: SessionStatus;
  user: User | null;
  /** Why the automatic MAX sign-in failed, if it did. */
  error: string | null;
  signIn(username: string, password: string): Promise<void>;
  register(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** Re-reads the profile after an edit. */
  setUser(user: User): void;
}

const SessionContext = createContext<SessionValue | null>(null);

async function loadMe(): Promise<User> {
  return unwrap(await api.GET('/api/auth/me'));
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  // Always 'loading' first: even without MAX launch data, the session cookie may restore it.
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [error, setError] = useState<string | null>(null);

  const live = useLiveClient();
  useEffect(() => {
    live.setAccessToken(auth.accessToken);
    // The socket was refused (token expired while the tab slept): refresh, which re-auths it.
    setUnauthorizedHook(() => void auth.refreshAfter(auth.accessToken).catch(() => {}));
    return auth.subscribe((token) => {
      live.setAccessToken(token);
      if (token === null) {
        setUser(null);
        setStatus('anonymous');
      }
    });
  }, [live]);

  useEffect(() => {
    let cancelled = false;
    const initData = getInitData();
    if (auth.accessToken) {
      loadMe()
        .then((me) => !cancelled && (setUser(me), setStatus('signed-in')))
        .catch(() => !cancelled && setStatus('anonymous'));
    } else if (initData) {
      // Inside MAX: the messenger already vouches for the user; no form.
      api
        .POST('/api/auth/login', { body: { init_data: initData } })
        .then(unwrap)
        .then(async (pair) => {
          auth.setTokens(pair);
          const me = await loadMe();
          if (!cancelled) {
            setUser(me);
            setStatus('signed-in');
          }
        })
        .catch((e: unknown) => {
          if (cancelled) return;
          setError(errorMessage(e));
          setStatus('anonymous');
        });
    } else {
      // A reload or a new tab: the HttpOnly session cookie, if any, signs us back in.
      auth
        .restore()
        .then(async (token) => {
          if (!token) return void (!cancelled && setStatus('anonymous'));
          const me = await loadMe();
          if (!cancelled) {
            setUser(me);
            setStatus('signed-in');
          }
        })
        .catch(() => !cancelled && setStatus('anonymous'));
    }
    return () => {
      cancelled = true;
    };
  }, []);

  const finish = useCallback(async (pair: Awaited<ReturnType<typeof unwrap>>) => {
    auth.setTokens(pair as Parameters<typeof auth.setTokens>[0]);
    const me = await loadMe();
    setUser(me);
    setError(null);
    setStatus('signed-in');
  }, []);

  const value = useMemo<SessionValue>(
    () => ({
      status,
      user,
      error,
      async signIn(username, password) {
        await finish(unwrap(await api.POST('/api/auth/login', { body: { username, password } })));
      },
      async register(username, password) {
        await finish(
          unwrap(await api.POST('/api/auth/register', { body: { username, password } })),
        );
      },
      async logout() {
        await auth.logout();
      },
      setUser,
    }),
    [status, user, error, finish],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside <SessionProvider>');
  return value;
}

/** The user's private live channel name. */
export function userChannel(user: Pick<User, 'id'> | null): string | null {
  return user ? `user:${user.id}` : null;
}
