import type { CSSProperties } from 'react';
import { Link } from 'react-router-dom';

import type { Photo } from '../../api/client';
import { LockIcon } from '../../components/icons';
import { useI18n } from '../../i18n/I18nProvider';
import { Thumb } from './Thumb';

/** Where a photo page was opened from: the list's ids, for the viewer's previous / next. */
export interface FromList {
  ids: string[];
}

interface Props {
  photo: Photo;
  style: CSSProperties;
  /** The ids of the whole list, handed to the photo page (link mode). */
  listIds: string[];
  /** Selection mode: the tile toggles instead of linking. */
  selected?: boolean;
  onToggle?: (photo: Photo) => void;
}

/** One photo in a justified grid: a link to its page, or a toggle in selection mode. */
export function GridTile({ photo, style, listIds, selected, onToggle }: Props) {
  const { t } = useI18n();
  const name = photo.description || photo.original_filename || photo.id;
  const badge = !photo.is_public && (
    <span className="mh-badge-private" title={t('photo.private')}>
      <LockIcon />
      <span className="visually-hidden">{t('photo.private')}</span>
    </span>
  );
  return (
    <li style={style} className="mh-cell">
      {onToggle ? (
        <button
          type="button"
          className="mh-tile"
          aria-pressed={selected}
          onClick={() => onToggle(photo)}
        >
          <Thumb photo={photo} fill />
          {badge}
          <span className="mh-check" aria-hidden="true">
            {selected ? '✓' : ''}
          </span>
          <span className="visually-hidden">{name}</span>
        </button>
      ) : (
        <Link
          to={`/photos/${photo.id}`}
          state={{ ids: listIds } satisfies FromList}
          className="mh-tile"
        >
          <Thumb photo={photo} fill />
          {badge}
        </Link>
      )}
    </li>
  );
}
