import { useI18n } from '../i18n/I18nProvider';

/** Shown while a page's code chunk downloads. */
export function PageFallback() {
  const { t } = useI18n();
  return (
    <div className="mh-empty">
      <div className="spinner-border text-secondary" role="status">
        <span className="visually-hidden">{t('page.loading')}</span>
      </div>
    </div>
  );
}
