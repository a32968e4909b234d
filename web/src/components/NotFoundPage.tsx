import { Link } from 'react-router-dom';

import { CompassIcon } from './icons';
import { usePageTitle } from './usePageTitle';
import { useI18n } from '../i18n/I18nProvider';

export default function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle(t('notFound.title'));
  return (
    <section className="mh-empty" aria-labelledby="page-title">
      <CompassIcon className="mh-empty-icon" />
      <h1 id="page-title" className="h3">
        {t('notFound.title')}
      </h1>
      <p className="text-body-secondary mb-3">{t('notFound.description')}</p>
      <Link to="/" className="btn btn-primary">
        {t('notFound.home')}
      </Link>
    </section>
  );
}
