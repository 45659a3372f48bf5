"""PostgreSQL restarted in the middle of a bounded stream of submissions (issue 8 item 5).

A private PostgreSQL cluster (`tests.security.servers.PrivateCluster`: its own data directory, port
and socket, fsync on; never the shared server the other tests use) is migrated, and gunicorn serves
the platform against it as deployed (DEBUG off). Client threads stream `SUBMISSIONS` complaints to
`POST /api/v1/complaints/` on loopback, each with its own `Idempotency-Key`, retrying a 503 or a
broken connection with the same key (bounded attempts and time). In the middle of the stream
PostgreSQL is restarted twice: `pg_ctl restart -m fast` (clean shutdown) and `pg_ctl restart -m
immediate` (the crash case: the postmaster and every backend are killed, WAL recovery at start).

Then, counted in the database itself: every acknowledged submission (201, or 200 for a retry whose
first answer was lost) is there once, under the reference the client was given; nothing was stored
twice; every answer while the database was away was a 503 with `Retry-After`, never a 500.
Figures: `test-artifacts/security/database_restart.json`.

Where it runs: it needs no test database (it brings its own servers), so it is marked `processes`
and runs once per `make test`: in the SQLite pass when no PostgreSQL pass follows (a machine without
DATABASE_URL), otherwise alone in the `-m processes` PostgreSQL pass (the Makefile deselects
`processes` from the SQLite pass then). It is skipped only where PostgreSQL's server binaries are
missing, saying so.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from .servers import Gunicorn, PrivateCluster, postgres_binaries_missing, prepare_database

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "security"
SUBMISSIONS = 240
CLIENTS = 6
#: Per submission: at most this many attempts, within this many seconds.
MAX_ATTEMPTS = 60
SUBMISSION_DEADLINE = 45.0
#: The `Retry-After` the server announces while the database is away (the clients honour it).
RETRY_AFTER = 1

pytestmark = [pytest.mark.processes, pytest.mark.slow]


def _payload(subject: str, n: int) -> str:
    return json.dumps(
        {
            "administration": "fault-x",
            "kind": "complaint",
            "subject": subject,
            "description": f"Demande numéro {n} restée sans réponse depuis janvier, malgré deux relances.",
            "first_name": "Amina",
            "last_name": "El Idrissi",
            "id_type": "cin",
            "id_number": "AB123456",
            "email": f"stream{n}@example.ma",
            "consent": True,
        }
    )


class Stream:
    """The clients: `CLIENTS` threads sharing `SUBMISSIONS` numbered submissions."""

    def __init__(self, base_url: str, subject: str):
        self.url = f"{base_url}/api/v1/complaints/"
        self.subject = subject
        self.todo = list(range(SUBMISSIONS))
        self.lock = threading.Lock()
        self.keys: dict[int, str] = {}
        self.acknowledged: dict[str, str] = {}  # key -> reference
        self.statuses: Counter = Counter()
        self.unavailable_at: list[float] = []  # when each 503 arrived (monotonic)
        self.connection_errors = 0
        self.retries = 0
        self.missing_retry_after = 0
        self.unexpected: list[str] = []
        self.abandoned: list[int] = []
        self.threads = [threading.Thread(target=self._client, daemon=True) for _ in range(CLIENTS)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def join(self, timeout: float):
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(timeout=max(0.1, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in self.threads)

    @property
    def acknowledged_count(self) -> int:
        return len(self.acknowledged)

    def _client(self):
        import requests

        session = requests.Session()
        while True:
            with self.lock:
                if not self.todo:
                    return
                n = self.todo.pop(0)
                key = self.keys[n] = str(uuid.uuid4())
            self._submit(session, n, key, _payload(self.subject, n))

    def _submit(self, session, n: int, key: str, body: str):
        import requests

        headers = {"Content-Type": "application/json", "Idempotency-Key": key, "Accept-Language": "fr"}
        deadline = time.monotonic() + SUBMISSION_DEADLINE
        for attempt in range(MAX_ATTEMPTS):
            if time.monotonic() > deadline:
                break
            if attempt:
                with self.lock:
                    self.retries += 1
            try:
                response = session.post(self.url, data=body, headers=headers, timeout=20)
            except requests.RequestException:
                with self.lock:
                    self.connection_errors += 1
                session.close()  # a fresh connection for the retry
                time.sleep(0.2)
                continue
            with self.lock:
                self.statuses[response.status_code] += 1
            if response.status_code in (200, 201):
                with self.lock:
                    self.acknowledged[key] = response.json()["reference"]
                return
            if response.status_code == 503:
                with self.lock:
                    self.unavailable_at.append(time.monotonic())
                retry_after = response.headers.get("Retry-After", "")
                if not retry_after.isdigit() or int(retry_after) <= 0:
                    with self.lock:
                        self.missing_retry_after += 1
                time.sleep(min(int(retry_after) if retry_after.isdigit() else RETRY_AFTER, 5))
                continue
            with self.lock:  # anything else is a failure; still retried, to count losses
                self.unexpected.append(f"#{n} attempt {attempt}: {response.status_code} {response.text[:300]}")
            time.sleep(0.2)
        with self.lock:
            self.abandoned.append(n)


@pytest.fixture
def cluster():
    reason = postgres_binaries_missing()
    if reason:
        pytest.skip(f"no private PostgreSQL cluster: {reason}")
    cluster = PrivateCluster()
    try:
        cluster.start_new()
        yield cluster
    finally:
        cluster.stop()
    assert not cluster.root.exists()


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_postgresql_restarted_mid_stream_loses_and_duplicates_nothing_acknowledged(cluster, tmp_path):
    began = time.monotonic()
    subject = prepare_database(cluster.url)
    server = Gunicorn(
        cluster.url,
        log=tmp_path / "gunicorn.log",
        API_THROTTLE_SUBMIT="1000000/min",
        DATABASE_UNAVAILABLE_RETRY_AFTER=str(RETRY_AFTER),
        LOG_LEVEL="WARNING",  # the middleware logs each outage it answers with a 503
    )
    figures: dict = {"submissions": SUBMISSIONS, "clients": CLIENTS}
    restarts: list[dict] = []
    try:
        server.start()
        stream = Stream(server.url, subject)
        stream.start()
        for mode, fraction in (("fast", 1 / 3), ("immediate", 2 / 3)):
            reached = _wait_for(lambda f=fraction: stream.acknowledged_count >= SUBMISSIONS * f, timeout=60)
            assert reached, f"the stream stalled before the {mode} restart: {stream.statuses}\n{server.log()}"
            acknowledged_before = stream.acknowledged_count
            down_at = time.monotonic()
            seconds = cluster.restart(mode)
            back_at = time.monotonic()
            restarts.append(
                {
                    "mode": mode,
                    "acknowledged_before": acknowledged_before,
                    "acknowledged_when_back": stream.acknowledged_count,
                    "pg_ctl_seconds": round(seconds, 2),
                    "window": (down_at, back_at),
                }
            )
        finished = stream.join(timeout=90)
        assert finished, f"the clients did not finish: {stream.statuses}, {stream.acknowledged_count} acknowledged"
    finally:
        server.stop()

    rows = cluster.query("SELECT idempotency_key, reference FROM cases_case")
    # The acknowledgement email of each case: queued once, in the same transaction as the case
    # (sent by the worker, or by the retry sweep if the answer to the commit was lost).
    emails = dict(
        cluster.query(
            "SELECT subject_ref, count(*) FROM notifications_notification "
            "WHERE channel = 'email' AND template = 'case_received' GROUP BY subject_ref"
        )
    )
    stored_by_key = Counter(key for key, _ in rows)
    reference_of = dict(rows)
    acknowledged = stream.acknowledged
    windows = [restart.pop("window") for restart in restarts]
    for n, (restart, (down_at, back_at)) in enumerate(zip(restarts, windows, strict=True)):
        # 503s answered while pg_ctl was restarting, and in the 10 s after it was back (until the
        # next restart): there, only a stale persistent connection would fail, which
        # CONN_HEALTH_CHECKS (config/settings.py) prevents.
        until = min(back_at + 10, windows[n + 1][0] if n + 1 < len(windows) else back_at + 10)
        restart["answers_503_during"] = sum(down_at <= t <= back_at for t in stream.unavailable_at)
        restart["answers_503_after_back"] = sum(back_at < t < until for t in stream.unavailable_at)
    lost = [key for key, reference in acknowledged.items() if reference_of.get(key) != reference]
    duplicated = sum(count - 1 for count in stored_by_key.values()) + len(
        set(stored_by_key) - set(stream.keys.values())
    )
    figures.update(
        {
            "postgres_restarts": restarts,
            "acknowledged": len(acknowledged),
            "acknowledged_by_a_retry_200": stream.statuses[200],
            "rows_in_database": len(rows),
            "lost": len(lost),
            "duplicated": duplicated,
            "acknowledgement_emails_queued": sum(emails.values()),
            "cases_without_exactly_one_acknowledgement_email": sum(emails.get(ref, 0) != 1 for _, ref in rows),
            "answers_by_status": {str(code): count for code, count in sorted(stream.statuses.items())},
            "answers_503": stream.statuses[503],
            "answers_5xx_other_than_503": sum(c for code, c in stream.statuses.items() if code >= 500 and code != 503),
            "answers_503_without_retry_after": stream.missing_retry_after,
            "connection_errors": stream.connection_errors,
            "client_retries": stream.retries,
            "abandoned": len(stream.abandoned),
            "unexpected_answers": stream.unexpected[:20],
            "seconds": round(time.monotonic() - began, 1),
        }
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "database_restart.json").write_text(json.dumps(figures, indent=2, sort_keys=True))

    assert stream.unexpected == [], "\n".join(stream.unexpected[:20]) + "\n" + server.log()
    assert figures["answers_503_without_retry_after"] == 0
    assert stream.abandoned == []
    assert len(acknowledged) == SUBMISSIONS
    assert lost == []
    assert duplicated == 0
    assert len(rows) == SUBMISSIONS
    assert figures["cases_without_exactly_one_acknowledgement_email"] == 0
    # The restarts were seen by the clients (else this test proves nothing about them).
    assert stream.statuses[503] + stream.connection_errors > 0, figures
