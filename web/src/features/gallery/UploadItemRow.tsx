import { Link } from 'react-router-dom';

import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes } from '../../lib/format';

export type ItemState = 'uploading' | 'processing' | 'ready' | 'failed' | 'error' | 'duplicate';

export interface Item {
  key: number;
  file: File;
  state: ItemState;
  progress: number;
  photoId?: string;
  error?: string;
}

/** One file in the upload queue: name (a link once uploaded), size, state, progress, retry. */
export function UploadItemRow({ item, onRetry }: { item: Item; onRetry(): void }) {
  const { t, language } = useI18n();
  const label: Record<ItemState, string> = {
    uploading: t('upload.uploading'),
    processing: t('upload.processing'),
    ready: t('upload.ready'),
    failed: t('upload.failed'),
    error: t('upload.error'),
    duplicate: t('upload.duplicate'),
  };

  return (
    <li className="mh-upload-item" data-state={item.state}>
      <div className="d-flex justify-content-between gap-2">
        <span className="text-truncate">
          {item.photoId && item.state !== 'error' ? (
            <Link to={`/photos/${item.photoId}`}>{item.file.name}</Link>
          ) : (
            item.file.name
          )}{' '}
          <span className="text-body-secondary small">{formatBytes(item.file.size, language)}</span>
        </span>
        <span className="small mh-upload-state">{label[item.state]}</span>
      </div>
      <div
        className="progress mt-1"
        role="progressbar"
        aria-label={item.file.name}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(item.progress * 100)}
      >
        <div
          className={`progress-bar ${item.state === 'processing' ? 'progress-bar-striped progress-bar-animated' : ''} ${item.state === 'error' || item.state === 'failed' ? 'bg-danger' : item.state === 'ready' ? 'bg-success' : ''}`}
          style={{ width: `${Math.round(item.progress * 100)}%` }}
        />
      </div>
      {item.error && (
        <div className="d-flex align-items-center gap-2 mt-1">
          <span className="text-danger small flex-grow-1" role="alert">
            {item.error}
          </span>
          <button type="button" className="btn btn-sm btn-outline-secondary" onClick={onRetry}>
            {t('common.retry')}
          </button>
        </div>
      )}
    </li>
  );
}
