import { ComingSoon } from '../components/ComingSoon';
import { UploadIcon } from '../components/icons';
import { useI18n } from '../i18n/I18nProvider';

export default function UploadPage() {
  const { t } = useI18n();
  return (
    <ComingSoon Icon={UploadIcon} title={t('nav.upload')} description={t('upload.description')} />
  );
}
