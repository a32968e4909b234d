import { ComingSoon } from '../components/ComingSoon';
import { FeedIcon } from '../components/icons';
import { useI18n } from '../i18n/I18nProvider';

export default function FeedPage() {
  const { t } = useI18n();
  return <ComingSoon Icon={FeedIcon} title={t('nav.feed')} description={t('feed.description')} />;
}
