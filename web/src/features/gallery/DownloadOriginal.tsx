import type { MouseEvent } from 'react';

import { apiUrl, type Photo } from '../../api/client';
import { DownloadIcon } from '../../components/icons';
import { useI18n } from '../../i18n/I18nProvider';
import { downloadWithMax } from '../../lib/max';

/** A link that downloads the original file (inside MAX through the messenger's downloader). */
export function DownloadOriginal({ photo, className }: { photo: Photo; className: string }) {
  const { t } = useI18n();
  const href = apiUrl(photo.urls.original);
  const name = photo.original_filename ?? `${photo.id}`;
  function onClick(event: MouseEvent) {
    const absolute = new URL(href, window.location.href).toString();
    if (downloadWithMax(absolute, name)) event.preventDefault();
  }
  return (
    <a className={className} href={href} download={name} onClick={onClick}>
      <DownloadIcon className="mh-icon" />
      <span>{t('photo.download')}</span>
    </a>
  );
}
