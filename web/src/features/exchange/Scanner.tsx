import { useEffect, useId, useRef, useState } from 'react';

import { useI18n } from '../../i18n/I18nProvider';

/**
 * Camera QR scanner for plain browsers. html5-qrcode is large, so it is imported only when the
 * user opens the scanner (its own chunk).
 */
export function Scanner({
  onResult,
  onClose,
}: {
  onResult: (text: string) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const id = useId().replace(/:/g, '');
  // The browser's reason (NotAllowedError, …) is English and technical: say what to do instead.
  const [failed, setFailed] = useState(false);
  const done = useRef(false);

  useEffect(() => {
    let scanner: { stop(): Promise<void>; isScanning?: boolean } | null = null;
    let cancelled = false;
    void import('html5-qrcode')
      .then(async ({ Html5Qrcode }) => {
        if (cancelled) return;
        const instance = new Html5Qrcode(`scan-${id}`);
        scanner = instance;
        await instance.start(
          { facingMode: 'environment' },
          { fps: 10, qrbox: 220 },
          (text) => {
            if (done.current) return;
            done.current = true;
            onResult(text);
          },
          () => {},
        );
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
      if (scanner?.isScanning !== false) void scanner?.stop().catch(() => {});
    };
  }, [id, onResult]);

  return (
    <div className="mh-scanner card">
      <div className="card-body">
        <div id={`scan-${id}`} className="mh-scanner-view" aria-label={t('exchange.camera')} />
        {failed && (
          <p className="text-danger small mt-2" role="alert">
            {t('exchange.cameraError')}
          </p>
        )}
        <button type="button" className="btn btn-secondary btn-sm mt-2" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </div>
  );
}
