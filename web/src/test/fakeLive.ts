/** A live client for component tests: records subscriptions and lets the test push events. */
import { act } from '@testing-library/react';

import type { EventHandler, LiveClient, LiveStatus } from '../lib/live';

/** Never touches the network; reports `status` to every status listener. */
export function fakeLive(status: LiveStatus = 'open') {
  const handlers = new Map<string, EventHandler>();
  const client: LiveClient = {
    status,
    subscribe: (channel, handler) => {
      handlers.set(channel, handler);
      return () => handlers.delete(channel);
    },
    onStatus: (listener) => {
      listener(status);
      return () => {};
    },
    connect: () => {},
    reconnectNow: () => {},
    close: () => {},
    setAccessToken: () => {},
  };
  const push = (channel: string, event: Record<string, unknown>) =>
    act(() => handlers.get(channel)?.(event, channel));
  return { client, push };
}
