import { createContext, useContext, useEffect, useRef, useState } from 'react';

import { getLiveClient, type EventHandler, type LiveClient, type LiveStatus } from './live';

/** Lets tests (and, later, stories) hand components a fake client; the app uses the shared one. */
export const LiveClientContext = createContext<LiveClient | null>(null);

export function useLiveClient(): LiveClient {
  return useContext(LiveClientContext) ?? getLiveClient();
}

/** The connection state, for indicators; mounting it opens the connection. */
export function useLiveStatus(): LiveStatus {
  const client = useLiveClient();
  const [status, setStatus] = useState<LiveStatus>(client.status);
  useEffect(() => {
    client.connect();
    return client.onStatus(setStatus);
  }, [client]);
  return status;
}

/** Calls `handler` for each event on `channel` while the component is mounted (null: none). */
export function useLiveEvents(channel: string | null, handler: EventHandler): void {
  const client = useLiveClient();
  // The latest handler is read through a ref so an inline arrow does not resubscribe every render.
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(
    () =>
      channel === null
        ? undefined
        : client.subscribe(channel, (event, ch) => handlerRef.current(event, ch)),
    [client, channel],
  );
}
