import { useState } from 'react';

import { ConfirmDelete } from '../../components/ConfirmDelete';
import { useI18n } from '../../i18n/I18nProvider';
import { haptic } from '../../lib/max';
import type { BulkAction } from './useBulkActions';

interface Props {
  count: number;
  total: number;
  busy: boolean;
  onSelectAll(): void;
  onAction(action: BulkAction): void;
  onTrade(): void;
}

/** What can be done with the selected photos: publish, hide, trade or delete them at once. */
export function SelectionBar({ count, total, busy, onSelectAll, onAction, onTrade }: Props) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const none = count === 0 || busy;
  return (
    <div className="mh-selection-bar" role="region" aria-label={t('collection.selection')}>
      <div className="mh-selection-head">
        <span className="fw-semibold" aria-live="polite">
          {t('collection.selected', { n: count })}
        </span>
        {count < total && (
          <button type="button" className="btn btn-link btn-sm p-0" onClick={onSelectAll}>
            {t('collection.selectAll')}
          </button>
        )}
      </div>
      <div className="mh-selection-actions">
        <button
          type="button"
          className="btn btn-outline-secondary btn-sm"
          disabled={none}
          onClick={() => onAction('make_public')}
        >
          {t('collection.makePublic')}
        </button>
        <button
          type="button"
          className="btn btn-outline-secondary btn-sm"
          disabled={none}
          onClick={() => onAction('make_private')}
        >
          {t('collection.makePrivate')}
        </button>
        <button type="button" className="btn btn-primary btn-sm" disabled={none} onClick={onTrade}>
          {t('trade.create')}
        </button>
        <button
          type="button"
          className="btn btn-outline-danger btn-sm"
          disabled={none}
          onClick={() => {
            haptic('warning');
            setConfirming(true);
          }}
        >
          {t('common.delete')}
        </button>
      </div>
      {confirming && (
        <ConfirmDelete
          id="bulk-del-q"
          className="mt-2 mb-0 w-100"
          question={t('collection.deleteConfirm', { n: count })}
          busy={busy}
          onConfirm={() => {
            setConfirming(false);
            onAction('delete');
          }}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}
