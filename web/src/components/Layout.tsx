import { Suspense, useEffect, useRef, type ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';

import { useI18n } from '../i18n/I18nProvider';
import { parseStartParam } from '../lib/codes';
import { getStartParam, showMaxBackButton } from '../lib/max';
import { useSession } from '../lib/session';
import { ConnectionBanner } from './ConnectionBanner';
import { NAV_ITEMS } from './nav';
import { NavBar } from './NavBar';
import { PageErrorBoundary } from './PageErrorBoundary';
import { PageFallback } from './PageFallback';
import { Toasts } from './Toasts';
import { UserMenu } from './UserMenu';

/** The frame around every page: header, a banner when the connection is in trouble, navigation, and the page itself. */
export function Layout() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const navigate = useNavigate();

  // Opened from a MAX deep link: go where it points, once per launch.
  useEffect(() => {
    const code = parseStartParam(getStartParam());
    if (code?.kind === 'trade')
      navigate(`/exchange?code=${encodeURIComponent(`trade:${code.token}`)}`);
    if (code?.kind === 'user') navigate(`/users/${code.id}`);
  }, [navigate]);

  // Inside MAX, inner pages (a photo, a trade, a transcript) get the messenger's back button.
  const inner = !NAV_ITEMS.some((item) => item.to === pathname);
  useEffect(() => showMaxBackButton(inner, () => navigate(-1)), [inner, navigate]);

  useEffect(() => {
    // After client-side navigation, move focus to the new content the way a full page load
    // would, so keyboard and screen-reader users are not left on the old link.
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [pathname]);

  return (
    <div className="mh-shell">
      <a className="visually-hidden-focusable mh-skip-link" href="#main">
        {t('a11y.skipToContent')}
      </a>
      <header className="mh-header">
        <span className="mh-brand">{t('app.name')}</span>
        <div className="mh-indicators">
          <UserMenu />
        </div>
      </header>
      <ConnectionBanner />
      <div className="mh-body">
        <NavBar />
        <main id="main" ref={mainRef} className="mh-main" tabIndex={-1}>
          <PageErrorBoundary key={pathname} title={t('page.failed')} reloadLabel={t('page.reload')}>
            <Suspense fallback={<PageFallback />}>
              <SessionSettled>
                <Outlet />
              </SessionSettled>
            </Suspense>
          </PageErrorBoundary>
        </main>
      </div>
      <Toasts />
    </div>
  );
}

/**
 * Holds every page back until the session is known (cookie restore or MAX sign-in settled), so
 * a page's first request carries the token: a reload of a private photo must not ask anonymously.
 */
function SessionSettled({ children }: { children: ReactNode }) {
  const { status } = useSession();
  return status === 'loading' ? <PageFallback /> : <>{children}</>;
}
