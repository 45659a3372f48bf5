"""Tables that are their own queue, relayed by the task workers (ADR 0060).

A row that already says what is due and when (the notification outbox: status, next attempt,
claim time) needs no task row beside it to be worked on: the workers that serve its queue ask
the table itself for what is due, a bounded batch at a time. An app registers its relay in its
`AppConfig.ready()`; `manage.py db_worker` runs the relays of the queues it serves, in a thread
beside the task loop (so a long sweep never holds them up), and once more until nothing is left
in `--batch` mode (the tests' `run_tasks`).

A relay's `send_due(limit)` handles at most `limit` due rows and returns how many it handled. It
must be safe when several workers call it at once (claim each row with a conditional UPDATE),
and stop between two rows once `stopping()` is true (the worker is leaving).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import OperationalError, close_old_connections, connections

logger = logging.getLogger(__name__)

#: Rows a relay handles per call: a full batch means more may be due, so it is called again at
#: once; fewer, and the relay waits for the worker's `--interval`.
RELAY_BATCH = 100


@dataclass(frozen=True)
class Relay:
    queue_name: str
    send_due: Callable[[int], int]


_RELAYS: dict[str, Relay] = {}
#: Set while a worker's relay thread is being stopped.
_STOPPING = threading.Event()


def stopping() -> bool:
    """True once the worker is leaving: a relay stops between two rows."""
    return _STOPPING.is_set()


def register_relay(queue_name: str, send_due: Callable[[int], int]) -> None:
    """Have the workers that serve `queue_name` call `send_due(limit)` (idempotent)."""
    _RELAYS[queue_name] = Relay(queue_name, send_due)


def relays_served(queue_names: list[str], excluded: list[str] = ()) -> list[Relay]:
    """The relays of the queues a worker serves (`*`: every queue, less the excluded ones)."""
    every = "*" in queue_names
    return [relay for name, relay in sorted(_RELAYS.items()) if (every or name in queue_names) and name not in excluded]


def relay_once(relays: list[Relay], limit: int = RELAY_BATCH) -> int:
    """One bounded batch of each relay; returns the most rows any of them handled. A database
    that is locked (SQLite, another writer) or an error is logged and tried again next time."""
    most = 0
    for relay in relays:
        try:
            most = max(most, relay.send_due(limit))
        except OperationalError as exc:
            logger.warning("relay %s: %s", relay.queue_name, exc)
        except Exception:  # a relay must outlive one bad batch; its rows stay due
            logger.exception("relay %s failed", relay.queue_name)
    return most


def drain(relays: list[Relay], limit: int = RELAY_BATCH) -> None:
    """Relay until every relay handles less than a full batch (`db_worker --batch`)."""
    while relays and relay_once(relays, limit) >= limit:
        pass


@contextmanager
def relaying(relays: list[Relay], interval: float) -> Iterator[None]:
    """Run the relays in a thread for the duration of the block: a batch, then another at once
    if it was full, else a wait of `interval` seconds. On leaving the block the thread finishes
    the row it is on (`stopping()`: claimed rows are sent and recorded) and stops."""
    if not relays:
        yield
        return
    stop = threading.Event()

    def run() -> None:
        try:
            while not stop.is_set():
                close_old_connections()
                if relay_once(relays) < RELAY_BATCH:
                    stop.wait(interval)
        finally:
            connections.close_all()

    # A daemon: the autoreloader's child leaves with `sys.exit` and must not wait for it.
    thread = threading.Thread(target=run, name="queue-relays", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        _STOPPING.set()
        thread.join(timeout=30)
        _STOPPING.clear()
