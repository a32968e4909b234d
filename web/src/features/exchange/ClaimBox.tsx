import { useCallback, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';

import { api, errorMessage, unwrap } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { parseCode } from '../../lib/codes';
import { canScanWithMax, haptic, scanWithMax } from '../../lib/max';
import { Scanner } from './Scanner';

/** Claim a trade by its code (typed, scanned or from a deep link); a user code opens that profile. */
export function ClaimBox() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Prefilled from a deep link (/exchange?code=trade:…); the user still confirms the claim.
  const [code, setCode] = useState(params.get('code') ?? '');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [scanning, setScanning] = useState(false);
  const [busy, setBusy] = useState(false);

  const use = useCallback(
    async (raw: string) => {
      setScanning(false);
      const parsed = parseCode(raw);
      if (!parsed) {
        setResult({ ok: false, text: t('exchange.badCode') });
        return;
      }
      if (parsed.kind === 'user') {
        navigate(`/users/${parsed.id}`);
        return;
      }
      setBusy(true);
      try {
        const trade = unwrap(
          await api.POST('/api/trades/{token}/claim', {
            params: { path: { token: parsed.token } },
          }),
        );
        setResult({ ok: true, text: t('exchange.claimed', { n: trade.art_object_ids.length }) });
        haptic('success');
        setCode('');
      } catch (e) {
        setResult({ ok: false, text: errorMessage(e) });
        haptic('error');
      } finally {
        setBusy(false);
      }
    },
    [navigate, t],
  );

  async function scan() {
    setResult(null);
    if (canScanWithMax()) {
      try {
        const text = await scanWithMax();
        if (text) await use(text);
      } catch (e) {
        setResult({ ok: false, text: errorMessage(e) });
      }
    } else {
      setScanning(true);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void use(code);
  }

  return (
    <section className="card mb-4" aria-labelledby="claim-title">
      <div className="card-body">
        <h2 id="claim-title" className="h5">
          {t('exchange.claimTitle')}
        </h2>
        <form className="d-flex flex-wrap gap-2" onSubmit={submit}>
          <label htmlFor="claim-code" className="visually-hidden">
            {t('exchange.code')}
          </label>
          <input
            id="claim-code"
            className="form-control mh-code-input"
            placeholder={t('exchange.code')}
            autoComplete="off"
            autoCapitalize="off"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit" className="btn btn-primary" disabled={busy || !code.trim()}>
            {t('exchange.claim')}
          </button>
          <button type="button" className="btn btn-outline-secondary" onClick={() => void scan()}>
            {t('exchange.scan')}
          </button>
        </form>
        {scanning && (
          <Scanner onResult={(text) => void use(text)} onClose={() => setScanning(false)} />
        )}
        {result && (
          <div
            className={`alert mt-3 mb-0 ${result.ok ? 'alert-success' : 'alert-danger'}`}
            role="status"
          >
            {result.text} {result.ok && <Link to="/collection">{t('nav.collection')}</Link>}
          </div>
        )}
      </div>
    </section>
  );
}
