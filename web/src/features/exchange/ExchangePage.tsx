import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';

import {
  api,
  errorMessage,
  type ProfileRequest,
  type Trade,
  type Transfer,
  unwrap,
} from '../../api/client';
import { RequireAuth } from '../account';
import { PhotoPicker } from '../gallery';
import { Scanner } from './Scanner';
import { UserName } from '../../components/UserName';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { parseCode } from '../../lib/codes';
import { formatDate } from '../../lib/format';
import { canScanWithMax, haptic, scanWithMax } from '../../lib/max';
import { useSession, userChannel } from '../../lib/session';
import { useLiveEvents } from '../../lib/useLive';

interface Lists {
  transfersIn: Transfer[];
  transfersOut: Transfer[];
  requestsIn: ProfileRequest[];
  requestsOut: ProfileRequest[];
  trades: Trade[];
}

function ClaimBox() {
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

function RequestRow({
  req,
  incoming,
  onChange,
}: {
  req: ProfileRequest;
  incoming: boolean;
  onChange: () => void;
}) {
  const { t, language } = useI18n();
  const [choosing, setChoosing] = useState(false);
  const [chosen, setChosen] = useState<Set<string>>(new Set(req.photo_ids));
  const [error, setError] = useState<string | null>(null);
  const path = { params: { path: { request_id: req.id } } };

  async function run(call: () => Promise<unknown>) {
    setError(null);
    try {
      await call();
      setChoosing(false);
      onChange();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  const respond = (approved: boolean) =>
    run(async () =>
      unwrap(
        await api.POST('/api/profile-requests/{request_id}/respond', {
          ...path,
          body: { approved, photo_ids: approved ? [...chosen] : [] },
        }),
      ),
    );
  const setPhotos = () =>
    run(async () =>
      unwrap(
        await api.PUT('/api/profile-requests/{request_id}/photos', {
          ...path,
          body: { photo_ids: [...chosen] },
        }),
      ),
    );
  const revoke = () =>
    run(async () => unwrap(await api.DELETE('/api/profile-requests/{request_id}', path)));

  return (
    <li className="list-group-item">
      <div className="d-flex flex-wrap align-items-center gap-2">
        <span className="flex-grow-1">
          <UserName id={incoming ? req.requester_id : req.target_id} />{' '}
          <span className="badge text-bg-light">{t(`requests.status.${req.status}`)}</span>{' '}
          <span className="small text-body-secondary">{formatDate(req.created_at, language)}</span>
          {req.status === 'approved' && (
            <span className="small text-body-secondary">
              {' '}
              · {t('requests.granted', { n: req.photo_ids.length })}
            </span>
          )}
        </span>
        {incoming && req.status === 'pending' && (
          <>
            <button
              type="button"
              className="btn btn-sm btn-success"
              onClick={() => setChoosing(true)}
            >
              {t('requests.approve')}
            </button>
            <button
              type="button"
              className="btn btn-sm btn-outline-danger"
              onClick={() => void respond(false)}
            >
              {t('requests.reject')}
            </button>
          </>
        )}
        {incoming && req.status === 'approved' && (
          <button
            type="button"
            className="btn btn-sm btn-outline-secondary"
            onClick={() => setChoosing(true)}
          >
            {t('requests.edit')}
          </button>
        )}
        {(req.status === 'approved' || (!incoming && req.status === 'pending')) && (
          <button
            type="button"
            className="btn btn-sm btn-outline-danger"
            onClick={() => void revoke()}
          >
            {incoming ? t('requests.revoke') : t('requests.withdraw')}
          </button>
        )}
        {!incoming && req.status === 'approved' && (
          <Link className="btn btn-sm btn-outline-primary" to={`/users/${req.target_id}`}>
            {t('requests.view')}
          </Link>
        )}
      </div>
      {choosing && (
        <div className="mt-2">
          <p className="small mb-2">{t('requests.choose')}</p>
          <PhotoPicker
            selected={chosen}
            onToggle={(p) =>
              setChosen((old) => {
                const next = new Set(old);
                if (next.has(p.id)) next.delete(p.id);
                else next.add(p.id);
                return next;
              })
            }
          />
          <div className="d-flex gap-2">
            <button
              type="button"
              className="btn btn-sm btn-primary"
              disabled={chosen.size === 0}
              onClick={() => void (req.status === 'pending' ? respond(true) : setPhotos())}
            >
              {t('requests.grant', { n: chosen.size })}
            </button>
            <button
              type="button"
              className="btn btn-sm btn-secondary"
              onClick={() => setChoosing(false)}
            >
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <div className="text-danger small mt-1" role="alert">
          {error}
        </div>
      )}
    </li>
  );
}

function TransferRow({
  tr,
  incoming,
  onChange,
}: {
  tr: Transfer;
  incoming: boolean;
  onChange: () => void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const path = { params: { path: { transfer_id: tr.id } } };
  async function act(kind: 'accept' | 'decline' | 'cancel') {
    setError(null);
    try {
      if (kind === 'accept') unwrap(await api.POST('/api/transfers/{transfer_id}/accept', path));
      if (kind === 'decline') unwrap(await api.POST('/api/transfers/{transfer_id}/decline', path));
      if (kind === 'cancel') unwrap(await api.POST('/api/transfers/{transfer_id}/cancel', path));
      onChange();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <li className="list-group-item d-flex flex-wrap align-items-center gap-2">
      <span className="flex-grow-1">
        <Link to={`/photos/${tr.art_object_id}`}>{t('transfers.photo')}</Link> ·{' '}
        <UserName id={incoming ? tr.from_user_id : tr.to_user_id} />{' '}
        <span className="badge text-bg-light">{t(`transfers.status.${tr.status}`)}</span>
      </span>
      {tr.status === 'pending' && incoming && (
        <>
          <button
            type="button"
            className="btn btn-sm btn-success"
            onClick={() => void act('accept')}
          >
            {t('transfers.accept')}
          </button>
          <button
            type="button"
            className="btn btn-sm btn-outline-danger"
            onClick={() => void act('decline')}
          >
            {t('transfers.decline')}
          </button>
        </>
      )}
      {tr.status === 'pending' && !incoming && (
        <button
          type="button"
          className="btn btn-sm btn-outline-danger"
          onClick={() => void act('cancel')}
        >
          {t('common.cancel')}
        </button>
      )}
      {error && (
        <span className="text-danger small w-100" role="alert">
          {error}
        </span>
      )}
    </li>
  );
}

function Exchange() {
  const { t, language } = useI18n();
  const { user } = useSession();
  const [lists, setLists] = useState<Lists | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [ti, to, ri, ro, tr] = await Promise.all([
        api.GET('/api/transfers', { params: { query: { role: 'incoming' } } }),
        api.GET('/api/transfers', { params: { query: { role: 'outgoing' } } }),
        api.GET('/api/profile-requests', { params: { query: { role: 'incoming' } } }),
        api.GET('/api/profile-requests', { params: { query: { role: 'outgoing' } } }),
        api.GET('/api/trades'),
      ]);
      setLists({
        transfersIn: unwrap(ti).items,
        transfersOut: unwrap(to).items,
        requestsIn: unwrap(ri).items,
        requestsOut: unwrap(ro).items,
        trades: unwrap(tr).items,
      });
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useLiveEvents(userChannel(user), (event) => {
    if (typeof event.type === 'string' && /^(trade|transfer|profile_request)\./.test(event.type))
      void load();
  });

  const reload = () => void load();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="h3">
        {t('nav.exchange')}
      </h1>
      <ClaimBox />
      {error && (
        <div className="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      {lists && (
        <div className="row g-4">
          <div className="col-lg-6">
            <h2 className="h5">{t('requests.incoming')}</h2>
            <ul className="list-group mb-4">
              {lists.requestsIn.length === 0 && (
                <li className="list-group-item text-body-secondary">{t('common.none')}</li>
              )}
              {lists.requestsIn.map((r) => (
                <RequestRow key={r.id} req={r} incoming onChange={reload} />
              ))}
            </ul>
            <h2 className="h5">{t('requests.outgoing')}</h2>
            <ul className="list-group mb-4">
              {lists.requestsOut.length === 0 && (
                <li className="list-group-item text-body-secondary">{t('common.none')}</li>
              )}
              {lists.requestsOut.map((r) => (
                <RequestRow key={r.id} req={r} incoming={false} onChange={reload} />
              ))}
            </ul>
          </div>
          <div className="col-lg-6">
            <h2 className="h5">{t('transfers.incoming')}</h2>
            <ul className="list-group mb-4">
              {lists.transfersIn.length === 0 && (
                <li className="list-group-item text-body-secondary">{t('common.none')}</li>
              )}
              {lists.transfersIn.map((tr) => (
                <TransferRow key={tr.id} tr={tr} incoming onChange={reload} />
              ))}
            </ul>
            {lists.transfersOut.length > 0 && (
              <>
                <h2 className="h5">{t('transfers.outgoing')}</h2>
                <ul className="list-group mb-4">
                  {lists.transfersOut.map((tr) => (
                    <TransferRow key={tr.id} tr={tr} incoming={false} onChange={reload} />
                  ))}
                </ul>
              </>
            )}
            <h2 className="h5">{t('trade.mine')}</h2>
            <p className="small text-body-secondary">{t('trade.howTo')}</p>
            <ul className="list-group mb-4">
              {lists.trades.length === 0 && (
                <li className="list-group-item text-body-secondary">{t('common.none')}</li>
              )}
              {lists.trades.map((tr) => (
                <li key={tr.id} className="list-group-item d-flex gap-2 align-items-center">
                  <Link className="flex-grow-1" to={`/exchange/trades/${tr.id}`}>
                    {t('trade.items', { n: tr.art_object_ids.length })}
                  </Link>
                  <span className="badge text-bg-light">{t(`trade.status.${tr.status}`)}</span>
                  <span className="small text-body-secondary">
                    {formatDate(tr.created_at, language)}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}

export default function ExchangePage() {
  const { t } = useI18n();
  usePageTitle(t('nav.exchange'));
  return (
    <RequireAuth>
      <Exchange />
    </RequireAuth>
  );
}
