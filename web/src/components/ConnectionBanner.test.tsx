import { act, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { LiveStatus } from '../lib/live';
import { fakeLive } from '../test/fakeLive';
import { json } from '../test/http';
import { renderWithProviders } from '../test/render';
import { ConnectionBanner } from './ConnectionBanner';

/** A fake live client whose status the test changes, as a real reconnect would. */
function liveWithStatus(initial: LiveStatus) {
  const fake = fakeLive(initial);
  const listeners = new Set<(s: LiveStatus) => void>();
  const reconnectNow = vi.fn();
  const client = {
    ...fake.client,
    reconnectNow,
    onStatus: (listener: (s: LiveStatus) => void) => {
      listeners.add(listener);
      listener(initial);
      return () => listeners.delete(listener);
    },
  };
  const set = (status: LiveStatus) => act(() => listeners.forEach((l) => l(status)));
  return { live: { ...fake, client }, set, reconnectNow };
}

const healthy = { status: 'ok', checks: { database: { ok: true } } };

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  vi.stubGlobal('fetch', vi.fn().mockResolvedValue(json(healthy)));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ConnectionBanner', () => {
  it('stays silent when the server is fine and a reconnect is quick', async () => {
    const { live, set } = liveWithStatus('open');
    renderWithProviders(<ConnectionBanner graceMs={5000} />, { live });
    await act(() => vi.advanceTimersByTimeAsync(100));
    set('connecting');
    await act(() => vi.advanceTimersByTimeAsync(3000));
    set('open');
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });

  it('shows a banner once live updates are down for more than the grace period', async () => {
    const { live, set, reconnectNow } = liveWithStatus('open');
    renderWithProviders(<ConnectionBanner graceMs={5000} />, { live, language: 'ru' });
    set('closed');
    await act(() => vi.advanceTimersByTimeAsync(4000));
    expect(screen.queryByText(/Обновления в реальном времени отключены/)).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(1500));
    expect(screen.getByText(/Обновления в реальном времени отключены/)).toBeInTheDocument();
    screen.getByRole('button', { name: 'Повторить' }).click();
    expect(reconnectNow).toHaveBeenCalled();
    set('open');
    expect(screen.queryByText(/Обновления в реальном времени отключены/)).toBeNull();
  });

  it('says the server is unreachable, and clears once it answers again', async () => {
    const fetchMock = vi.fn().mockRejectedValue(new TypeError('Failed to fetch'));
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<ConnectionBanner pollMs={30_000} />, { live: fakeLive('open') });
    expect(await screen.findByText('Cannot reach the server. Retrying…')).toBeInTheDocument();
    fetchMock.mockResolvedValue(json(healthy));
    await act(() => vi.advanceTimersByTimeAsync(6000)); // retried within seconds, not 30 s
    expect(screen.queryByText('Cannot reach the server. Retrying…')).toBeNull();
  });
});
