import { Link } from 'react-router-dom';

import { apiUrl, type ExchangePhoto } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';

/** A photo's name on screen: its title, or a plain word for a deleted or untitled one. */
export function usePhotoName() {
  const { t } = useI18n();
  return (photo: ExchangePhoto) =>
    photo.title ?? (photo.thumb ? t('transfers.photo') : t('exchange.photoGone'));
}

/** A small square thumbnail of a photo in an exchange (a grey box until it has one). */
export function ExchangeThumb({ photo, size = 48 }: { photo: ExchangePhoto; size?: number }) {
  const name = usePhotoName();
  return (
    <span className="mh-xthumb" style={{ width: size, height: size }}>
      {photo.thumb && <img src={apiUrl(photo.thumb)} alt={name(photo)} loading="lazy" />}
    </span>
  );
}

/** The photos of a trade as tiles with their titles; `linked` when the viewer owns them now. */
export function ExchangePhotos({
  photos,
  label,
  linked,
}: {
  photos: ExchangePhoto[];
  label: string;
  linked: boolean;
}) {
  const name = usePhotoName();
  return (
    <ul className="mh-xphotos list-unstyled" aria-label={label}>
      {photos.map((photo) => {
        const tile = (
          <>
            <ExchangeThumb photo={photo} size={96} />
            <span className="mh-xphoto-title small" title={name(photo)}>
              {name(photo)}
            </span>
          </>
        );
        return (
          <li key={photo.id}>
            {linked && photo.thumb ? (
              <Link to={`/photos/${photo.id}`} className="mh-xphoto">
                {tile}
              </Link>
            ) : (
              <span className="mh-xphoto">{tile}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
