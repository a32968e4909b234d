/** Types and constants of the transcription API (issue 6), from the generated schema. */
import type { Schemas } from './client';

export type TranscriptionSummary = Schemas['TranscriptionSummary'];
export type Transcription = Schemas['TranscriptionOut'];
export type Segment = Schemas['SegmentOut'];
export type Speaker = Schemas['SpeakerOut'];
export type Word = Schemas['WordOut'];
export type SearchHit = Schemas['SearchHit'];
export type Progress = Schemas['Progress'];
export type TranscriptionStatus = TranscriptionSummary['status'];

export const EXPORT_FORMATS = ['srt', 'vtt', 'txt', 'json', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Whether a job may still change by itself (so the page listens for progress). */
export function isActive(status: TranscriptionStatus): boolean {
  return status === 'queued' || status === 'running';
}

const STATUSES = new Set<string>(['queued', 'running', 'done', 'failed', 'cancelled']);

/**
 * A `transcription.updated` live event applied to the job list: progress and status in place,
 * `deleted` removes the row. `reload` says the list must be fetched again (a job this tab has
 * not seen yet, or one that just finished and now has duration, language or error).
 */
export function applyLiveUpdate(
  items: TranscriptionSummary[],
  event: Record<string, unknown>,
): { items: TranscriptionSummary[]; reload: boolean } {
  const { id, status } = event;
  if (typeof id !== 'string') return { items, reload: false };
  if (status === 'deleted') return { items: items.filter((j) => j.id !== id), reload: false };
  if (!items.some((j) => j.id === id)) return { items, reload: true };
  const next = items.map((job) => {
    if (job.id !== id) return job;
    const progress = event.progress as Progress | undefined;
    return {
      ...job,
      status:
        typeof status === 'string' && STATUSES.has(status)
          ? (status as TranscriptionStatus)
          : job.status,
      progress:
        progress && typeof progress === 'object' ? { ...job.progress, ...progress } : job.progress,
      error: typeof event.error === 'string' ? event.error : job.error,
    };
  });
  return { items: next, reload: status === 'done' || status === 'failed' };
}
