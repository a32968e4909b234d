import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { auth, type Photo } from '../../api/client';
import { photo, USER } from '../../test/fixtures';
import { json } from '../../test/http';
import { renderWithProviders } from '../../test/render';
import CollectionPage from './CollectionPage';

/** The signed-in owner's collection; records bulk requests and applies them like the API. */
function server(mine: Photo[]) {
  const bulk: { ids: string[]; action: string }[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(request.url).pathname;
    if (path === '/api/auth/login')
      return json({ access_token: 'a', refresh_token: 'r', expires_in: 900 });
    if (path === '/api/auth/me') return json(USER);
    if (path === '/api/photos/mine') return json({ items: mine, next_cursor: null });
    if (path === '/api/photos/bulk') {
      const body = (await request.json()) as { ids: string[]; action: string };
      bulk.push(body);
      mine =
        body.action === 'delete'
          ? mine.filter((p) => !body.ids.includes(p.id))
          : mine.map((p) =>
              body.ids.includes(p.id) ? { ...p, is_public: body.action === 'make_public' } : p,
            );
      return json(body);
    }
    return json({ detail: 'not found', code: 'not_found' }, 404);
  });
  return { fetch, bulk };
}

/** MAX's bridge, so the haptic calls can be seen. */
function bridge() {
  const haptics = {
    selectionChanged: vi.fn(),
    notificationOccurred: vi.fn(),
    impactOccurred: vi.fn(),
  };
  window.WebApp = { initData: 'signed-launch-data', HapticFeedback: haptics };
  return haptics;
}

const PHOTOS = [
  photo('p1', { width: 800, height: 600, is_public: true }),
  photo('p2', { width: 600, height: 800 }),
  photo('p3', { width: 1200, height: 500, is_public: true }),
];

let api: ReturnType<typeof server>;
beforeEach(() => {
  api = server(PHOTOS);
  vi.stubGlobal('fetch', api.fetch);
  auth.setTokens({ access_token: 'a', refresh_token: 'r', expires_in: 900 });
});
afterEach(() => {
  auth.clear();
  delete window.WebApp;
  vi.unstubAllGlobals();
});

async function selectMode() {
  renderWithProviders(<CollectionPage />, { entries: ['/collection'] });
  const list = await screen.findByRole('list', { name: 'Mine' });
  await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3));
  fireEvent.click(screen.getByRole('button', { name: 'Select' }));
  return () => within(screen.getByRole('list', { name: 'Mine' })).getAllByRole('button');
}

describe('collection selection', () => {
  it('marks private photos and keeps each aspect ratio in the grid', async () => {
    renderWithProviders(<CollectionPage />, { entries: ['/collection'] });
    const list = await screen.findByRole('list', { name: 'Mine' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3));
    expect(within(list).getAllByText('Private')).toHaveLength(1);
    const cells = within(list).getAllByRole('listitem');
    const basis = cells.map((c) => parseFloat(c.style.flexBasis) / parseFloat(c.style.height));
    expect(basis[0]).toBeCloseTo(800 / 600, 1);
    expect(basis[1]).toBeCloseTo(600 / 800, 1);
    expect(basis[2]).toBeCloseTo(1200 / 500, 1);
  });

  it('makes the selected photos private in one request, with a haptic tick per tile', async () => {
    const haptics = bridge();
    const tiles = await selectMode();
    fireEvent.click(tiles()[0]!);
    fireEvent.click(tiles()[2]!);
    expect(haptics.selectionChanged).toHaveBeenCalledTimes(2);
    expect(screen.getByText('2 selected')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Make private' }));
    await waitFor(() => expect(api.bulk).toEqual([{ ids: ['p1', 'p3'], action: 'make_private' }]));
    const list = screen.getByRole('list', { name: 'Mine' });
    await waitFor(() => expect(within(list).getAllByText('Private')).toHaveLength(3));
    expect(haptics.notificationOccurred).toHaveBeenCalledWith('success');
    expect(screen.queryByText(/selected/)).not.toBeInTheDocument(); // selection mode ends
  });

  it('deletes only after the confirmation, then drops the tiles', async () => {
    const tiles = await selectMode();
    fireEvent.click(screen.getByRole('button', { name: 'Select all' }));
    expect(screen.getByText('3 selected')).toBeInTheDocument();
    fireEvent.click(tiles()[1]!); // and one back out
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(api.bulk).toEqual([]);
    const question = screen.getByRole('alertdialog');
    expect(question).toHaveTextContent('Delete 2 photos?');
    fireEvent.click(within(question).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.bulk).toEqual([{ ids: ['p1', 'p3'], action: 'delete' }]));
    const list = screen.getByRole('list', { name: 'Mine' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));
  });

  it('shows the server refusal and keeps the selection', async () => {
    const tiles = await selectMode();
    api.fetch.mockImplementationOnce(async () =>
      json(
        {
          detail: 'only the owner can do this',
          code: 'photos.not_owner',
          params: { count: 1 },
          ids: ['p2'],
        },
        403,
      ),
    );
    fireEvent.click(tiles()[1]!);
    fireEvent.click(screen.getByRole('button', { name: 'Make public' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '1 of the selected photos is not yours. Nothing was changed.',
    );
    expect(screen.getByText('1 selected')).toBeInTheDocument();
  });
});
