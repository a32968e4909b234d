import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { apiError } from '../../../api/client';
import type { Transcription } from '../../../api/transcriptions';
import { I18nProvider } from '../../../i18n/I18nProvider';
import { SEGMENTS, transcription } from '../../../test/fixtures';
import { TranscriptView } from './TranscriptView';

const FIXTURE: Transcription = transcription();

type ViewProps = Parameters<typeof TranscriptView>[0];
let rerenderWith: (props: ViewProps) => void = () => {};

function setup(overrides: Partial<Parameters<typeof TranscriptView>[0]> = {}) {
  const props = {
    transcription: FIXTURE,
    mediaSrc: 'blob:media',
    onSaveSegment: vi.fn().mockResolvedValue(undefined),
    onRenameSpeaker: vi.fn().mockResolvedValue(undefined),
    onMergeSpeakers: vi.fn().mockResolvedValue(undefined),
    onUnmatchSpeaker: vi.fn().mockResolvedValue(undefined),
    ...overrides,
  };
  const view = render(
    <I18nProvider language="en">
      <TranscriptView {...props} />
    </I18nProvider>,
  );
  rerenderWith = (next) =>
    view.rerender(
      <I18nProvider language="en">
        <TranscriptView {...next} />
      </I18nProvider>,
    );
  // jsdom implements no media playback: give the element a controllable clock and state.
  const player = screen.getByTestId('player') as HTMLMediaElement;
  let paused = true;
  Object.defineProperty(player, 'paused', { get: () => paused, configurable: true });
  Object.defineProperty(player, 'duration', { value: 4, configurable: true });
  player.play = vi.fn(async () => {
    paused = false;
  });
  player.pause = vi.fn(() => {
    paused = true;
  });
  return { props, player };
}

function word(text: string) {
  return screen.getByText(text, { selector: '.mh-word' });
}

describe('TranscriptView', () => {
  it('tells the page when the player cannot load the media (an expired link)', () => {
    const onMediaError = vi.fn();
    const { player } = setup({ onMediaError });
    fireEvent.error(player);
    expect(onMediaError).toHaveBeenCalledTimes(1);
  });

  it('a renewed media link continues where the user was, not at the start', () => {
    const props = { ...setup().props };
    const player = screen.getByTestId('player') as HTMLMediaElement;
    act(() => {
      player.currentTime = 3.2;
      player.dispatchEvent(new Event('timeupdate'));
    });
    player.currentTime = 0; // a new src restarts the element
    act(() => {
      rerenderWith({ ...props, mediaSrc: 'blob:renewed' });
    });
    expect(player.getAttribute('src')).toBe('blob:renewed');
    expect(player.currentTime).toBe(3.2);
  });

  it('seeks the player to a word when it is clicked', () => {
    const { player } = setup();
    fireEvent.click(word('world'));
    expect(player.currentTime).toBe(1.5);
    expect(word('world')).toHaveAttribute('aria-current', 'true');
  });

  it('highlights the word being played as time advances', () => {
    const { player } = setup();
    act(() => {
      player.currentTime = 3.55;
      player.dispatchEvent(new Event('timeupdate'));
    });
    expect(word('line')).toHaveClass('mh-word-active');
    expect(word('Hello')).not.toHaveClass('mh-word-active');
    expect(document.getElementById('seg-1')).toHaveClass('mh-current');
  });

  it('space plays and pauses; arrows jump 5 seconds, clamped to the recording', () => {
    const { player } = setup();
    fireEvent.keyDown(document.body, { key: ' ', code: 'Space' });
    expect(player.play).toHaveBeenCalled();
    fireEvent.keyDown(document.body, { key: ' ', code: 'Space' });
    expect(player.pause).toHaveBeenCalled();
    act(() => {
      player.currentTime = 1;
    });
    fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(player.currentTime).toBe(4); // 6 s clamped to the 4 s duration
    fireEvent.keyDown(document.body, { key: 'ArrowLeft' });
    expect(player.currentTime).toBe(0); // -1 s clamped to 0
  });

  it('ignores shortcuts while the user types', () => {
    const { player } = setup();
    const find = screen.getByLabelText('Find in transcript');
    fireEvent.keyDown(find, { key: ' ', code: 'Space' });
    expect(player.play).not.toHaveBeenCalled();
  });

  it('colours and names speakers, and renames one', async () => {
    const { props } = setup();
    const list = screen.getByRole('region', { name: 'Speakers' });
    fireEvent.click(within(list).getByRole('button', { name: 'Rename Anna' }));
    const input = screen.getByLabelText('Speaker name');
    fireEvent.change(input, { target: { value: 'Dr. Anna' } });
    await act(async () => {
      fireEvent.submit(input.closest('form')!);
    });
    expect(props.onRenameSpeaker).toHaveBeenCalledWith(FIXTURE.speakers[0], 'Dr. Anna', false);
    // The unnamed second speaker is shown by id.
    expect(within(list).getByRole('button', { name: 'Rename Speaker 2' })).toBeInTheDocument();
  });

  it('remembers a voice on rename, and undoes a wrong recognition', async () => {
    const recognised = { ...FIXTURE.speakers[0]!, voice_id: 'v1', confidence: 0.83 };
    const { props } = setup({
      transcription: { ...FIXTURE, speakers: [recognised, FIXTURE.speakers[1]!] },
    });
    const list = screen.getByRole('region', { name: 'Speakers' });
    expect(within(list).getByText('✓ 83%')).toBeInTheDocument();
    await act(async () => {
      fireEvent.click(within(list).getByRole('button', { name: 'Not Anna' }));
    });
    expect(props.onUnmatchSpeaker).toHaveBeenCalledWith(recognised);
    fireEvent.click(within(list).getByRole('button', { name: 'Rename Speaker 2' }));
    fireEvent.change(screen.getByLabelText('Speaker name'), { target: { value: 'Boris' } });
    fireEvent.click(screen.getByLabelText('Remember this voice'));
    await act(async () => {
      fireEvent.submit(screen.getByLabelText('Speaker name').closest('form')!);
    });
    expect(props.onRenameSpeaker).toHaveBeenCalledWith(
      expect.objectContaining({ id: 1 }),
      'Boris',
      true,
    );
  });

  it('edits a segment inline', async () => {
    const { props } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Edit the text at 0:03' }));
    const box = screen.getByLabelText('Segment text');
    expect(box).toHaveValue('Second line 42');
    fireEvent.change(box, { target: { value: 'Second line, 42.' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(props.onSaveSegment).toHaveBeenCalledWith(SEGMENTS[1], { text: 'Second line, 42.' });
    expect(screen.queryByLabelText('Segment text')).toBeNull();
  });

  it('shows the server error when saving fails and keeps the editor open', async () => {
    const gone = apiError(404, { detail: 'segment not found', code: 'segment.not_found' });
    setup({ onSaveSegment: vi.fn().mockRejectedValue(gone) });
    fireEvent.click(screen.getByRole('button', { name: 'Edit the text at 0:00' }));
    fireEvent.change(screen.getByLabelText('Segment text'), { target: { value: 'Hello' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(screen.getByRole('alert')).toHaveTextContent('This fragment no longer exists.');
    expect(screen.getByLabelText('Segment text')).toBeInTheDocument();
  });

  it('finds every occurrence: "n of N", next / previous, Enter / Shift+Enter, wrapping', () => {
    setup();
    const box = screen.getByLabelText('Find in transcript');
    fireEvent.change(box, { target: { value: 'e' } });
    const count = () => screen.getByTestId('find-count').textContent;
    expect(count()).toBe('1 of 5');
    expect(document.getElementById('seg-0')).toHaveClass('mh-hit', 'mh-hit-current');
    expect(word('Hello')).toHaveClass('mh-find-current');
    expect(word('there')).toHaveClass('mh-find');
    fireEvent.click(screen.getByRole('button', { name: 'Next match (Enter)' }));
    expect(count()).toBe('2 of 5');
    expect(word('there')).toHaveClass('mh-find-current');
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(count()).toBe('5 of 5'); // wrapped around backwards
    expect(document.getElementById('seg-1')).toHaveClass('mh-hit-current');
    expect(document.getElementById('seg-0')).not.toHaveClass('mh-hit-current');
    fireEvent.submit(box.closest('form')!); // Enter
    expect(count()).toBe('1 of 5');
    fireEvent.change(box, { target: { value: 'zzz' } });
    expect(count()).toBe('Nothing found.');
    expect(screen.getByRole('button', { name: 'Next match (Enter)' })).toBeDisabled();
  });

  it('shows a speaker turn as one paragraph: the name once, words still seekable', () => {
    const segments = [
      SEGMENTS[0]!,
      { ...SEGMENTS[1]!, speaker: 0 },
      { ...SEGMENTS[1]!, id: 3, start: 5, end: 6, text: 'Reply', words: [], speaker: 1 },
    ];
    const { player } = setup({ transcription: { ...FIXTURE, segments } });
    const turns = within(screen.getByRole('list', { name: 'Transcript' })).getAllByRole('listitem');
    expect(turns).toHaveLength(2);
    expect(turns[0]).toHaveTextContent(/^Anna0:00Hello there world ✎ Second line 42 ✎/);
    expect(turns[1]).toHaveTextContent('Speaker 20:05Reply');
    fireEvent.click(within(turns[0]!).getByText('line'));
    expect(player.currentTime).toBe(3.5);
  });

  it('moves a segment to another speaker or to a new one', async () => {
    const { props } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Edit the text at 0:03' }));
    fireEvent.change(screen.getByLabelText('Speaker'), { target: { value: '0' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(props.onSaveSegment).toHaveBeenLastCalledWith(SEGMENTS[1], { speaker: 0 });

    fireEvent.click(screen.getByRole('button', { name: 'Edit the text at 0:00' }));
    fireEvent.change(screen.getByLabelText('Speaker'), { target: { value: 'new' } });
    const save = screen.getByRole('button', { name: 'Save' });
    expect(save).toBeDisabled(); // a new speaker needs a name
    fireEvent.change(screen.getByLabelText('New speaker’s name'), {
      target: { value: ' Марина ' },
    });
    await act(async () => {
      fireEvent.click(save);
    });
    expect(props.onSaveSegment).toHaveBeenLastCalledWith(SEGMENTS[0], { newSpeaker: 'Марина' });
  });
});
