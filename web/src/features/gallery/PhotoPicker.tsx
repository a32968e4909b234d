import { useCallback } from 'react';

import { api, unwrap, type Photo } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { usePaged } from '../../lib/usePaged';
import { PhotoGrid } from './PhotoGrid';

/** Pick some of your own photos (for approving a profile request). */
export function PhotoPicker({
  selected,
  onToggle,
}: {
  selected: Set<string>;
  onToggle: (photo: Photo) => void;
}) {
  const { t } = useI18n();
  const fetchPage = useCallback(
    async (cursor: string | null) =>
      unwrap(await api.GET('/api/photos/mine', { params: { query: { cursor, limit: 60 } } })),
    [],
  );
  const list = usePaged<Photo>(fetchPage, 'picker');
  return (
    <PhotoGrid
      list={list}
      selected={selected}
      onToggle={onToggle}
      empty={t('collection.empty')}
      label={t('requests.choose')}
    />
  );
}
