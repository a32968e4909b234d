import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createLiveClient, defaultLiveUrl, type LiveStatus, type SocketLike } from './live';

/** A WebSocket stand-in the test drives by hand: it records what is sent, the test fires events. */
class FakeWebSocket implements SocketLike {
  static instances: FakeWebSocket[] = [];

  readyState = 0; // CONNECTING
  sent: unknown[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  send(data: string) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data));
  }

  close() {
    this.readyState = 3;
  }

  // --- driven by the test ---
  serverAccepts() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
    this.receive({ type: 'hello' });
  }

  serverDrops() {
    this.readyState = 3;
    this.onerror?.(new Event('error'));
    this.onclose?.(new CloseEvent('close', { code: 1006 }));
  }

  receive(message: unknown) {
    const data = typeof message === 'string' ? message : JSON.stringify(message);
    this.onmessage?.(new MessageEvent('message', { data }));
  }
}

function latest(): FakeWebSocket {
  const socket = FakeWebSocket.instances.at(-1);
  if (!socket) throw new Error('no socket was created');
  return socket;
}

function makeClient() {
  return createLiveClient({
    url: 'ws://test/api/ws',
    WebSocketImpl: FakeWebSocket,
    minDelayMs: 100,
    maxDelayMs: 1_000,
    random: () => 1, // no jitter: delay is exactly the ceiling
  });
}

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('live client', () => {
  it('does not connect until something subscribes', () => {
    makeClient();
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('subscribes on open and routes events by channel', () => {
    const client = makeClient();
    const onPublic = vi.fn();
    const onJob = vi.fn();
    client.subscribe('public', onPublic);
    client.subscribe('job:1', onJob);

    const socket = latest();
    expect(socket.url).toBe('ws://test/api/ws');
    socket.serverAccepts();
    expect(socket.sent).toEqual([{ type: 'subscribe', channels: ['public', 'job:1'] }]);

    socket.receive({ type: 'event', channel: 'public', event: { kind: 'photo.added', id: 7 } });
    socket.receive('not json');
    socket.receive({ type: 'event', channel: 'elsewhere', event: {} });

    expect(onPublic).toHaveBeenCalledExactlyOnceWith({ kind: 'photo.added', id: 7 }, 'public');
    expect(onJob).not.toHaveBeenCalled();
  });

  it('resubscribes to every channel after a reconnect', () => {
    const client = makeClient();
    const handler = vi.fn();
    client.subscribe('public', handler);
    latest().serverAccepts();
    client.subscribe('job:42', vi.fn()); // added while connected: sent right away
    expect(latest().sent).toEqual([
      { type: 'subscribe', channels: ['public'] },
      { type: 'subscribe', channels: ['job:42'] },
    ]);

    latest().serverDrops();
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(2);

    const second = latest();
    second.serverAccepts();
    expect(second.sent).toEqual([{ type: 'subscribe', channels: ['public', 'job:42'] }]);

    second.receive({ type: 'event', channel: 'public', event: { n: 1 } });
    expect(handler).toHaveBeenCalledExactlyOnceWith({ n: 1 }, 'public');
  });

  it('backs off exponentially up to the cap, and resets after a good connection', () => {
    const client = makeClient();
    client.subscribe('public', vi.fn());
    const delays: number[] = [];

    for (let i = 0; i < 6; i++) {
      latest().serverDrops();
      const before = FakeWebSocket.instances.length;
      let waited = 0;
      while (FakeWebSocket.instances.length === before) {
        vi.advanceTimersByTime(10);
        waited += 10;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);

    latest().serverAccepts();
    latest().serverDrops();
    vi.advanceTimersByTime(100);
    expect(latest().readyState).toBe(0); // a new socket, after the minimum delay again
  });

  it('stops dispatching and unsubscribes when the last handler leaves', () => {
    const client = makeClient();
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = client.subscribe('public', first);
    const offSecond = client.subscribe('public', second);
    const socket = latest();
    socket.serverAccepts();

    offFirst();
    expect(socket.sent).toHaveLength(1); // 'public' still has a handler
    socket.receive({ type: 'event', channel: 'public', event: {} });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledOnce();

    offSecond();
    expect(socket.sent.at(-1)).toEqual({ type: 'unsubscribe', channels: ['public'] });

    socket.serverDrops();
    vi.advanceTimersByTime(100);
    latest().serverAccepts();
    expect(latest().sent).toEqual([]); // nothing left to resubscribe
  });

  it('keeps delivering to other handlers when one throws', () => {
    const client = makeClient();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = vi.fn();
    client.subscribe('public', () => {
      throw new Error('boom');
    });
    client.subscribe('public', good);
    latest().serverAccepts();
    latest().receive({ type: 'event', channel: 'public', event: {} });
    expect(good).toHaveBeenCalledOnce();
  });

  it('reports status changes and stops reconnecting after close()', () => {
    const client = makeClient();
    const statuses: LiveStatus[] = [];
    client.onStatus((s) => statuses.push(s));
    client.connect();
    latest().serverAccepts();
    latest().serverDrops();
    client.close();
    vi.advanceTimersByTime(10_000);

    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(statuses).toEqual(['closed', 'connecting', 'open', 'closed']);
  });

  it('reconnects at once on reconnectNow() instead of waiting out the back-off', () => {
    const client = makeClient();
    client.connect();
    latest().serverDrops();
    client.reconnectNow();
    expect(FakeWebSocket.instances).toHaveLength(2);
  });
});

describe('defaultLiveUrl', () => {
  it('uses the page origin and a matching scheme', () => {
    expect(defaultLiveUrl({ protocol: 'https:', host: 'media.example' })).toBe(
      'wss://media.example/api/ws',
    );
    expect(defaultLiveUrl({ protocol: 'http:', host: '127.0.0.1:5173' })).toBe(
      'ws://127.0.0.1:5173/api/ws',
    );
  });
});

describe('live client authentication', () => {
  it('sends the token before subscribing, so private channels are allowed', () => {
    const client = makeClient();
    client.setAccessToken('tok-1');
    client.subscribe('user:42', () => {});
    latest().serverAccepts();
    expect(latest().sent).toEqual([
      { type: 'auth', token: 'tok-1' },
      { type: 'subscribe', channels: ['user:42'] },
    ]);
  });

  it('re-authenticates the open socket when the token is refreshed', () => {
    const client = makeClient();
    client.setAccessToken('tok-1');
    client.subscribe('public', () => {});
    const socket = latest();
    socket.serverAccepts();
    client.setAccessToken('tok-2');
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(socket.sent.at(-1)).toEqual({ type: 'auth', token: 'tok-2' });
  });

  it('reconnects when signing in or out, and resubscribes under the new identity', () => {
    const client = makeClient();
    client.subscribe('public', () => {});
    const anonymous = latest();
    anonymous.serverAccepts();
    client.setAccessToken('tok-1'); // signed in
    expect(anonymous.readyState).toBe(3);
    const signedIn = latest();
    expect(signedIn).not.toBe(anonymous);
    signedIn.serverAccepts();
    expect(signedIn.sent).toEqual([
      { type: 'auth', token: 'tok-1' },
      { type: 'subscribe', channels: ['public'] },
    ]);
    client.setAccessToken(null); // signed out
    const again = latest();
    expect(again).not.toBe(signedIn);
    again.serverAccepts();
    expect(again.sent).toEqual([{ type: 'subscribe', channels: ['public'] }]);
  });

  it('asks for a fresh token when the server closes with 4001', () => {
    const onUnauthorized = vi.fn();
    const client = createLiveClient({
      url: 'ws://test/api/ws',
      WebSocketImpl: FakeWebSocket,
      onUnauthorized,
    });
    client.setAccessToken('expired');
    client.subscribe('public', () => {});
    const socket = latest();
    socket.serverAccepts();
    socket.readyState = 3;
    socket.onclose?.(new CloseEvent('close', { code: 4001 }));
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('does not reconnect after an idle close (4008) until something subscribes', () => {
    const client = makeClient();
    client.connect();
    const idle = latest();
    idle.serverAccepts();
    idle.readyState = 3;
    idle.onclose?.(new CloseEvent('close', { code: 4008 }));
    expect(client.status).toBe('idle'); // not an outage: nothing was being listened to
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    client.subscribe('public', () => {});
    const next = latest();
    expect(next).not.toBe(idle);
    next.serverAccepts();
    expect(next.sent).toEqual([{ type: 'subscribe', channels: ['public'] }]);
  });
});
