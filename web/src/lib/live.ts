/**
 * Client for the live events WebSocket at /api/ws.
 *
 * Protocol (JSON text frames):
 *   server → {"type":"hello"} on connect
 *   client → {"type":"auth","token":"<access token>"} first, when signed in (again on refresh)
 *   client → {"type":"subscribe","channels":["public", …]}
 *   client → {"type":"unsubscribe","channels":[…]} when the last local handler of a channel leaves
 *   server → {"type":"event","channel":"public","event":{…}}
 *
 * Subscriptions live on the server only as long as the connection, so the client keeps the
 * authoritative list and replays it after every reconnect. Reconnects back off exponentially
 * (capped) with jitter, so a restarting server is not hammered by every open tab at once.
 */

/** 'idle': closed by the server because nothing was subscribed; the next subscribe reopens. */
export type LiveStatus = 'connecting' | 'open' | 'closed' | 'idle';
export type LiveEvent = Record<string, unknown>;
export type EventHandler = (event: LiveEvent, channel: string) => void;
export type StatusListener = (status: LiveStatus) => void;

/** The part of the browser WebSocket this module uses; tests inject a fake implementing it. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketConstructor = new (url: string) => SocketLike;

export interface LiveClientOptions {
  /** Absolute ws:// or wss:// URL; defaults to /api/ws on the page's own origin. */
  url?: string;
  /** The WebSocket class; injectable so tests can run without a server. */
  WebSocketImpl?: SocketConstructor;
  /** First reconnect delay. */
  minDelayMs?: number;
  /** Upper bound of the reconnect delay, however many attempts failed. */
  maxDelayMs?: number;
  /** Source of jitter in [0, 1); injectable for deterministic tests. */
  random?: () => number;
  /** Called when the server closes the socket for a bad or expired token (code 4001). */
  onUnauthorized?: () => void;
}

export interface LiveClient {
  /** Routes events of `channel` to `handler`; returns the function that undoes it. */
  subscribe(channel: string, handler: EventHandler): () => void;
  /** Calls `listener` now with the current status and on every change; returns an unsubscriber. */
  onStatus(listener: StatusListener): () => void;
  /** Current connection state. */
  readonly status: LiveStatus;
  /** Opens the connection if it is not open or pending already (subscribe() does this too). */
  connect(): void;
  /** Skips the remaining back-off wait, e.g. when the browser reports it is online again. */
  reconnectNow(): void;
  /** Closes the connection for good: no more reconnects. */
  close(): void;
  /**
   * The access token to authenticate with (null: anonymous). A refreshed token for the same
   * session is sent on the open socket; signing in or out reconnects, so private channels are
   * subscribed under the new identity.
   */
  setAccessToken(token: string | null): void;
}

const OPEN = 1; // WebSocket.OPEN, spelled out so fakes need not define the constant.
const CLOSE_UNAUTHORIZED = 4001;
/** The server closes a socket that neither authenticated nor subscribed within ~10 s. */
const CLOSE_IDLE = 4008;

export function defaultLiveUrl(
  location: Pick<Location, 'protocol' | 'host'> = window.location,
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/ws`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createLiveClient(options: LiveClientOptions = {}): LiveClient {
  const { minDelayMs = 500, maxDelayMs = 30_000, random = Math.random } = options;
  const handlers = new Map<string, Set<EventHandler>>();
  const statusListeners = new Set<StatusListener>();
  let socket: SocketLike | null = null;
  let status: LiveStatus = 'closed';
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let started = false;
  let stopped = false;
  let token: string | null = null;

  function setStatus(next: LiveStatus): void {
    if (next === status) return;
    status = next;
    for (const listener of [...statusListeners]) listener(next);
  }

  function send(message: { type: string; channels?: string[]; token?: string }): void {
    // Before the socket opens there is nothing to do: onopen sends the full channel list.
    if (socket?.readyState === OPEN) socket.send(JSON.stringify(message));
  }

  function dispatch(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return; // Not ours to interpret; a bad frame must not kill the connection.
    }
    if (!isRecord(message) || message.type !== 'event' || typeof message.channel !== 'string') {
      return;
    }
    const { channel } = message;
    const event = isRecord(message.event) ? message.event : {};
    for (const handler of [...(handlers.get(channel) ?? [])]) {
      try {
        handler(event, channel);
      } catch (error) {
        // One broken page handler must not starve the others of events.
        console.error(`live: handler for "${channel}" threw`, error);
      }
    }
  }

  function scheduleReconnect(): void {
    const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** attempt);
    attempt = Math.min(attempt + 1, 30); // keeps 2 ** attempt finite
    // "Equal jitter": at least half the ceiling, so delays still grow, but spread out.
    const delay = ceiling / 2 + (random() * ceiling) / 2;
    retryTimer = setTimeout(open, delay);
  }

  function open(): void {
    retryTimer = undefined;
    if (stopped) return;
    setStatus('connecting');
    const WebSocketImpl = options.WebSocketImpl ?? globalThis.WebSocket;
    let ws: SocketLike;
    try {
      ws = new WebSocketImpl(options.url ?? defaultLiveUrl());
    } catch (error) {
      console.error('live: cannot create WebSocket', error);
      setStatus('closed');
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setStatus('open');
      // The server handles messages in order, so auth is done before the subscribe is read.
      if (token) send({ type: 'auth', token });
      const channels = [...handlers.keys()];
      if (channels.length > 0) send({ type: 'subscribe', channels });
    };
    ws.onmessage = (ev) => dispatch(ev.data);
    // Errors are always followed by close, which is where reconnecting happens.
    ws.onerror = () => {};
    ws.onclose = (ev) => {
      if (socket !== ws) return; // a socket we already replaced or closed on purpose
      socket = null;
      setStatus('closed');
      if (ev?.code === CLOSE_UNAUTHORIZED && token) options.onUnauthorized?.();
      if (ev?.code === CLOSE_IDLE) {
        started = false; // nothing to listen to: the next subscribe() connects again
        setStatus('idle');
        return;
      }
      if (!stopped) scheduleReconnect();
    };
  }

  function connect(): void {
    if (started || stopped) return;
    started = true;
    open();
  }

  return {
    get status() {
      return status;
    },

    subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        send({ type: 'subscribe', channels: [channel] });
      }
      set.add(handler);
      connect();
      return () => {
        const current = handlers.get(channel);
        if (!current?.delete(handler) || current.size > 0) return;
        handlers.delete(channel);
        send({ type: 'unsubscribe', channels: [channel] });
      };
    },

    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => {
        statusListeners.delete(listener);
      };
    },

    connect,

    reconnectNow() {
      if (retryTimer === undefined || stopped) return;
      clearTimeout(retryTimer);
      open();
    },

    setAccessToken(next) {
      const previous = token;
      token = next;
      if (next === previous || !started || stopped) return;
      if (previous && next && socket?.readyState === OPEN) {
        send({ type: 'auth', token: next });
        return;
      }
      // Identity changed (or the socket is not open): start over with the new credentials.
      clearTimeout(retryTimer);
      const ws = socket;
      socket = null;
      ws?.close();
      attempt = 0;
      open();
    },

    close() {
      stopped = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      const ws = socket;
      socket = null;
      ws?.close();
      setStatus('closed');
    },
  };
}

let shared: LiveClient | undefined;
let unauthorizedHook: (() => void) | undefined;

/** What the page-wide client does when the server refuses its token (the app refreshes it). */
export function setUnauthorizedHook(hook: () => void): void {
  unauthorizedHook = hook;
}

/** The page-wide client: one socket per tab, however many components listen. */
export function getLiveClient(): LiveClient {
  if (!shared) {
    // A separately hosted API (VITE_API_BASE) has its WebSocket there too.
    const apiBase = import.meta.env.VITE_API_BASE as string | undefined;
    const client = createLiveClient({
      url: apiBase ? `${apiBase.replace(/^http/, 'ws').replace(/\/$/, '')}/api/ws` : undefined,
      onUnauthorized: () => unauthorizedHook?.(),
    });
    // Coming back online is the moment a reconnect will work; don't sit out the back-off.
    window.addEventListener('online', () => client.reconnectNow());
    shared = client;
  }
  return shared;
}

/** Subscribes to `channel` on the page-wide client. */
export function subscribe(channel: string, handler: EventHandler): () => void {
  return getLiveClient().subscribe(channel, handler);
}
