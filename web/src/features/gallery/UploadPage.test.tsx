import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { auth } from '../../api/client';
import { USER } from '../../test/fixtures';
import { json } from '../../test/http';
import { ManualXHR } from '../../test/manualXhr';
import { renderWithProviders } from '../../test/render';
import UploadPage from './UploadPage';

beforeEach(() => {
  ManualXHR.all = [];
  vi.stubGlobal('XMLHttpRequest', ManualXHR);
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => json(USER)),
  );
  auth.setTokens({ access_token: 'a', refresh_token: 'r', expires_in: 900 });
});

afterEach(() => auth.clear());

async function setup() {
  const live = renderWithProviders(<UploadPage />);
  await screen.findByRole('heading', { level: 1, name: 'Upload' });
  return live;
}

function pick(files: File[]) {
  fireEvent.change(screen.getByLabelText('Choose files'), { target: { files } });
}

const rows = () => within(screen.getByRole('list', { name: 'Uploads' })).getAllByRole('listitem');

describe('UploadPage', () => {
  it('shows real upload progress, then the processing state from live events', async () => {
    const { push } = await setup();
    pick([new File(['x'.repeat(100)], 'cat.jpg', { type: 'image/jpeg' })]);
    const bar = within(rows()[0]!).getByRole('progressbar', { name: 'cat.jpg' });
    expect(bar).toHaveAttribute('aria-valuenow', '0');
    ManualXHR.all[0]!.progress(40, 100);
    expect(bar).toHaveAttribute('aria-valuenow', '40');
    expect(ManualXHR.all[0]!.body!.get('file')).toBeInstanceOf(File);
    await ManualXHR.all[0]!.answer(201, { id: 'p1', status: 'processing' });
    expect(rows()[0]).toHaveAttribute('data-state', 'processing');
    push('user:u1', { type: 'photo.ready', id: 'p1' });
    expect(rows()[0]).toHaveAttribute('data-state', 'ready');
    expect(within(rows()[0]!).getByRole('link', { name: 'cat.jpg' })).toHaveAttribute(
      'href',
      '/photos/p1',
    );
  });

  it('uploads several files at once, two at a time', async () => {
    await setup();
    pick(['a', 'b', 'c'].map((n) => new File([n], `${n}.png`, { type: 'image/png' })));
    expect(rows()).toHaveLength(3);
    expect(ManualXHR.all).toHaveLength(2); // the third waits for a free slot
    await ManualXHR.all[0]!.answer(201, { id: 'pa', status: 'processing' });
    expect(ManualXHR.all).toHaveLength(3);
  });

  it('explains 413 and 415 by their codes, never the server text, and retries', async () => {
    await setup();
    pick([new File(['big'], 'huge.jpg'), new File(['txt'], 'notes.png')]);
    await ManualXHR.all[0]!.answer(413, {
      detail: 'upload is larger than the limit of 26214400 bytes',
      code: 'upload.too_large',
      params: { max_bytes: 26214400 },
    });
    await ManualXHR.all[1]!.answer(415, {
      detail: 'unsupported file type; accepted: jpg, png',
      code: 'upload.unsupported_type',
      params: { accepted: 'heic, jpg, png, webp' },
    });
    const [huge, notes] = [
      rows().find((r) => r.textContent!.includes('huge.jpg'))!,
      rows().find((r) => r.textContent!.includes('notes.png'))!,
    ];
    expect(within(huge).getByRole('alert')).toHaveTextContent(
      'The file is too large (at most 25 MB).',
    );
    expect(within(notes).getByRole('alert')).toHaveTextContent(
      'This file type is not supported. Accepted: heic, jpg, png, webp.',
    );
    fireEvent.click(within(huge).getByRole('button', { name: 'Retry' }));
    expect(ManualXHR.all).toHaveLength(3);
    expect(huge).toHaveAttribute('data-state', 'uploading');
    await ManualXHR.all[2]!.answer(201, { id: 'ph', status: 'processing' });
    expect(huge).toHaveAttribute('data-state', 'processing');
  });

  it('keeps a photo.ready that arrives before the upload answer', async () => {
    const { push } = await setup();
    pick([new File(['q'], 'quick.jpg')]);
    push('user:u1', { type: 'photo.ready', id: 'fast' });
    await ManualXHR.all[0]!.answer(201, { id: 'fast', status: 'processing' });
    expect(rows()[0]).toHaveAttribute('data-state', 'ready');
  });

  it('sends the tags, description and visibility typed before choosing files', async () => {
    await setup();
    fireEvent.change(screen.getByLabelText('Tags'), { target: { value: 'море, отпуск #sea' } });
    fireEvent.change(screen.getByLabelText('Description'), { target: { value: ' Закат ' } });
    fireEvent.click(screen.getByLabelText('Publish to the feed'));
    pick([new File(['s'], 'sea.jpg', { type: 'image/jpeg' })]);
    const body = ManualXHR.all[0]!.body!;
    expect(body.get('tags')).toBe('море, отпуск #sea');
    expect(body.get('description')).toBe('Закат');
    expect(body.get('is_public')).toBe('true');
  });
});
