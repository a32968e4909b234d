import { useEffect, useState } from 'react';

import { api, unwrap } from '../../api/client';
import type { TranscriptionModel } from './models';

/** The models the workers have installed (empty until loaded, or if the list fails: the
 * server then picks the default for the language by itself). */
export function useModels(): TranscriptionModel[] {
  const [models, setModels] = useState<TranscriptionModel[]>([]);
  useEffect(() => {
    let alive = true;
    api
      .GET('/api/transcription-models')
      .then((result) => {
        if (alive) setModels(unwrap(result).items);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return models;
}
