import { NavLink } from 'react-router-dom';

import { useI18n } from '../i18n/I18nProvider';
import { NAV_ITEMS } from './nav';

/**
 * One navigation for both layouts: CSS turns it into a bottom tab bar on phones and a side column
 * from 768px up, so there is a single set of links in the accessibility tree.
 * NavLink sets aria-current="page" on the active link.
 */
export function NavBar() {
  const { t } = useI18n();
  return (
    <nav className="mh-nav" aria-label={t('nav.label')}>
      <ul>
        {NAV_ITEMS.map(({ to, label, Icon }) => (
          <li key={to}>
            {/* `end` on "/" so the feed is not marked current on every other page. */}
            <NavLink to={to} end={to === '/'} className="mh-nav-link">
              <Icon className="mh-nav-icon" />
              <span className="mh-nav-text">{t(label)}</span>
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
