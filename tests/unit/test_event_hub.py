"""The API process's event fan-out: one serialization per event, bounded inboxes."""

from __future__ import annotations

import json

from mediahub.core.events import REDIS_PREFIX, SUBSCRIBER_QUEUE_SIZE, EventHub, Subscription


def _hub() -> EventHub:
    return EventHub(redis=None)  # type: ignore[arg-type] - _dispatch never touches Redis


def test_every_subscriber_gets_the_same_message_serialized_once() -> None:
    hub = _hub()
    subs = [Subscription() for _ in range(3)]
    for sub in subs:
        hub.subscribe(sub, "public")
    other = Subscription()
    hub.subscribe(other, "user:1")
    hub._dispatch((REDIS_PREFIX + "public").encode(), b'{"type": "photo.published", "id": "x"}')
    deliveries = [sub.queue.get_nowait() for sub in subs]
    assert all(d is deliveries[0] for d in deliveries)
    assert json.loads(deliveries[0].text) == {
        "type": "event", "channel": "public",
        "event": {"type": "photo.published", "id": "x"}}
    assert other.queue.empty()


def test_a_client_that_cannot_keep_up_is_marked_not_waited_for() -> None:
    hub = _hub()
    sub = Subscription()
    hub.subscribe(sub, "public")
    for n in range(SUBSCRIBER_QUEUE_SIZE + 1):
        hub._dispatch(REDIS_PREFIX + "public", json.dumps({"type": "t", "n": n}))
    assert sub.overflowed
    assert sub.queue.qsize() == SUBSCRIBER_QUEUE_SIZE


def test_malformed_events_are_dropped() -> None:
    hub = _hub()
    sub = Subscription()
    hub.subscribe(sub, "public")
    hub._dispatch(REDIS_PREFIX + "public", "not json")
    assert sub.queue.empty()
