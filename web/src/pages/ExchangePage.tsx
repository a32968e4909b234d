import { ComingSoon } from '../components/ComingSoon';
import { ExchangeIcon } from '../components/icons';
import { useI18n } from '../i18n/I18nProvider';

export default function ExchangePage() {
  const { t } = useI18n();
  return (
    <ComingSoon
      Icon={ExchangeIcon}
      title={t('nav.exchange')}
      description={t('exchange.description')}
    />
  );
}
