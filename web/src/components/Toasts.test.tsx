import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { auth } from '../api/client';
import { fakeLive } from '../test/fakeLive';
import { USER } from '../test/fixtures';
import { json } from '../test/http';
import { renderWithProviders } from '../test/render';
import { TOAST_MS, Toasts, toastFor } from './Toasts';

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => json(USER)),
  );
  auth.setTokens({ access_token: 'a', refresh_token: 'r', expires_in: 900 });
});
afterEach(() => {
  auth.clear();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const offer = (name: string, photo: string) => ({
  type: 'transfer.requested',
  transfer_id: `t-${photo}`,
  from: 'u2',
  from_name: name,
  photo_title: photo,
});

async function mount(language: 'en' | 'ru' = 'en') {
  const live = fakeLive();
  renderWithProviders(<Toasts />, { live, language });
  // Subscribed once the session (GET /api/auth/me) is known.
  await act(() => vi.advanceTimersByTimeAsync(50));
  return (event: Record<string, unknown>) => live.push('user:u1', event);
}

describe('toastFor', () => {
  it('names who acts and the photo', () => {
    expect(toastFor(offer('Алиса', 'Мост'), 'u1')).toEqual({
      key: 'toast.transferRequestedBy',
      values: { name: 'Алиса', photo: 'Мост' },
      to: '/exchange',
    });
    expect(toastFor({ type: 'profile_request.approved', by: 'u2', by_name: 'Bob' }, 'u1')).toEqual({
      key: 'toast.requestApprovedBy',
      values: { name: 'Bob', photo: '' },
      to: '/users/u2',
    });
  });

  it('falls back to the plain message without names, and stays quiet about my own acts', () => {
    expect(toastFor({ type: 'transfer.requested' }, 'u1')?.key).toBe('toast.transferRequested');
    expect(toastFor({ type: 'transfer.accepted', by: 'u1', by_name: 'me' }, 'u1')).toBeNull();
    expect(toastFor({ type: 'collection.changed' }, 'u1')).toBeNull();
  });
});

describe('Toasts (issue 19.3)', () => {
  it('says who offers the photo, in Russian', async () => {
    const push = await mount('ru');
    push(offer('Алиса', 'Закат'));
    expect(screen.getByRole('status')).toHaveTextContent(
      'Алиса предлагает вам фотографию «Закат».',
    );
  });

  it('shows one toast at a time, newest first, the rest queued behind it', async () => {
    const push = await mount();
    push(offer('Ann', 'one'));
    push(offer('Ben', 'two'));
    push(offer('Cat', 'three'));
    expect(screen.getAllByRole('status')).toHaveLength(1);
    expect(screen.getByRole('status')).toHaveTextContent('Cat offers you the photo “three”.');
    expect(screen.getByTestId('toast-more')).toHaveTextContent('+2 more');
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.getByRole('status')).toHaveTextContent('Ben offers you the photo “two”.');
    expect(screen.getByTestId('toast-more')).toHaveTextContent('+1 more');
  });

  it('links to where the news matters', async () => {
    const push = await mount();
    push({ type: 'trade.claimed', trade_id: 'tr1', by: 'u2', by_name: 'Bob' });
    expect(screen.getByRole('status')).toHaveTextContent('Your trade was claimed by Bob.');
    expect(screen.getByRole('link', { name: 'Open' })).toHaveAttribute(
      'href',
      '/exchange/trades/tr1',
    );
  });

  it('keeps at most a few waiting, and each leaves on its own', async () => {
    const push = await mount();
    for (let i = 0; i < 9; i++) push(offer('Ann', `p${i}`));
    expect(screen.getByTestId('toast-more')).toHaveTextContent('+4 more');
    await act(() => vi.advanceTimersByTimeAsync(TOAST_MS + 10));
    expect(screen.queryByRole('status')).toBeNull();
  });
});
