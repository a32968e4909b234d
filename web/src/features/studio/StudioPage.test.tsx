import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { auth } from '../../api/client';
import { job, USER } from '../../test/fixtures';
import { json } from '../../test/http';
import { ManualXHR } from '../../test/manualXhr';
import { renderWithProviders } from '../../test/render';
import StudioPage from './StudioPage';

/** A tiny in-memory stand-in for the API routes the studio calls, recording requests. */
function server() {
  const jobs = [
    job('talk', 'running'),
    job('old', 'failed', {
      error: 'the recording cannot be decoded: no audio stream',
      error_code: 'transcription.undecodable',
    }),
  ];
  const calls: string[] = [];
  const fetchImpl = vi.fn(async (input: Request) => {
    const url = new URL(input.url);
    calls.push(`${input.method} ${url.pathname}${url.search}`);
    if (url.pathname === '/api/auth/me') return json(USER);
    if (url.pathname === '/api/transcriptions') return json({ items: jobs, next_cursor: null });
    if (url.pathname === '/api/transcriptions/search') {
      return json({
        items: [
          {
            transcription_id: 'talk',
            filename: 'talk.wav',
            title: 'Утренняя планёрка',
            segment_id: 3,
            start: 62.5,
            end: 65,
            speaker: null,
            snippet: 'the &lt;b&gt; <mark>weather</mark> today',
          },
        ],
      });
    }
    const cancel = /^\/api\/transcriptions\/(\w+)\/cancel$/.exec(url.pathname);
    if (cancel) {
      jobs[0] = { ...jobs[0]!, status: 'cancelled' };
      return json({ id: cancel[1], status: 'cancelled' });
    }
    const one = /^\/api\/transcriptions\/(\w+)$/.exec(url.pathname);
    if (one && input.method === 'PATCH') {
      const { title } = (await input.json()) as { title: string };
      if (title.length > 200)
        return json(
          { detail: 'title: too long', code: 'title.too_long', params: { max: 200 } },
          422,
        );
      const at = jobs.findIndex((j) => j.id === one[1]);
      jobs[at] = { ...jobs[at]!, title };
      return json(jobs[at]);
    }
    if (one && input.method === 'DELETE') {
      jobs.splice(
        jobs.findIndex((j) => j.id === one[1]),
        1,
      );
      return new Response(null, { status: 204 });
    }
    const retry = /^\/api\/transcriptions\/(\w+)\/retry$/.exec(url.pathname);
    if (retry) {
      jobs[1] = { ...jobs[1]!, status: 'queued', error: null };
      return json({ id: retry[1], status: 'queued' }, 202);
    }
    return json({ detail: 'not found', code: 'not_found' }, 404);
  });
  return { fetchImpl, calls };
}

let api: ReturnType<typeof server>;
beforeEach(() => {
  api = server();
  vi.stubGlobal('fetch', api.fetchImpl);
  ManualXHR.all = [];
  vi.stubGlobal('XMLHttpRequest', ManualXHR);
  auth.setTokens({ access_token: 'a', refresh_token: 'r', expires_in: 900 });
});
afterEach(() => auth.clear());

async function setup() {
  const live = renderWithProviders(<StudioPage />);
  await screen.findByText('talk.wav');
  // Studio events arrive on the signed-in user's channel.
  return { push: (event: Record<string, unknown>) => live.push('user:u1', event) };
}

const row = (name: string) =>
  within(screen.getByRole('list', { name: 'Transcriptions' }))
    .getAllByRole('listitem')
    .find((li) => li.textContent!.includes(name))!;

describe('StudioPage', () => {
  it('moves a running job’s progress bar from live events, with stage and time left', async () => {
    const { push } = await setup();
    push({
      type: 'transcription.updated',
      id: 'talk',
      status: 'running',
      progress: { stage: 'transcribing', percent: 62.4, eta_seconds: 75 },
    });
    const bar = within(row('talk.wav')).getByRole('progressbar');
    expect(bar).toHaveAttribute('aria-valuenow', '62');
    expect(row('talk.wav')).toHaveTextContent('Stage: transcribing');
    expect(row('talk.wav')).toHaveTextContent('62% · 1:15 left');
  });

  it('cancels a running job and retries a failed one', async () => {
    await setup();
    expect(row('old.wav')).toHaveTextContent('The file holds no audio that can be read.');
    expect(row('old.wav')).not.toHaveTextContent('no audio stream');
    await act(async () =>
      fireEvent.click(within(row('talk.wav')).getByRole('button', { name: 'Cancel' })),
    );
    expect(api.calls).toContain('POST /api/transcriptions/talk/cancel');
    expect(
      await within(row('talk.wav')).findByText('Cancelled', { selector: '.badge' }),
    ).toBeInTheDocument();
    await act(async () =>
      fireEvent.click(within(row('old.wav')).getByRole('button', { name: 'Retry' })),
    );
    expect(api.calls).toContain('POST /api/transcriptions/old/retry');
    expect(
      await within(row('old.wav')).findByText('Queued', { selector: '.badge' }),
    ).toBeInTheDocument();
  });

  it('searches all transcripts and renders the snippet as text with the match marked', async () => {
    await setup();
    const box = screen.getByRole('searchbox', { name: 'Search all transcripts' });
    fireEvent.change(box, { target: { value: 'weather' } });
    await act(async () => fireEvent.submit(box.closest('form')!));
    const hit = await screen.findByRole('link', { name: /1:02/ });
    expect(hit).toHaveAttribute('href', '/studio/talk?t=62.5');
    expect(hit).toHaveTextContent('the <b> weather today');
    expect(hit).toHaveTextContent(/^Утренняя планёрка/); // names its recording
    expect(hit.querySelector('mark')).toHaveTextContent('weather');
    expect(hit.querySelector('b')).toBeNull(); // escaped text stays text
  });

  it('asks before deleting a transcript; Cancel keeps it', async () => {
    await setup();
    const del = () => within(row('old.wav')).getByRole('button', { name: 'Delete old.wav' });
    fireEvent.click(del());
    expect(api.calls.some((c) => c.startsWith('DELETE'))).toBe(false);
    const dialog = within(row('old.wav')).getByRole('alertdialog');
    expect(dialog).toHaveTextContent('Delete the transcript of “old.wav”? This cannot be undone.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(within(row('old.wav')).queryByRole('alertdialog')).toBeNull();
    fireEvent.click(del());
    await act(async () =>
      fireEvent.click(
        within(within(row('old.wav')).getByRole('alertdialog')).getByRole('button', {
          name: 'Delete',
        }),
      ),
    );
    expect(api.calls).toContain('DELETE /api/transcriptions/old');
  });

  it('clears the file picker after a successful submit', async () => {
    await setup();
    const file = new File(['RIFF'], 'clip.wav', { type: 'audio/wav' });
    fireEvent.change(screen.getByLabelText('Audio or video file'), { target: { files: [file] } });
    const go = screen.getByRole('button', { name: 'Transcribe' });
    expect(go).toBeEnabled();
    await act(async () => fireEvent.submit(go.closest('form')!));
    await ManualXHR.all[0]!.answer(202, { id: 'new', status: 'queued' });
    const picker = screen.getByLabelText<HTMLInputElement>('Audio or video file');
    expect(picker.files?.length ?? 0).toBe(0);
    expect(screen.getByRole('button', { name: 'Transcribe' })).toBeDisabled();
  });

  it('the file picker speaks our words, not the browser’s (“Choose Files”, “No file chosen”)', async () => {
    await setup();
    const picker = screen.getByLabelText<HTMLInputElement>('Audio or video file');
    expect(picker).toHaveClass('visually-hidden');
    expect(screen.getByText('Choose files')).toHaveAttribute('for', picker.id);
    expect(screen.getByText('No files chosen')).toBeInTheDocument();
    const file = new File(['RIFF'], 'clip.wav', { type: 'audio/wav' });
    fireEvent.change(picker, { target: { files: [file] } });
    expect(screen.queryByText('No files chosen')).toBeNull();
    expect(screen.getByText('Files chosen: 1')).toBeInTheDocument();
  });

  it('the search box speaks of transcripts, not tags', async () => {
    await setup();
    const box = screen.getByRole('searchbox', { name: 'Search all transcripts' });
    expect(box).toHaveAttribute('placeholder', 'A word or phrase');
  });

  it('uploads several files, each its own job with its own progress; a refusal stops no other', async () => {
    await setup();
    const files = ['a.wav', 'notes.txt', 'c.mp3'].map((n) => new File(['x'], n));
    fireEvent.change(screen.getByLabelText('Audio or video file'), { target: { files } });
    expect(screen.getByText('Files chosen: 3')).toBeInTheDocument();
    await act(async () => fireEvent.submit(screen.getByRole('button', { name: 'Transcribe' })));
    const uploads = () => within(screen.getByRole('list', { name: 'Uploads' }));
    // One request at a time, each with the file and the options.
    expect(ManualXHR.all).toHaveLength(1);
    expect((ManualXHR.all[0]!.body!.get('file') as File).name).toBe('a.wav');
    expect(ManualXHR.all[0]!.body!.get('diarize')).toBe('true');
    ManualXHR.all[0]!.progress(50, 100);
    expect(uploads().getByRole('progressbar', { name: 'Uploading… a.wav' })).toHaveAttribute(
      'aria-valuenow',
      '50',
    );
    expect(uploads().getByText('notes.txt').closest('li')).toHaveAttribute('data-state', 'waiting');
    await ManualXHR.all[0]!.answer(202, { id: 'n1', status: 'queued' });
    await ManualXHR.all[1]!.answer(415, { detail: 'not audio', code: 'unsupported_media_type' });
    await ManualXHR.all[2]!.answer(202, { id: 'n3', status: 'queued' });
    expect(ManualXHR.all).toHaveLength(3);
    expect((ManualXHR.all[2]!.body!.get('file') as File).name).toBe('c.mp3');
    expect(uploads().getByRole('alert')).toHaveTextContent('Not a supported audio or video file');
    expect(uploads().getByRole('alert')).not.toHaveTextContent('not audio'); // no server text
    expect(uploads().getByText('c.mp3').closest('li')).toHaveAttribute('data-state', 'done');
    // Each accepted file reloaded the job list.
    const lists = api.calls.filter((c) => /^GET \/api\/transcriptions(\?|$)/.test(c));
    expect(lists.length).toBeGreaterThanOrEqual(3); // the first load and one per accepted file
  });

  it('takes files dropped anywhere on the studio', async () => {
    await setup();
    const zone = screen.getByTestId('dropzone');
    const dropped = [new File(['x'], 'one.wav'), new File(['y'], 'two.m4a')];
    const dataTransfer = { types: ['Files'], files: dropped, dropEffect: 'none' };
    fireEvent.dragEnter(zone, { dataTransfer });
    expect(screen.getByText('Drop the files to transcribe them')).toBeInTheDocument();
    fireEvent.drop(zone, { dataTransfer });
    expect(screen.queryByText('Drop the files to transcribe them')).toBeNull();
    expect(screen.getByText('Files chosen: 2')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Remove one.wav' }));
    expect(screen.getByText('Files chosen: 1')).toBeInTheDocument();
    await act(async () => fireEvent.submit(screen.getByRole('button', { name: 'Transcribe' })));
    expect((ManualXHR.all[0]!.body!.get('file') as File).name).toBe('two.m4a');
  });

  it('renames a transcription in the list; a refusal is shown; Escape cancels', async () => {
    await setup();
    fireEvent.click(within(row('old.wav')).getByRole('button', { name: 'Rename “old.wav”' }));
    const box = screen.getByLabelText('Title'); // the name is now the input's value
    expect(box).toHaveValue('old.wav');
    fireEvent.change(box, { target: { value: '  Планёрка  ' } });
    await act(async () => fireEvent.submit(box.closest('form')!));
    await screen.findByText('Планёрка');
    expect(api.calls).toContain('PATCH /api/transcriptions/old');
    fireEvent.click(within(row('Планёрка')).getByRole('button', { name: 'Rename “Планёрка”' }));
    const again = screen.getByLabelText('Title');
    expect(again).toHaveAttribute('maxLength', '200');
    // The server's refusal is shown and the editor stays open.
    fireEvent.change(again, { target: { value: 'x'.repeat(201) } });
    await act(async () => fireEvent.submit(again.closest('form')!));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The title can be at most 200 characters long.',
    );
    expect(screen.getByLabelText('Title')).toBeInTheDocument();
    fireEvent.keyDown(again, { key: 'Escape' });
    expect(screen.queryByLabelText('Title')).toBeNull();
    expect(row('Планёрка')).toHaveTextContent('Планёрка');
  });

  it('applies live events that arrive together, each on top of the last', async () => {
    const { push } = await setup();
    act(() => {
      push({
        type: 'transcription.updated',
        id: 'talk',
        status: 'running',
        progress: { stage: 'saving', percent: 99 },
      });
      push({
        type: 'transcription.updated',
        id: 'old',
        status: 'running',
        progress: { stage: 'transcribing', percent: 10 },
      });
    });
    expect(row('talk.wav')).toHaveTextContent('Stage: saving');
    expect(row('old.wav')).toHaveTextContent('Stage: transcribing');
  });
});
