import { useI18n } from '../i18n/I18nProvider';
import type { LiveStatus } from '../lib/live';
import { useLiveStatus } from '../lib/useLive';
import { Indicator, type Tone } from './Indicator';

const TONE: Record<LiveStatus, Tone> = {
  open: 'success',
  connecting: 'secondary',
  closed: 'danger',
  idle: 'secondary',
};

/** Shows whether the live-events WebSocket is connected. */
export function LiveIndicator() {
  const { t } = useI18n();
  const status = useLiveStatus();
  return <Indicator tone={TONE[status]} label={t('live.label')} text={t(`live.${status}`)} />;
}
