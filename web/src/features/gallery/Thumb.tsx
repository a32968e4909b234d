import { useMemo, useState } from 'react';
import { thumbHashToDataURL } from 'thumbhash';

import { apiUrl, type Photo } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';

/** Decodes a standard-base64 ThumbHash into a tiny PNG data URL (null if absent or broken). */
export function placeholderUrl(hash: string | null | undefined): string | null {
  if (!hash) return null;
  try {
    const bytes = Uint8Array.from(atob(hash), (c) => c.charCodeAt(0));
    return thumbHashToDataURL(bytes);
  } catch {
    return null;
  }
}

interface Props {
  photo: Photo;
  size?: 'thumb' | 'preview';
  className?: string;
  /** Fill the parent box (a justified grid cell already has the photo's aspect ratio). */
  fill?: boolean;
}

/**
 * A photo rendition over its ThumbHash placeholder: the blurred colours show at once, the image
 * fades in when loaded. The box keeps the photo's aspect ratio so nothing jumps.
 */
export function Thumb({ photo, size = 'thumb', className = '', fill = false }: Props) {
  const { t } = useI18n();
  const [loaded, setLoaded] = useState(false);
  const placeholder = useMemo(() => placeholderUrl(photo.placeholder), [photo.placeholder]);
  const src = size === 'preview' ? (photo.urls.preview ?? photo.urls.thumb) : photo.urls.thumb;
  const ratio = photo.width && photo.height ? `${photo.width} / ${photo.height}` : '1 / 1';
  const alt = photo.description || photo.tags.join(', ') || photo.original_filename || '';
  return (
    <span
      className={`mh-thumb ${fill ? 'mh-thumb-fill' : size === 'thumb' ? 'mh-thumb-square' : ''} ${className}`}
      style={{
        aspectRatio: size === 'thumb' || fill ? undefined : ratio,
        backgroundImage: placeholder ? `url(${placeholder})` : undefined,
      }}
      data-status={photo.status}
    >
      {src ? (
        <img
          src={apiUrl(src)}
          alt={alt}
          loading="lazy"
          decoding="async"
          className={loaded ? 'mh-loaded' : ''}
          onLoad={() => setLoaded(true)}
        />
      ) : (
        <span className="mh-thumb-status">
          {photo.status === 'failed' ? t('upload.failed') : t('photo.processing')}
        </span>
      )}
    </span>
  );
}
