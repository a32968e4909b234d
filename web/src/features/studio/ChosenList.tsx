import { useI18n } from '../../i18n/I18nProvider';
import type { ChosenFiles } from './useChosenFiles';

/** The files waiting to be sent, each removable. */
export function ChosenList({ chosen }: { chosen: ChosenFiles }) {
  const { t } = useI18n();
  if (chosen.files.length === 0) return null;
  return (
    <div className="mt-2">
      <div className="small text-body-secondary">
        {t('studio.filesChosen', { count: chosen.files.length })}
      </div>
      <ul className="list-unstyled d-flex flex-wrap gap-1 mb-0" aria-label={t('studio.file')}>
        {chosen.files.map((file, i) => (
          <li
            key={`${i}:${file.name}`}
            className="badge text-bg-light border d-inline-flex gap-1 align-items-center"
          >
            <span className="text-truncate mh-chosen-name">{file.name}</span>
            <button
              type="button"
              className="btn-close mh-chosen-remove"
              aria-label={t('studio.removeFile', { name: file.name })}
              onClick={() => chosen.remove(i)}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
