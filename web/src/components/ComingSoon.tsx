import type { IconComponent } from './icons';
import { useI18n } from '../i18n/I18nProvider';
import { usePageTitle } from './usePageTitle';

interface Props {
  Icon: IconComponent;
  title: string;
  description: string;
}

/** The empty state of a section that is not built yet: what it will do, and that it is coming. */
export function ComingSoon({ Icon, title, description }: Props) {
  const { t } = useI18n();
  usePageTitle(title);
  return (
    <section className="mh-empty" aria-labelledby="page-title">
      <Icon className="mh-empty-icon" />
      <h1 id="page-title" className="h3">
        {title}
      </h1>
      <p className="text-body-secondary mb-3">{description}</p>
      <span className="badge rounded-pill text-bg-secondary">{t('page.comingSoon')}</span>
    </section>
  );
}
