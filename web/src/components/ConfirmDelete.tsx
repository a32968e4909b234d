import { useI18n } from '../i18n/I18nProvider';

/** An inline "really delete?" question with Delete and Cancel (Cancel has the focus). */
export function ConfirmDelete({
  id,
  question,
  busy = false,
  className = '',
  onConfirm,
  onCancel,
}: {
  id: string;
  question: string;
  busy?: boolean;
  className?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className={`alert alert-danger ${className}`} role="alertdialog" aria-labelledby={id}>
      <p id={id} className="mb-2">
        {question}
      </p>
      <div className="d-flex gap-2">
        <button type="button" className="btn btn-danger btn-sm" disabled={busy} onClick={onConfirm}>
          {t('common.delete')}
        </button>
        <button type="button" className="btn btn-secondary btn-sm" autoFocus onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
