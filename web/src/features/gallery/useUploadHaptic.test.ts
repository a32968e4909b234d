import { renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import type { Item, ItemState } from './UploadItemRow';
import { useUploadHaptic } from './useUploadHaptic';

const file = new File(['x'], 'a.jpg', { type: 'image/jpeg' });
const items = (...states: ItemState[]): Item[] =>
  states.map((state, key) => ({ key, file, state, progress: 0 }));

function bridge() {
  const feedback = { notificationOccurred: vi.fn() };
  window.WebApp = { initData: 'signed-launch-data', HapticFeedback: feedback };
  return feedback.notificationOccurred;
}

describe('useUploadHaptic', () => {
  it('buzzes once when a whole batch is in, not once per file', () => {
    const notify = bridge();
    const { rerender } = renderHook((list: Item[]) => useUploadHaptic(list), {
      initialProps: items('uploading', 'uploading'),
    });
    rerender(items('ready', 'processing'));
    expect(notify).not.toHaveBeenCalled();
    rerender(items('ready', 'ready'));
    rerender(items('ready', 'ready'));
    expect(notify.mock.calls).toEqual([['success']]);
  });

  it('says error when any file of the batch failed, and starts over for the next batch', () => {
    const notify = bridge();
    const { rerender } = renderHook((list: Item[]) => useUploadHaptic(list), {
      initialProps: items('uploading', 'uploading'),
    });
    rerender(items('ready', 'error'));
    rerender(items('ready', 'error', 'uploading'));
    rerender(items('ready', 'error', 'ready'));
    expect(notify.mock.calls).toEqual([['error'], ['error']]);
  });

  it('stays quiet for a page opened with nothing uploading', () => {
    const notify = bridge();
    renderHook(() => useUploadHaptic([]));
    expect(notify).not.toHaveBeenCalled();
  });
});
