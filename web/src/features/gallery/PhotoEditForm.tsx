import { useState, type FormEvent } from 'react';

import type { Photo } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';

/** The owner's form for a photo's description and tags, starting from the current values. */
export function PhotoEditForm({
  photo,
  busy,
  onSave,
  onCancel,
}: {
  photo: Photo;
  busy: boolean;
  onSave(body: { description: string; tags: string[] }): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const [description, setDescription] = useState(photo.description);
  const [tags, setTags] = useState(photo.tags.join(' '));
  function save(event: FormEvent) {
    event.preventDefault();
    onSave({ description, tags: tags.split(/[\s,]+/).filter(Boolean) });
  }
  return (
    <form className="mb-3" onSubmit={save}>
      <label htmlFor="photo-desc" className="form-label">
        {t('photo.description')}
      </label>
      <textarea
        id="photo-desc"
        className="form-control mb-2"
        rows={3}
        maxLength={2000}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <label htmlFor="photo-tags" className="form-label">
        {t('photo.tags')}
      </label>
      <input
        id="photo-tags"
        className="form-control mb-2"
        value={tags}
        onChange={(e) => setTags(e.target.value)}
      />
      <div className="d-flex gap-2">
        <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>
          {t('common.save')}
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
