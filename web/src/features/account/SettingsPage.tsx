import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';

import { api, errorMessage, unwrap } from '../../api/client';
import { LoginForm, RequireAuth } from './LoginForm';
import { QrCode } from '../../components/QrCode';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { isInsideMax } from '../../lib/max';
import { useSession } from '../../lib/session';

/** Account: profile fields, public profile, contact link, my profile QR, sign out. */
function Settings() {
  const { t } = useI18n();
  const { user, setUser, logout } = useSession();
  const [firstName, setFirstName] = useState(user?.first_name ?? '');
  const [lastName, setLastName] = useState(user?.last_name ?? '');
  const [isPublic, setIsPublic] = useState(user?.is_public ?? false);
  const [contact, setContact] = useState(user?.contact_link ?? '');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  if (!user) return null;

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      const updated = unwrap(
        await api.PATCH('/api/auth/me', {
          body: {
            first_name: firstName,
            last_name: lastName,
            is_public: isPublic,
            contact_link: contact,
          },
        }),
      );
      setUser(updated);
      setStatus({ ok: true, text: t('settings.saved') });
    } catch (e) {
      setStatus({ ok: false, text: errorMessage(e) });
    }
  }

  return (
    <div className="row g-4">
      <div className="col-lg-7">
        <form className="card" onSubmit={save}>
          <div className="card-body">
            <h2 className="h5">{t('settings.profile')}</h2>
            <p className="text-body-secondary small">@{user.username}</p>
            <div className="row g-2 mb-2">
              <div className="col-sm-6">
                <label htmlFor="s-first" className="form-label">
                  {t('settings.firstName')}
                </label>
                <input
                  id="s-first"
                  className="form-control"
                  value={firstName}
                  onChange={(e) => setFirstName(e.target.value)}
                />
              </div>
              <div className="col-sm-6">
                <label htmlFor="s-last" className="form-label">
                  {t('settings.lastName')}
                </label>
                <input
                  id="s-last"
                  className="form-control"
                  value={lastName}
                  onChange={(e) => setLastName(e.target.value)}
                />
              </div>
            </div>
            <div className="form-check form-switch mb-2">
              <input
                id="s-public"
                className="form-check-input"
                type="checkbox"
                role="switch"
                checked={isPublic}
                onChange={(e) => setIsPublic(e.target.checked)}
              />
              <label className="form-check-label" htmlFor="s-public">
                {t('settings.publicProfile')}
              </label>
            </div>
            <label htmlFor="s-contact" className="form-label">
              {t('settings.contact')}
            </label>
            <input
              id="s-contact"
              className="form-control mb-3"
              type="url"
              placeholder="https://"
              value={contact}
              onChange={(e) => setContact(e.target.value)}
            />
            <button type="submit" className="btn btn-primary">
              {t('common.save')}
            </button>
            {status && (
              <div
                className={`mt-2 small ${status.ok ? 'text-success' : 'text-danger'}`}
                role="status"
              >
                {status.text}
              </div>
            )}
          </div>
        </form>
        {!isInsideMax() && (
          <button
            type="button"
            className="btn btn-outline-danger mt-3"
            onClick={() => void logout()}
          >
            {t('auth.logout')}
          </button>
        )}
      </div>
      <div className="col-lg-5">
        <div className="card">
          <div className="card-body text-center">
            <h2 className="h5">{t('settings.myQr')}</h2>
            <p className="small text-body-secondary">{t('settings.myQrHint')}</p>
            <QrCode text={`user:${user.id}`} label={t('settings.myQr')} size={200} />
            <p className="mt-2">
              <Link to={`/users/${user.id}`}>{t('settings.viewProfile')}</Link>
            </p>
          </div>
        </div>
      </div>
    </div>
  );
}

export default function SettingsPage() {
  const { t } = useI18n();
  const { status } = useSession();
  // Signed out, this page is where "Sign in" leads: it is the sign-in page, not settings.
  const signedOut = status === 'anonymous';
  usePageTitle(signedOut ? t('auth.signIn') : t('nav.settings'));
  if (signedOut) return <LoginForm />;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="h3">
        {t('nav.settings')}
      </h1>
      <RequireAuth>
        <Settings />
      </RequireAuth>
    </section>
  );
}
