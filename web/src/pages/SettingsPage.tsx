import { ComingSoon } from '../components/ComingSoon';
import { SettingsIcon } from '../components/icons';
import { useI18n } from '../i18n/I18nProvider';

export default function SettingsPage() {
  const { t } = useI18n();
  return (
    <ComingSoon
      Icon={SettingsIcon}
      title={t('nav.settings')}
      description={t('settings.description')}
    />
  );
}
