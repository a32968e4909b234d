/**
 * Exchange scenes set up through the API (fast, and independent of which photo a picker shows
 * first): accounts registered in a browser context (so its pages are signed in by the session
 * cookie), photos uploaded and processed, trades and transfers made.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { expect, type APIRequestContext, type BrowserContext } from '@playwright/test';

import { PASSWORD } from './helpers';

export interface Account {
  id: string;
  username: string;
  headers: Record<string, string>;
  request: APIRequestContext;
}

/** Registers `username` in `context` (its pages are then signed in); names it if given. */
export async function register(
  context: BrowserContext,
  username: string,
  firstName?: string,
): Promise<Account> {
  const { request } = context;
  const tokens = await request.post('/api/auth/register', {
    data: { username, password: PASSWORD },
  });
  expect(tokens.status()).toBe(201);
  const headers = { Authorization: `Bearer ${(await tokens.json()).access_token}` };
  if (firstName) {
    const named = await request.patch('/api/auth/me', { headers, data: { first_name: firstName } });
    expect(named.ok()).toBeTruthy();
  }
  const me = await (await request.get('/api/auth/me', { headers })).json();
  return { id: me.id, username, headers, request };
}

/** Uploads a JPEG (private) with a description and waits until it is processed; its id. */
export async function uploadPhoto(who: Account, file: string, description = ''): Promise<string> {
  const response = await who.request.post('/api/photos', {
    headers: who.headers,
    multipart: {
      file: { name: basename(file), mimeType: 'image/jpeg', buffer: readFileSync(file) },
      description,
      is_public: 'false',
    },
  });
  expect(response.status()).toBe(201);
  const id = (await response.json()).id as string;
  await expect
    .poll(
      async () =>
        (await (await who.request.get(`/api/photos/${id}`, { headers: who.headers })).json())
          .status,
      { timeout: 60_000 },
    )
    .toBe('ready');
  return id;
}

/** Makes a trade of `ids`; its id. */
export async function makeTrade(who: Account, ids: string[]): Promise<string> {
  const response = await who.request.post('/api/trades', {
    headers: who.headers,
    data: { art_object_ids: ids },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).id as string;
}

/** Offers photo `id` to `to`. */
export async function offer(who: Account, id: string, to: Account): Promise<void> {
  const response = await who.request.post('/api/transfers', {
    headers: who.headers,
    data: { art_object_id: id, to_user_id: to.id },
  });
  expect(response.status()).toBe(201);
}

/** Signs `username` in within `context` (its own session, so contexts never share a token). */
export async function signIn(context: BrowserContext, username: string): Promise<void> {
  const response = await context.request.post('/api/auth/login', {
    data: { username, password: PASSWORD },
  });
  expect(response.ok()).toBeTruthy();
}
