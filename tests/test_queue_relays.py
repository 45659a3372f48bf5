"""The relays of tables that are their own queue (ADR 0060, `tawasul.core.queue_relays`): the
workers run the relays of the queues they serve, a full batch is followed at once by the next,
one failing batch does not stop a relay, and leaving a worker stops its relay thread."""

from __future__ import annotations

import threading
import time

from tawasul.core.queue_relays import RELAY_BATCH, Relay, drain, relay_once, relaying, relays_served


class Counting:
    """A relay's `send_due` that hands out the given batch sizes, then nothing."""

    def __init__(self, *sizes: int) -> None:
        self.sizes = list(sizes)
        self.calls = 0
        self.called = threading.Event()

    def __call__(self, limit: int) -> int:
        self.calls += 1
        self.called.set()
        return min(limit, self.sizes.pop(0)) if self.sizes else 0


def test_the_outbox_is_relayed_by_the_workers_of_its_queue_only():
    assert [relay.queue_name for relay in relays_served(["*"])] == ["notifications"]
    assert [relay.queue_name for relay in relays_served(["default", "notifications"])] == ["notifications"]
    assert relays_served(["sweeps"]) == []
    assert relays_served(["*"], ["notifications"]) == []


def test_a_full_batch_is_followed_by_the_next_until_one_is_not_full():
    send_due = Counting(RELAY_BATCH, RELAY_BATCH, 3, RELAY_BATCH)
    drain([Relay("q", send_due)])
    assert send_due.calls == 3


def test_a_failing_batch_is_logged_and_the_other_relays_still_run(caplog):
    def broken(limit: int) -> int:
        raise RuntimeError("mail server on fire")

    working = Counting(5)
    assert relay_once([Relay("a", broken), Relay("b", working)]) == 5
    assert "relay a failed" in caplog.text and "mail server on fire" in caplog.text


def test_the_thread_relays_while_the_worker_runs_and_stops_with_it():
    send_due = Counting(RELAY_BATCH, RELAY_BATCH, 2)
    started = time.monotonic()
    with relaying([Relay("q", send_due)], interval=60):
        deadline = time.monotonic() + 10
        while send_due.calls < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert send_due.calls == 3  # full batches at once; then it waits its interval
    assert time.monotonic() - started < 10  # leaving the block ended the wait
    assert not [thread for thread in threading.enumerate() if thread.name == "queue-relays"]


def test_a_worker_that_serves_no_relayed_queue_starts_no_thread():
    with relaying([], interval=0.01):
        assert not [thread for thread in threading.enumerate() if thread.name == "queue-relays"]


def test_a_leaving_worker_stops_its_relay_between_two_rows():
    from tawasul.core.queue_relays import stopping

    in_batch = threading.Event()
    seen = []

    def send_due(limit: int) -> int:
        in_batch.set()
        while not stopping():  # a long batch, row after row
            time.sleep(0.01)
        seen.append("stopped between rows")
        return limit

    with relaying([Relay("q", send_due)], interval=60):
        assert in_batch.wait(10)
    assert seen == ["stopped between rows"] and not stopping()
