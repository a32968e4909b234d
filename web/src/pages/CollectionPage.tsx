import { ComingSoon } from '../components/ComingSoon';
import { CollectionIcon } from '../components/icons';
import { useI18n } from '../i18n/I18nProvider';

export default function CollectionPage() {
  const { t } = useI18n();
  return (
    <ComingSoon
      Icon={CollectionIcon}
      title={t('nav.collection')}
      description={t('collection.description')}
    />
  );
}
