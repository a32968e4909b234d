import { ComingSoon } from '../components/ComingSoon';
import { StudioIcon } from '../components/icons';
import { useI18n } from '../i18n/I18nProvider';

export default function StudioPage() {
  const { t } = useI18n();
  return (
    <ComingSoon Icon={StudioIcon} title={t('studio.title')} description={t('studio.description')} />
  );
}
