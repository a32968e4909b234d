/** A live client for component tests: records subscriptions and lets the test push events. */
import { act } from '@testing-library/react';

import type { EventHandler, LiveClient } from '../lib/live';

export function fakeLive() {
  const handlers = new Map<string, EventHandler>();
  const client: LiveClient = {
    status: 'open',
    subscribe: (channel, handler) => {
      handlers.set(channel, handler);
      return () => handlers.delete(channel);
    },
    onStatus: (listener) => {
      listener('open');
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
