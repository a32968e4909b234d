import { useCallback, useRef, useState } from 'react';

import { API_BASE, auth, errorMessage } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { uploadErrorMessage, uploadWithProgress } from '../../lib/upload';

export type UploadState = 'waiting' | 'uploading' | 'done' | 'failed';

/** One file of a batch: its own progress (0..1) and, if it was refused, why. */
export interface UploadItem {
  key: number;
  name: string;
  state: UploadState;
  progress: number;
  error: string | null;
}

/**
 * Uploads files one after another, each as its own transcription with the same options: each
 * file has its own progress and error, and a refused file does not stop the others.
 * `onCreated` runs after every accepted file, so its job shows up at once.
 */
export function useUploadQueue(onCreated: () => void) {
  const { t } = useI18n();
  const [items, setItems] = useState<UploadItem[]>([]);
  const [busy, setBusy] = useState(false);
  const nextKey = useRef(0);

  const update = (key: number, change: Partial<UploadItem>) =>
    setItems((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const upload = useCallback(
    async (files: File[], fields: (form: FormData) => void) => {
      const batch = files.map((file) => ({ file, key: nextKey.current++ }));
      // Finished files of an earlier batch are in the job list by now; its failures stay.
      setItems((all) => [
        ...all.filter((item) => item.state === 'failed'),
        ...batch.map(({ file, key }) => ({
          key,
          name: file.name,
          state: 'waiting' as const,
          progress: 0,
          error: null,
        })),
      ]);
      setBusy(true);
      for (const { file, key } of batch) {
        update(key, { state: 'uploading' });
        const form = new FormData();
        form.append('file', file);
        fields(form);
        try {
          const result = await uploadWithProgress(`${API_BASE}/api/transcriptions`, form, {
            auth,
            onProgress: (progress) => update(key, { progress }),
          });
          if (result.status >= 200 && result.status < 300) {
            update(key, { state: 'done', progress: 1 });
            onCreated();
          } else {
            const error = uploadErrorMessage(result, {
              tooLarge: t('upload.tooLarge'),
              wrongType: t('studio.wrongType'),
              generic: t('upload.error'),
            });
            update(key, { state: 'failed', error });
          }
        } catch (e) {
          update(key, { state: 'failed', error: errorMessage(e) });
        }
      }
      setBusy(false);
    },
    [onCreated, t],
  );

  return {
    items,
    busy,
    upload,
    dismiss: (key: number) => setItems((all) => all.filter((item) => item.key !== key)),
  };
}
