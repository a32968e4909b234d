/**
 * The transcription API (issue 6) as the studio uses it.
 *
 * TEMPORARY CONTRACT: until the backend's /api/transcriptions routes are in the OpenAPI schema,
 * this file states the agreed contract in openapi-typescript's shape, so the studio already uses
 * the same typed client (`tapi.GET('/api/transcriptions/{id}', …)`) it will use afterwards.
 * Once `scripts/gen-api` picks the routes up, the types below are replaced by the generated
 * `components['schemas']` and `tapi` by `api`.
 */
import type { Client } from 'openapi-fetch';

import { api } from './client';
import type { paths } from './schema';

export type TranscriptionStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Progress {
  stage?: string | null;
  percent?: number | null;
  eta_seconds?: number | null;
}

export interface Word {
  word: string;
  start: number | null;
  end: number | null;
  score?: number | null;
  speaker?: string | null;
}

export interface Segment {
  id: string | number;
  start: number;
  end: number;
  text: string;
  speaker?: string | null;
  words?: Word[] | null;
}

export interface Speaker {
  id: string;
  name?: string | null;
  color?: string | null;
}

export interface TranscriptionSummary {
  id: string;
  filename: string;
  status: TranscriptionStatus;
  progress?: Progress | null;
  language?: string | null;
  duration?: number | null;
  model?: string | null;
  error?: string | null;
  created_at?: string;
  /** A signed URL of the original, if the server provides one (playable without a header). */
  media_url?: string | null;
  mime?: string | null;
}

export interface Transcription extends TranscriptionSummary {
  metrics?: Record<string, unknown> | null;
  segments: Segment[];
  speakers: Speaker[];
}

export interface TranscriptionPage {
  items: TranscriptionSummary[];
  next_cursor: string | null;
}

export interface SearchHit {
  transcription_id: string;
  segment_id: string | number;
  start: number;
  end: number;
  snippet: string;
}

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
interface Op<Res, Params = object> {
  parameters: Omit<NoParams, keyof Params> & Params;
  requestBody?: never;
  responses: { 200: Json<Res> };
}
type OpB<Res, Params, Body> = Omit<Op<Res, Params>, 'requestBody'> & {
  requestBody: { content: { 'application/json': Body } };
};
type Method = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
/** A path item in openapi-typescript's shape: the given methods, every other one `never`. */
type PathItem<M extends Partial<Record<Method, unknown>>> = { parameters: NoParams } & M & {
    [K in Exclude<Method, keyof M>]?: never;
  };
type IdPath = { path: { id: string } };

export interface TranscriptionPaths {
  '/api/transcriptions': PathItem<{
    get: Op<TranscriptionPage, { query?: { cursor?: string | null } }>;
  }>;
  '/api/transcriptions/search': PathItem<{
    get: Op<{ items: SearchHit[] }, { query: { q: string } }>;
  }>;
  '/api/transcriptions/{id}': PathItem<{
    get: Op<Transcription, IdPath>;
    delete: Op<unknown, IdPath>;
  }>;
  '/api/transcriptions/{id}/cancel': PathItem<{ post: Op<TranscriptionSummary, IdPath> }>;
  '/api/transcriptions/{id}/retry': PathItem<{ post: Op<TranscriptionSummary, IdPath> }>;
  '/api/transcriptions/{id}/segments/{sid}': PathItem<{
    patch: OpB<Segment, { path: { id: string; sid: string } }, { text: string }>;
  }>;
  '/api/transcriptions/{id}/speakers/{speaker_id}': PathItem<{
    patch: OpB<Speaker, { path: { id: string; speaker_id: string } }, { name: string }>;
  }>;
  '/api/transcriptions/{id}/speakers/merge': PathItem<{
    post: OpB<Transcription, IdPath, { from: string; into: string }>;
  }>;
}

/** The shared client, typed with the transcription contract as well. */
export const tapi = api as unknown as Client<paths & TranscriptionPaths>;

export const EXPORT_FORMATS = ['srt', 'vtt', 'txt', 'json', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Whether a job may still change by itself (so the page listens for progress). */
export function isActive(status: TranscriptionStatus): boolean {
  return status === 'queued' || status === 'running';
}
