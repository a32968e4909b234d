import { useI18n } from '../../i18n/I18nProvider';
import type { UploadItem } from './useUploadQueue';

/** The files of the current batch: a progress bar each, and each refusal with its reason. */
export function UploadQueue({
  items,
  onDismiss,
}: {
  items: UploadItem[];
  onDismiss(key: number): void;
}) {
  const { t } = useI18n();
  if (items.length === 0) return null;
  return (
    <ul className="list-unstyled my-2 mh-uploads" aria-label={t('studio.uploads')}>
      {items.map((item) => (
        <li key={item.key} className="mb-2" data-state={item.state}>
          <div className="d-flex gap-2 align-items-baseline small">
            <span className="text-break flex-grow-1">{item.name}</span>
            {item.state === 'waiting' && (
              <span className="text-body-secondary">{t('studio.uploadWaiting')}</span>
            )}
            {item.state === 'done' && (
              <span className="text-success">{t('studio.uploadDone')}</span>
            )}
            {item.state === 'failed' && (
              <button
                type="button"
                className="btn-close btn-close-sm"
                aria-label={`${t('common.close')} ${item.name}`}
                onClick={() => onDismiss(item.key)}
              />
            )}
          </div>
          {item.state === 'uploading' && (
            <div
              className="progress"
              role="progressbar"
              aria-label={`${t('upload.uploading')} ${item.name}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(item.progress * 100)}
            >
              <div
                className="progress-bar"
                style={{ width: `${Math.round(item.progress * 100)}%` }}
              />
            </div>
          )}
          {item.state === 'failed' && (
            <div className="small text-danger" role="alert">
              {item.error}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
