import { fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { auth, type ProfileRequest } from '../../api/client';
import { AppRoutes } from '../../App';
import { USER } from '../../test/fixtures';
import { json } from '../../test/http';
import { renderWithProviders } from '../../test/render';

const BOB = {
  id: 'u2',
  username: 'bob',
  first_name: 'Bob',
  last_name: null,
  photo_url: null,
  is_public: false,
  contact_link: null,
};

function request(status: ProfileRequest['status']): ProfileRequest {
  return {
    id: 'r1',
    requester_id: 'u1',
    target_id: 'u2',
    status,
    created_at: '2026-12-05T10:00:00Z',
    decided_at: status === 'pending' ? null : '2026-12-05T10:05:00Z',
    expires_at: status === 'approved' ? '2026-12-12T10:05:00Z' : null,
    photo_ids: [],
  };
}

/** Bob's private profile; my requests to see it are `mine` (changed by the test). */
function server(mine: ProfileRequest[]) {
  return vi.fn(async (input: Request) => {
    const url = new URL(input.url);
    if (url.pathname === '/api/auth/me') return json(USER);
    if (url.pathname === '/api/ready') return json({ status: 'ok', checks: {} });
    if (url.pathname === '/api/users/u2') return json(BOB);
    if (url.pathname === '/api/users/u2/photos') return json({ items: [], next_cursor: null });
    if (url.pathname === '/api/profile-requests' && input.method === 'POST') {
      mine.unshift(request('pending'));
      return json(mine[0], 201);
    }
    if (url.pathname === '/api/profile-requests') return json({ items: mine });
    return json({ detail: 'not found', code: 'not_found' }, 404);
  });
}

beforeEach(() => auth.setTokens({ access_token: 'a', refresh_token: 'r', expires_in: 900 }));
afterEach(() => {
  auth.clear();
  vi.unstubAllGlobals();
});

describe('profile access request (issue 19.3)', () => {
  it('after approval the requester sees access granted, live, not "Request access"', async () => {
    const mine: ProfileRequest[] = [];
    vi.stubGlobal('fetch', server(mine));
    const live = renderWithProviders(<AppRoutes />, { entries: ['/users/u2'] });
    fireEvent.click(await screen.findByRole('button', { name: 'Request access' }));
    expect(await screen.findByText('Request sent — waiting for an answer')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Request access' })).toBeNull();

    mine[0] = request('approved'); // Bob approves in his browser
    live.push('user:u1', { type: 'profile_request.approved', request_id: 'r1', by: 'u2' });
    expect(await screen.findByTestId('access-granted')).toHaveTextContent(
      /^Access granted until 12 Dec 2026/,
    );
    expect(screen.queryByRole('button', { name: 'Request access' })).toBeNull();
  });

  it('a request already made shows where it stands when the page opens, in Russian', async () => {
    vi.stubGlobal('fetch', server([request('pending')]));
    renderWithProviders(<AppRoutes />, { entries: ['/users/u2'], language: 'ru' });
    expect(await screen.findByText('Запрос отправлен — ждём ответа')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Запросить доступ' })).toBeNull();
  });
});
