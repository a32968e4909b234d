import { useEffect, useRef, useState, type DragEvent } from 'react';

import { api, API_BASE, auth, errorMessage } from '../../api/client';
import { RequireAuth } from '../account';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { useSession, userChannel } from '../../lib/session';
import { uploadErrorMessage, uploadWithProgress } from '../../lib/upload';
import { useLiveEvents, useLiveStatus } from '../../lib/useLive';
import { type UploadFieldValues, UploadFields } from './UploadFields';
import { type Item, UploadItemRow } from './UploadItemRow';
import { useUploadHaptic } from './useUploadHaptic';

let nextKey = 1;

function Uploader() {
  const { t } = useI18n();
  const { user } = useSession();
  const [items, setItems] = useState<Item[]>([]);
  useUploadHaptic(items);
  const [fields, setFields] = useState<UploadFieldValues>({
    description: '',
    tags: '',
    isPublic: false,
  });
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  // Events that arrive before the upload's own answer (the worker can be that fast).
  const early = useRef(new Map<string, 'ready' | 'failed'>());

  const patch = (key: number, change: Partial<Item>) =>
    setItems((all) => all.map((i) => (i.key === key ? { ...i, ...change } : i)));

  // Without a live connection nobody tells us when processing ends: ask now and then.
  const live = useLiveStatus();
  const waiting = items.filter((i) => i.state === 'processing' && i.photoId).map((i) => i.photoId!);
  const waitingKey = waiting.join(',');
  useEffect(() => {
    if (live === 'open' || waitingKey === '') return;
    const timer = setInterval(() => {
      for (const id of waitingKey.split(',')) {
        void api.GET('/api/photos/{photo_id}', { params: { path: { photo_id: id } } }).then((r) => {
          const status = r.data?.status;
          if (status === 'ready' || status === 'failed') {
            setItems((all) =>
              all.map((i) =>
                i.photoId === id && i.state === 'processing'
                  ? {
                      ...i,
                      state: status,
                      error:
                        status === 'failed' ? (r.data?.error ?? t('upload.failed')) : undefined,
                    }
                  : i,
              ),
            );
          }
        });
      }
    }, 4000);
    return () => clearInterval(timer);
  }, [live, waitingKey, t]);

  useLiveEvents(userChannel(user), (event) => {
    if (typeof event.id !== 'string') return;
    const state =
      event.type === 'photo.ready' ? 'ready' : event.type === 'photo.failed' ? 'failed' : null;
    if (!state) return;
    const id = event.id;
    early.current.set(id, state);
    setItems((all) =>
      all.map((i) =>
        i.photoId === id
          ? {
              ...i,
              state,
              error: state === 'failed' ? String(event.error ?? t('upload.failed')) : undefined,
            }
          : i,
      ),
    );
  });

  async function send(item: Item) {
    patch(item.key, { state: 'uploading', progress: 0, error: undefined });
    const form = new FormData();
    form.append('file', item.file);
    if (fields.description.trim()) form.append('description', fields.description.trim());
    if (fields.tags.trim()) form.append('tags', fields.tags.trim());
    form.append('is_public', String(fields.isPublic));
    try {
      const result = await uploadWithProgress(`${API_BASE}/api/photos`, form, {
        auth,
        onProgress: (p) => patch(item.key, { progress: p }),
      });
      const body = (result.body ?? {}) as { id?: string; status?: string };
      if (result.status === 201 && body.id) {
        const seen = early.current.get(body.id);
        patch(item.key, {
          state: seen ?? (body.status === 'ready' ? 'ready' : 'processing'),
          progress: 1,
          photoId: body.id,
        });
      } else if (result.status === 409 && body.id) {
        patch(item.key, { state: 'duplicate', photoId: body.id, progress: 1 });
      } else {
        patch(item.key, {
          state: 'error',
          error: uploadErrorMessage(result, {
            tooLarge: t('upload.tooLarge'),
            wrongType: t('upload.wrongType'),
            generic: t('upload.error'),
          }),
        });
      }
    } catch (e) {
      patch(item.key, { state: 'error', error: errorMessage(e) });
    }
  }

  function add(files: FileList | File[]) {
    const added = [...files].map<Item>((file) => ({
      key: nextKey++,
      file,
      state: 'uploading',
      progress: 0,
    }));
    setItems((all) => [...added, ...all]);
    // Two at a time: the link stays busy without starving the progress events.
    let index = 0;
    const worker = async () => {
      while (index < added.length) await send(added[index++]!);
    };
    void Promise.all([worker(), worker()]);
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer.files.length) add(event.dataTransfer.files);
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="h3">
        {t('nav.upload')}
      </h1>
      <UploadFields value={fields} onChange={setFields} />
      <div
        className={`mh-drop ${dragging ? 'mh-drop-active' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="mb-2">{t('upload.drop')}</p>
        <div className="d-flex flex-wrap justify-content-center gap-2">
          <label className="btn btn-primary" htmlFor="up-files">
            {t('upload.choose')}
          </label>
          <input
            ref={inputRef}
            id="up-files"
            className="visually-hidden mh-file-input"
            type="file"
            accept="image/*"
            multiple
            onChange={(e) => {
              if (e.target.files?.length) add(e.target.files);
              e.target.value = '';
            }}
          />
          <label className="btn btn-outline-secondary d-md-none" htmlFor="up-camera">
            {t('upload.camera')}
          </label>
          <input
            id="up-camera"
            aria-label={t('upload.camera')}
            className="visually-hidden mh-file-input"
            type="file"
            accept="image/*"
            capture="environment"
            onChange={(e) => {
              if (e.target.files?.length) add(e.target.files);
              e.target.value = '';
            }}
          />
        </div>
      </div>
      <ul
        className="list-unstyled mt-3 mh-uploads"
        aria-label={t('upload.queue')}
        aria-live="polite"
      >
        {items.map((item) => (
          <UploadItemRow key={item.key} item={item} onRetry={() => void send(item)} />
        ))}
      </ul>
    </section>
  );
}

export default function UploadPage() {
  const { t } = useI18n();
  usePageTitle(t('nav.upload'));
  return (
    <RequireAuth>
      <Uploader />
    </RequireAuth>
  );
}
