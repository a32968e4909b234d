import { useId, useState, type FormEvent } from 'react';

import { errorMessage } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { useSession } from '../../lib/session';

/** The server's password policy (auth/passwords.py MIN_LENGTH), shown before the first try. */
const PASSWORD_MIN = 8;

/** Password sign-in and registration (in a browser; inside MAX sign-in is automatic). */
export function LoginForm() {
  const { t } = useI18n();
  const session = useSession();
  const [mode, setMode] = useState<'signin' | 'register'>('signin');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(session.error);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'signin') await session.signIn(username, password);
      else await session.register(username, password);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const title = mode === 'signin' ? t('auth.signIn') : t('auth.register');
  return (
    <section className="mh-login card" aria-labelledby={`${id}-title`}>
      <div className="card-body">
        <h1 id={`${id}-title`} className="h4 mb-3">
          {title}
        </h1>
        <form onSubmit={submit} noValidate>
          <div className="mb-3">
            <label htmlFor={`${id}-user`} className="form-label">
              {t('auth.username')}
            </label>
            <input
              id={`${id}-user`}
              className="form-control"
              autoComplete="username"
              required
              value={username}
              aria-describedby={mode === 'register' ? `${id}-user-hint` : undefined}
              onChange={(e) => setUsername(e.target.value)}
            />
            {mode === 'register' && (
              <div id={`${id}-user-hint`} className="form-text">
                {t('auth.usernameHint')}
              </div>
            )}
          </div>
          <div className="mb-3">
            <label htmlFor={`${id}-pass`} className="form-label">
              {t('auth.password')}
            </label>
            <input
              id={`${id}-pass`}
              type="password"
              className="form-control"
              autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
              required
              value={password}
              aria-describedby={mode === 'register' ? `${id}-pass-hint` : undefined}
              onChange={(e) => setPassword(e.target.value)}
            />
            {mode === 'register' && (
              <div id={`${id}-pass-hint`} className="form-text">
                {t('auth.passwordHint', { min: PASSWORD_MIN })}
              </div>
            )}
          </div>
          {error && (
            <div className="alert alert-danger py-2" role="alert">
              {error}
            </div>
          )}
          <button type="submit" className="btn btn-primary w-100" disabled={busy}>
            {title}
          </button>
        </form>
        <button
          type="button"
          className="btn btn-link w-100 mt-2"
          onClick={() => {
            setMode(mode === 'signin' ? 'register' : 'signin');
            setError(null);
          }}
        >
          {mode === 'signin' ? t('auth.needAccount') : t('auth.haveAccount')}
        </button>
      </div>
    </section>
  );
}

/** Shows its children to a signed-in user, otherwise the sign-in form. */
export function RequireAuth({ children }: { children: React.ReactNode }) {
  const { status } = useSession();
  const { t } = useI18n();
  if (status === 'loading') {
    return (
      <div className="mh-empty">
        <div className="spinner-border text-secondary" role="status">
          <span className="visually-hidden">{t('auth.signingIn')}</span>
        </div>
      </div>
    );
  }
  if (status === 'anonymous') return <LoginForm />;
  return <>{children}</>;
}
