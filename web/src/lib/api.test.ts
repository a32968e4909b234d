import { describe, expect, it, vi } from 'vitest';

import { fetchReadiness, interpretReadiness } from './api';

const ok = { ok: true };
const down = { ok: false, error: 'connection refused' };

describe('interpretReadiness', () => {
  it('is ok when the server says so and every check passed', () => {
    const body = { status: 'ok', checks: { database: ok, redis: ok, storage: ok } };
    expect(interpretReadiness(200, body)).toEqual({ kind: 'ok' });
  });

  it('names the failing checks of a 503', () => {
    const body = { status: 'unavailable', checks: { storage: down, database: ok, redis: down } };
    expect(interpretReadiness(503, body)).toEqual({
      kind: 'degraded',
      failing: ['redis', 'storage'],
    });
  });

  it('treats an answer without checks (a proxy error page) as unreachable', () => {
    expect(interpretReadiness(502, null)).toEqual({ kind: 'unreachable' });
    expect(interpretReadiness(200, { status: 'ok' })).toEqual({ kind: 'unreachable' });
  });
});

describe('fetchReadiness', () => {
  it('reports unreachable when the request fails', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(fetchReadiness()).resolves.toEqual({ kind: 'unreachable' });
  });

  it('reads a 503 body', async () => {
    const body = { status: 'unavailable', checks: { database: down } };
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(new Response(JSON.stringify(body), { status: 503 })),
    );
    await expect(fetchReadiness()).resolves.toEqual({ kind: 'degraded', failing: ['database'] });
    expect(fetch).toHaveBeenCalledWith(
      '/api/ready',
      expect.objectContaining({ cache: 'no-store' }),
    );
  });
});
