/** Shared test data. */
import type { ExchangePhoto, Photo, Trade, Transfer, User } from '../api/client';
import type { Segment, Transcription, TranscriptionSummary } from '../api/transcriptions';

/** The signed-in user of the page tests (`/api/auth/me`). */
export const USER: User = {
  id: 'u1',
  max_user_id: null,
  username: 'alice',
  first_name: null,
  last_name: null,
  language_code: null,
  photo_url: null,
  is_public: false,
  contact_link: null,
  has_password: true,
  created_at: '2026-11-22T06:00:00Z',
};

/** A ready 10×10 JPEG owned by `USER`; `overrides` set what a test cares about. */
export function photo(id: string, overrides: Partial<Photo> = {}): Photo {
  return {
    id,
    owner_id: 'u1',
    creator_id: 'u1',
    camera: null,
    created_at: '2026-01-01T00:00:00Z',
    description: `photo ${id}`,
    height: 10,
    width: 10,
    is_favorite: false,
    is_public: false,
    mime: 'image/jpeg',
    original_filename: `${id}.jpg`,
    placeholder: null,
    size: 100,
    status: 'ready',
    tags: [],
    taken_at: null,
    urls: { original: `/api/files/${id}`, preview: null, thumb: null },
    ...overrides,
  };
}

export const SEGMENTS: Segment[] = [
  {
    id: 1,
    start: 0.5,
    end: 2.0,
    text: 'Hello there world',
    speaker: 0,
    edited: false,
    words: [
      { word: 'Hello', start: 0.5, end: 0.9 },
      { word: 'there', start: 1.0, end: 1.3 },
      { word: 'world', start: 1.5, end: 2.0 },
    ],
  },
  {
    id: 2,
    start: 3.0,
    end: 4.0,
    text: 'Second line 42',
    speaker: 1,
    edited: false,
    words: [
      { word: 'Second', start: 3.0, end: 3.4 },
      { word: 'line', start: 3.5, end: 3.7 },
      { word: '42', start: null, end: null },
    ],
  },
];

/** A transcription job as the studio lists it. */
export function job(
  id: string,
  status: TranscriptionSummary['status'],
  extra: Partial<TranscriptionSummary> = {},
): TranscriptionSummary {
  return {
    id,
    filename: `${id}.wav`,
    title: null,
    status,
    progress: { stage: null, percent: 0 },
    language: null,
    duration: null,
    media_duration: 60,
    model: 'tiny.en',
    error: null,
    options: {},
    created_at: '2026-11-22T06:00:00Z',
    completed_at: null,
    ...extra,
  };
}

/** A photo as a trade or transfer shows it. */
export function exchangePhoto(id: string, title: string | null = `photo ${id}`): ExchangePhoto {
  return { id, title, thumb: `/api/files/${id}-thumb`, placeholder: null };
}

/** A pending transfer of one photo from bob (u2) to `USER`. */
export function transfer(id: string, overrides: Partial<Transfer> = {}): Transfer {
  return {
    id,
    art_object_id: `p-${id}`,
    photo: exchangePhoto(`p-${id}`),
    from_user_id: 'u2',
    from_name: 'Bob',
    to_user_id: 'u1',
    to_name: 'alice',
    status: 'pending',
    created_at: '2026-12-05T10:00:00Z',
    expires_at: '2026-12-06T10:00:00Z',
    finished_at: null,
    ...overrides,
  };
}

/** An open trade of `USER`'s photos. */
export function trade(id: string, photos: ExchangePhoto[], overrides: Partial<Trade> = {}): Trade {
  return {
    id,
    token: 'ABCDE12345',
    qr_payload: 'trade:ABCDE12345',
    status: 'open',
    owner_id: 'u1',
    owner_name: 'alice',
    claimed_by: null,
    claimed_by_name: null,
    art_object_ids: photos.map((p) => p.id),
    photos,
    created_at: '2026-12-05T10:00:00Z',
    expires_at: '2099-12-05T10:00:00Z',
    ...overrides,
  };
}

/** A finished transcription of SEGMENTS (two speakers: Anna and an unnamed one). */
export function transcription(overrides: Partial<Transcription> = {}): Transcription {
  return {
    id: 't1',
    filename: 'interview.wav',
    title: null,
    status: 'done',
    progress: { stage: 'done', percent: 100 },
    language: 'en',
    duration: 4,
    media_duration: 4,
    model: 'tiny.en',
    error: null,
    options: {},
    created_at: '2026-11-22T06:00:00Z',
    completed_at: '2026-11-22T06:01:00Z',
    mime: 'audio/wav',
    size: 128000,
    has_video: false,
    media_url: '/api/files/signed',
    metrics: {},
    segments: SEGMENTS,
    speakers: [
      { id: 0, label: 'SPEAKER_00', name: 'Anna', color: 0 },
      { id: 1, label: 'SPEAKER_01', name: '', color: 1 },
    ],
    ...overrides,
  };
}
