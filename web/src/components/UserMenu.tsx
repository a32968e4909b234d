import { Link } from 'react-router-dom';

import { useI18n } from '../i18n/I18nProvider';
import { useSession } from '../lib/session';
import { displayName } from './UserName';

/** Who is signed in (links to settings), or a sign-in link. */
export function UserMenu() {
  const { t } = useI18n();
  const { status, user } = useSession();
  if (status === 'loading') return null;
  return user ? (
    <Link to="/settings" className="mh-user small text-truncate" data-testid="current-user">
      {displayName(user)}
    </Link>
  ) : (
    <Link to="/settings" className="btn btn-sm btn-primary">
      {t('auth.signIn')}
    </Link>
  );
}
