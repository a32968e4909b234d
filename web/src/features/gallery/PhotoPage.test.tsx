import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { auth } from '../../api/client';
import { AppRoutes } from '../../App';
import { fakeLive } from '../../test/fakeLive';
import { photo, USER } from '../../test/fixtures';
import { json } from '../../test/http';
import { renderWithProviders } from '../../test/render';

const PHOTOS = ['p1', 'p2', 'p3'].map((id) =>
  photo(id, { urls: { original: `/f/${id}`, preview: `/f/${id}/preview`, thumb: null } }),
);

/** The owner signed in inside MAX; the three photos and their (empty) histories. */
function server() {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(request.url).pathname;
    if (path === '/api/auth/login')
      return json({ access_token: 'a', refresh_token: 'r', expires_in: 900 });
    if (path === '/api/auth/me') return json(USER);
    const match = /^\/api\/photos\/(p\d)(\/history)?$/.exec(path);
    if (match) return match[2] ? json({ items: [] }) : json(PHOTOS.find((p) => p.id === match[1]));
    return json({ items: [], next_cursor: null, status: 'ok', checks: {} });
  });
}

/** MAX's bridge: a back button the test can press, haptics it can see. */
function installBridge() {
  const handlers = new Set<() => void>();
  const button = {
    show: vi.fn(),
    hide: vi.fn(),
    onClick: vi.fn((cb: () => void) => void handlers.add(cb)),
    offClick: vi.fn((cb: () => void) => void handlers.delete(cb)),
    press: () => [...handlers].forEach((cb) => cb()),
  };
  const haptics = {
    impactOccurred: vi.fn(),
    selectionChanged: vi.fn(),
    notificationOccurred: vi.fn(),
  };
  window.WebApp = { initData: 'signed-launch-data', BackButton: button, HapticFeedback: haptics };
  return { button, haptics };
}

beforeEach(() => vi.stubGlobal('fetch', server()));
afterEach(() => {
  auth.clear();
  delete window.WebApp;
  vi.unstubAllGlobals();
});

/** The photo page of p2, opened from a grid of p1..p3 (the grid passes the ids as state). */
async function openFromGrid() {
  renderWithProviders(<AppRoutes />, {
    entries: ['/collection', { pathname: '/photos/p2', state: { ids: ['p1', 'p2', 'p3'] } }],
    live: fakeLive('closed'),
  });
  fireEvent.click(await screen.findByRole('button', { name: 'Open full screen' }));
  return screen.getByRole('dialog', { name: 'Photo viewer' });
}

describe('photo viewer', () => {
  it('walks the list it came from with the arrow keys and closes with Esc', async () => {
    const viewer = await openFromGrid();
    expect(viewer).toHaveTextContent('2 of 3');
    expect(within(viewer).getByRole('link', { name: 'Download original' })).toHaveAttribute(
      'href',
      expect.stringMatching(/\/f\/p2$/),
    );
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(screen.getByRole('dialog')).toHaveTextContent('3 of 3'));
    expect(screen.queryByRole('button', { name: 'Next photo' })).not.toBeInTheDocument();
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    await waitFor(() => expect(screen.getByRole('dialog')).toHaveTextContent('2 of 3'));
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    await waitFor(() => expect(screen.getByRole('dialog')).toHaveTextContent('1 of 3'));
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // The page of the photo the viewer ended on.
    expect(await screen.findByRole('link', { name: 'Download original' })).toHaveAttribute(
      'href',
      expect.stringMatching(/\/f\/p1$/),
    );
  }, 15_000); // several page loads: slow on a busy CI machine

  it('keeps Tab inside the open viewer; Esc closes it', async () => {
    const viewer = await openFromGrid();
    const close = within(viewer).getByRole('button', { name: 'Close' });
    expect(close).toHaveFocus();
    const buttons = within(viewer).getAllByRole('button');
    const last = buttons[buttons.length - 1]!;
    last.focus();
    fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
    expect(close).toHaveFocus(); // from the last control round to the first
    fireEvent.keyDown(close, { key: 'Tab', shiftKey: true });
    expect(last).toHaveFocus(); // and backwards
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('closes with MAX’s back button and taps when moving to the next photo', async () => {
    const { button, haptics } = installBridge();
    await openFromGrid();
    fireEvent.click(screen.getByRole('button', { name: 'Next photo' }));
    expect(haptics.impactOccurred).toHaveBeenCalledWith('light');
    await waitFor(() => expect(screen.getByRole('dialog')).toHaveTextContent('3 of 3'));
    act(() => button.press());
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('photo p');
  });
});
