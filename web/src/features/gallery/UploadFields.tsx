import { useI18n } from '../../i18n/I18nProvider';

export interface UploadFieldValues {
  description: string;
  tags: string;
  isPublic: boolean;
}

/** What goes with every file of the next upload: description, tags, publish to the feed. */
export function UploadFields({
  value,
  onChange,
}: {
  value: UploadFieldValues;
  onChange(value: UploadFieldValues): void;
}) {
  const { t } = useI18n();
  const set = (change: Partial<UploadFieldValues>) => onChange({ ...value, ...change });
  return (
    <div className="row g-3 mb-3">
      <div className="col-md-6">
        <label htmlFor="up-desc" className="form-label">
          {t('photo.description')}
        </label>
        <input
          id="up-desc"
          className="form-control"
          value={value.description}
          maxLength={2000}
          onChange={(e) => set({ description: e.target.value })}
        />
      </div>
      <div className="col-md-6">
        <label htmlFor="up-tags" className="form-label">
          {t('photo.tags')}
        </label>
        <input
          id="up-tags"
          className="form-control"
          value={value.tags}
          maxLength={900}
          aria-describedby="up-tags-hint"
          autoCapitalize="none"
          onChange={(e) => set({ tags: e.target.value })}
        />
        <div id="up-tags-hint" className="form-text">
          {t('photo.tagsHint')}
        </div>
      </div>
      <div className="col-12">
        <div className="form-check form-switch">
          <input
            id="up-public"
            className="form-check-input"
            type="checkbox"
            role="switch"
            checked={value.isPublic}
            onChange={(e) => set({ isPublic: e.target.checked })}
          />
          <label className="form-check-label" htmlFor="up-public">
            {t('upload.public')}
          </label>
        </div>
      </div>
    </div>
  );
}
