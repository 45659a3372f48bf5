"""Run the benchmarks (issue 7) against gunicorn on loopback, with the baselines in the same run.

    python -m bench.run                    # quick: 20,000 complaints, SQLite then PostgreSQL
    FULL=1 python -m bench.run             # 211,644 complaints (+ statistics at 2,116,440)
    python -m bench.run --db sqlite        # one database only

Method (bench/README.md, BENCHMARKING.md): for each database a gunicorn server (2 sync workers
on SQLite, 2 gthread workers × 4 threads on PostgreSQL, DEBUG off) serves the platform and the
baseline views; a bounded load generator (threads + http.client, fixed duration, capped count)
drives them A B A B: every repetition runs the baseline then the scenario, taking turns slice by
slice (1 s each, `BENCH_SLICE_SECONDS`), and results are the medians of the per-repetition
ratios. Server CPU per request is the workers' (and, on PostgreSQL, this database's backends')
utime+stime delta from /proc divided by the requests served.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench import common, footprint, timing

PY = sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1
#: Hard cap on requests per measurement, whatever the duration (every loop is bounded).
MAX_REQUESTS = 200_000
#: A repetition of the throughput scenarios is cut into slices of this many seconds, the paths
#: taking turns at each slice (`throughput_scenarios`). This machine's speed moves by a third from
#: one second to the next (a bare INSERT view served 420 to 920 requests a second in consecutive
#: 1 s slices): a path measured 6 s after its baseline met another machine. 0: one slice.
SLICE_SECONDS = float(os.environ.get("BENCH_SLICE_SECONDS", "1"))
BASELINE_ROWS = 1000
SUBMISSION = {
    "kind": "complaint",
    "description": "لم أتوصل بشهادة الإقامة رغم مرور شهرين على إيداع الطلب.",
    "first_name": "أمينة",
    "last_name": "الإدريسي",
    "complainant_type": "citizen",
    "id_type": "cin",
    "id_number": "ab123456",
    "email": "Amina@Example.MA",
    "phone": "0612345678",
    "is_confidential": False,
    "place_address": "الرباط",
    "language": "ar",
    "consent": True,
}


#: Seconds per repetition of a quick run: 3 repetitions of 9 paths, on two databases, fit
#: `make bench` in under 10 minutes with its data sets and scenarios 3, 6, 7 (issue 7).
QUICK_SECONDS = 6.0


def log(message: str) -> None:
    # UTC, whether or not this process has set Django up (which moves the local time to Morocco's).
    sys.stderr.write(f"[{datetime.now(UTC):%H:%M:%S}Z] {message}\n")
    sys.stderr.flush()


# --- Processes and CPU ------------------------------------------------------------------------


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _postgres_backends(dbname: str) -> list[int]:
    """This database's backends (their cmdline names it), not other users' of the server."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if cmdline.startswith(b"postgres: ") and f" {dbname} ".encode() in cmdline:
            pids.append(int(entry.name))
    return pids


def worker_config(db: str) -> tuple[list[str], int]:
    """gunicorn's workers and the number of client threads. By default 2 sync workers and 4
    clients on SQLite, 2 gthread workers × 4 threads and 8 clients on PostgreSQL;
    `BENCH_WORKERS=sync:4` or `gthread:2:4` and `BENCH_CLIENTS=N` try another deployment."""
    spec = os.environ.get("BENCH_WORKERS") or ("sync:2" if db == "sqlite" else "gthread:2:4")
    kind, workers, *threads = spec.split(":")
    args = ["-w", workers, "-k", kind] + (["--threads", threads[0]] if threads else [])
    default_clients = 4 if db == "sqlite" else 8
    return args, int(os.environ.get("BENCH_CLIENTS") or default_clients)


class Server:
    def __init__(self, db: str, label: str, tree: Path | None = None):
        self.db, self.label = db, label
        self.tree = tree or common.BASE_DIR  # `--ab`: another checkout's code on the same data
        self.env = common.bench_environ(db, label)
        self.env["STATIC_ROOT"] = str(common.VAR / "static")
        self.env["BENCH_SERVER_TIMING"] = "1"  # bench/timing.py: server-side time per request
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.worker_args, self.clients = worker_config(db)
        self.proc = None

    def start(self) -> None:
        cmd = [PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{self.port}", *self.worker_args]
        cmd += ["--backlog", "256", "--log-level", "warning", "--timeout", "60"]
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=self.tree)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/bench/hello")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited at start")
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def memory(self) -> dict:
        """The web tier's memory now (bench/footprint.py): gunicorn's master and its workers."""
        return footprint.server_memory(self.proc.pid, _children(self.proc.pid))

    def pids(self) -> list[int]:
        pids = _children(self.proc.pid)
        if self.db == "postgres":
            pids += _postgres_backends(common.database_name(self.label))
        return pids

    def cpu_ticks(self) -> dict[int, int]:
        return {pid: _ticks(pid) for pid in self.pids()}


# --- The load generator -----------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def drive(server: Server, make_request, *, expect: int, seconds: float, clients: int, max_requests: int) -> dict:
    """Send requests from `clients` threads for `seconds` (and at most `max_requests`)."""
    return report(
        [measure(server, make_request, expect=expect, seconds=seconds, clients=clients, max_requests=max_requests)]
    )


def measure(server: Server, make_request, *, expect: int, seconds: float, clients: int, max_requests: int) -> dict:
    """`drive`'s raw measurements (every latency), which `report` sums up, one or several."""
    latencies: list[float] = []
    server_ms: list[float] = []  # the worker's own time per request (Server-Timing, bench/timing.py)
    errors: list[str] = []
    counter = iter(range(max_requests))
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        mine, mine_server = [], []
        while time.monotonic() < stop_at:
            with lock:
                if next(counter, None) is None:
                    break
            method, path, body, headers = make_request(rng)
            began = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                app_ms, _cpu_ms = timing.parse(response.getheader("Server-Timing"))
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                errors.append(type(exc).__name__)
                continue
            mine.append(time.perf_counter() - began)
            if app_ms is not None:
                mine_server.append(app_ms / 1000)
            if response.status != expect and len(errors) < 10_000:
                errors.append(str(response.status))
        conn.close()
        with lock:
            latencies.extend(mine)
            server_ms.extend(mine_server)

    load = os.getloadavg()[0]
    before = server.cpu_ticks()
    client_before = os.times()
    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(seed + 1000 * int(started),)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    after = server.cpu_ticks()
    client_after = os.times()
    return {
        "latencies": latencies,
        "server_ms": server_ms,
        "errors": errors,
        "elapsed": elapsed,
        "ticks": sum(after[pid] - before.get(pid, 0) for pid in after),
        "client_cpu": (client_after.user - client_before.user) + (client_after.system - client_before.system),
        "load": load,
    }


def report(parts: list[dict]) -> dict:
    """One measurement from the raw parts of `measure` (the slices of a repetition, or one)."""
    latencies = [value for part in parts for value in part["latencies"]]
    server_ms = [value for part in parts for value in part["server_ms"]]
    errors = [error for part in parts for error in part["errors"]]
    elapsed = sum(part["elapsed"] for part in parts)
    ticks = sum(part["ticks"] for part in parts)
    load = parts[0]["load"]
    done = len(latencies)
    ok = done - len([e for e in errors if e.isdigit()])
    return {
        "requests": done,
        "ok": ok,
        "errors": len(errors),
        "error_sample": sorted(set(errors))[:5],
        "seconds": round(elapsed, 2),
        "slices": len(parts),
        "rps": round(done / elapsed, 1) if elapsed else 0.0,
        "p50_ms": _ms(percentile(latencies, 50)),
        "p95_ms": _ms(percentile(latencies, 95)),
        "p99_ms": _ms(percentile(latencies, 99)),
        "server_p50_ms": _ms(percentile(server_ms, 50)),
        "server_p95_ms": _ms(percentile(server_ms, 95)),
        "server_p99_ms": _ms(percentile(server_ms, 99)),
        "server_cpu_ms_per_request": round(1000 * ticks / CLK_TCK / done, 3) if done else None,
        "client_cpu_s": round(sum(part["client_cpu"] for part in parts), 2),
        "load_at_start": round(load, 2),
        "load_high": load > 2 * CORES,
    }


def _ms(seconds: float | None) -> float | None:
    return round(seconds * 1000, 2) if seconds is not None else None


# --- Scenarios --------------------------------------------------------------------------------


def requests_for(
    tracking: list[tuple[str, str]],
    administration: str,
    subject: str,
    results_day: list[str] | None = None,
    revisits: dict[str, str] | None = None,
) -> dict:
    json_headers = {"Content-Type": "application/json", "Accept-Language": "fr"}

    def submission(rng):
        body = {**SUBMISSION, "administration": administration, "subject": subject}
        headers = {**json_headers, "Idempotency-Key": str(uuid.uuid4())}  # fresh in every run
        return "POST", "/api/v1/complaints/", json.dumps(body).encode(), headers

    def track(rng):
        reference, email = rng.choice(tracking)
        return "POST", "/api/v1/track/", json.dumps({"reference": reference, "email": email}).encode(), json_headers

    return {
        "hello": (lambda rng: ("GET", "/bench/hello", None, {}), 200),
        "bare_insert": (lambda rng: ("POST", "/bench/insert", b"{}", json_headers), 201),
        "submission": (submission, 201),
        "bare_select": (lambda rng: ("GET", f"/bench/select/{rng.randint(1, BASELINE_ROWS)}", None, {}), 200),
        # The same bare views behind the API's own (shorter) middleware chain: what the API's
        # scenarios would be compared with if the baseline took their path (docs/adr/0041).
        "api_insert": (lambda rng: ("POST", "/api/bench/insert", b"{}", json_headers), 201),
        "api_select": (lambda rng: ("GET", f"/api/bench/select/{rng.randint(1, BASELINE_ROWS)}", None, {}), 200),
        "tracking": (track, 200),
        "statistics": (lambda rng: ("GET", "/fr/complaints/statistics/", None, {}), 200),
        # Scenario 8: a results day reads the notices' pages and their published lists.
        "results_day": (lambda rng: ("GET", rng.choice(results_day or ["/bench/hello"]), None, {}), 200),
        # ... and most of a results day's requests are readers reloading a page they already
        # have: the same pages with the validator the server gave them (`revisit_validators`).
        "results_day_revisit": revisit(revisits),
    }


def revisit(revisits: dict[str, str] | None):
    if not revisits:
        return (lambda rng: ("GET", "/bench/hello", None, {}), 200)
    pairs = sorted(revisits.items())

    def make(rng):
        path, etag = rng.choice(pairs)
        return "GET", path, None, {"If-None-Match": etag}

    return (make, 304)


def revisit_validators(server: Server, paths: list[str]) -> dict[str, str]:
    """Each results-day page's ETag, as an anonymous reader's browser keeps it."""
    validators = {}
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        for path in paths:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status == 200 and response.getheader("ETag"):
                validators[path] = response.getheader("ETag")
    finally:
        conn.close()
    return validators


def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def summarise(runs: list[dict]) -> dict:
    kept = [r for r in runs if not r["load_high"]] or runs
    return {
        "repetitions": len(runs),
        "kept": len(kept),
        **{
            key: median([r.get(key) for r in kept])
            for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "server_p50_ms", "server_p95_ms", "server_p99_ms")
        },
        "server_cpu_ms_per_request": median([r["server_cpu_ms_per_request"] for r in kept]),
        "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
    }


THROUGHPUT_ORDER = (
    "hello",
    "bare_insert",
    "api_insert",
    "submission",
    "bare_select",
    "api_select",
    "tracking",
    "results_day",
    "results_day_revisit",
)
#: Each scenario and the baseline it is a fraction of (issue 7): 8 is compared with the constant view.
RATIO_PAIRS = (
    ("submission", "bare_insert"),
    ("tracking", "bare_select"),
    ("results_day", "hello"),
    ("results_day_revisit", "hello"),
)
#: The API scenarios against the bare views behind the API's chain: a second, stricter ratio.
API_RATIO_PAIRS = (("submission", "api_insert"), ("tracking", "api_select"))


def throughput_scenarios(
    server: Server,
    reqs: dict,
    *,
    reps: int,
    seconds: float,
    order: tuple[str, ...] = THROUGHPUT_ORDER,
    clients: int | None = None,
) -> dict:
    """A B A B: per repetition, each baseline right before the scenario compared with it, slice by
    slice: the repetition's `seconds` are cut into `SLICE_SECONDS` slices, and the paths of `order`
    take turns at each slice, so that a path and its baseline share the same seconds."""
    runs: dict[str, list[dict]] = {name: [] for name in order}
    slices = max(1, round(seconds / SLICE_SECONDS)) if SLICE_SECONDS > 0 else 1
    for rep in range(reps):
        parts: dict[str, list[dict]] = {name: [] for name in order}
        for _slice in range(slices):
            for name in order:
                make, expect = reqs[name]
                parts[name].append(
                    measure(
                        server,
                        make,
                        expect=expect,
                        seconds=seconds / slices,
                        clients=clients or server.clients,
                        max_requests=MAX_REQUESTS // slices,
                    )
                )
        for name in order:
            result = report(parts[name])
            runs[name].append(result)
            log(
                f"  rep {rep + 1} {name:12s} {result['rps']:8.1f} req/s  p99 {result['p99_ms']} ms "
                f"(server {result['server_p99_ms']} ms)  "
                f"cpu {result['server_cpu_ms_per_request']} ms/req  errors {result['errors']}"
            )
    summary = {name: {"summary": summarise(runs[name]), "runs": runs[name]} for name in order}
    for key, ratio_pairs in (("ratio_to_baseline", RATIO_PAIRS), ("ratio_to_api_baseline", API_RATIO_PAIRS)):
        for scenario, baseline in ratio_pairs:
            if scenario in runs and baseline in runs:
                summary[scenario][key] = ratios(runs[scenario], runs[baseline], baseline)
    return summary


def ratios(scenario_runs: list[dict], baseline_runs: list[dict], baseline: str) -> dict:
    pairs = list(zip(scenario_runs, baseline_runs, strict=True))
    return {
        "baseline": baseline,
        "rps_ratio": median([s["rps"] / b["rps"] for s, b in pairs if b["rps"]]),
        # Throughput per CPU: baseline CPU per request / scenario CPU per request.
        "cpu_ratio": median(
            [
                b["server_cpu_ms_per_request"] / s["server_cpu_ms_per_request"]
                for s, b in pairs
                if s["server_cpu_ms_per_request"] and b["server_cpu_ms_per_request"]
            ]
        ),
    }


def statistics_page(server: Server, reqs: dict, *, reps: int, seconds: float) -> dict:
    """Latency of the statistics page, one client at a time (interleaved with `hello`)."""
    make, expect = reqs["statistics"]
    runs = []
    for rep in range(reps):
        drive(server, reqs["hello"][0], expect=200, seconds=1, clients=1, max_requests=1000)  # warm, A B A B
        result = drive(server, make, expect=expect, seconds=seconds, clients=1, max_requests=500)
        runs.append(result)
        log(
            f"  rep {rep + 1} statistics  p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  "
            f"(server p95 {result['server_p95_ms']} ms)  n={result['requests']}"
            + (
                f"  ERRORS {result['errors']} {result['error_sample']}: these latencies are not the page's"
                if result["errors"]
                else ""
            )
        )
    return {"summary": summarise(runs), "runs": runs}


# --- In-process: data for the scenarios, and the sweep (scenario 5) ---------------------------


def prepare_inputs(label: str, db: str) -> dict:
    from django.db import connection

    from bench.baseline.models import Row
    from tawasul.cases.models import Case
    from tawasul.complaints.models import Subject
    from tawasul.registry.models import Administration

    if Row.objects.count() < BASELINE_ROWS:
        Row.objects.bulk_create([Row(name=f"row {i}", value=i) for i in range(BASELINE_ROWS)])
    last = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rng = random.Random(7)
    sample = rng.sample(range(1, last + 1), min(2000, last))
    tracking = list(Case.objects.filter(pk__in=sample).values_list("reference", "email"))
    administration = Administration.objects.order_by("pk").values_list("code", flat=True).first()
    subject = Subject.objects.filter(administration=None, parent=None).order_by("pk").values_list("code", flat=True)[0]
    return {
        "tracking": tracking,
        "administration": administration,
        "subject": subject,
        "cases": Case.objects.count(),
        "open": Case.objects.filter(closed_at__isnull=True).count(),
        "vendor": connection.vendor,
    }


def results_day_paths() -> list[str]:
    """Scenario 8's data: the jobs portal's notices with their 10,602 applications and published
    lists (the seeds' figures; `bench/jobs_data.py`), added once to the data set; then the notice
    and list pages a results day reads."""
    from bench import jobs_data
    from tawasul.jobs.models import Notice

    if not Notice.objects.exists():
        made = jobs_data.generate(notices=49, applications=10_602, seed=1)
        log(f"jobs: {made}")
    return jobs_data.hot_paths(language="fr", limit=20)


def generated_at(label: str, db: str) -> datetime:
    meta = common.VAR / f"meta-{label}-{db}.json"
    if meta.exists():
        return datetime.fromisoformat(json.loads(meta.read_text())["generated_at"])
    from django.db.models import Max

    from tawasul.cases.models import Case

    return Case.objects.aggregate(at=Max("received_at"))["at"]


def _counting(queries: list):
    def wrapper(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    return wrapper


def _scan_rows(plan: dict) -> int:
    """Rows the scans of an EXPLAIN ANALYZE plan (JSON) read: those they returned plus those their
    filter removed (for an index scan, the index entries whose row failed the filter)."""
    rows = 0
    if "Scan" in plan.get("Node Type", "") and plan["Node Type"] != "Bitmap Index Scan":  # its heap scan counts
        loops = plan.get("Actual Loops", 1)
        rows += plan.get("Actual Rows", 0) * loops
        rows += plan.get("Rows Removed by Filter", 0) + plan.get("Rows Removed by Index Recheck", 0)
    return rows + sum(_scan_rows(child) for child in plan.get("Plans", []))


def reminder_lookup(tasks, now) -> dict:
    """The sweep's D-5/D-1 reminder look-up alone (`tasks._send_reminders` with a `due` that counts
    the cases the look-up returned, tests them as the sweep does, and lets none be sent): its
    wall time, CPU (this process and the database backend's) and queries, and on PostgreSQL what
    the plan of its first query read (EXPLAIN ANALYZE: rows and index entries its scans read,
    buffers, the indexes used). Run inside the caller's rolled-back transaction."""
    from django.db import connection

    from tawasul.cases.services import reminder_due

    seen = {"returned": 0, "due": 0}

    def due(case, at):
        seen["returned"] += 1
        seen["due"] += reminder_due(case, at) is not None
        return None  # nothing is sent: only the look-up is measured

    queries, first = [], []

    def wrapper(execute, sql, params, many, context):
        queries.append(1)
        if not first and '"cases_case"' in sql:  # not the calendar's cache read, when it makes one
            first.append((sql, params))
        return execute(sql, params, many, context)

    backend = _backend_pid(connection)
    with connection.execute_wrapper(wrapper):
        backend_before, cpu_before = _ticks(backend) if backend else 0, time.process_time()
        began = time.perf_counter()
        tasks._send_reminders(now, batch=tasks.BATCH, max_batches=200, remind=None, due=due)
        wall = time.perf_counter() - began
        cpu = time.process_time() - cpu_before
        backend_cpu = (_ticks(backend) - backend_before) / CLK_TCK if backend else None
    result = {
        "reminder_lookup_wall_s": round(wall, 3),
        "reminder_lookup_cpu_s": round(cpu, 3),
        "reminder_lookup_db_cpu_s": round(backend_cpu, 3) if backend_cpu is not None else None,
        "reminder_lookup_queries": len(queries),
        "reminder_lookup_returned": seen["returned"],
        "reminder_lookup_due": seen["due"],
    }
    if first and connection.vendor == "postgresql":
        sql, params = first[0]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0][0]["Plan"]
        indexes, stack = set(), [plan]
        while stack:
            node = stack.pop()
            if node.get("Index Name"):
                indexes.add(node["Index Name"])
            stack += node.get("Plans", [])
        result |= {
            "reminder_lookup_first_query_rows_read": _scan_rows(plan),
            "reminder_lookup_first_query_buffers": plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0),
            "reminder_lookup_first_query_ms": plan.get("Actual Total Time"),
            "reminder_lookup_indexes": sorted(indexes),
        }
    return result


def sweep(label: str, db: str, offsets_days=(0.25, 1.0, 2.0, 4.0), *, tasks=None) -> list[dict]:
    """`sweep_once(now=T0 + d)` over the generated open cases, rolled back after each run, at
    several `d` so that the number due varies while the number open does not; then, rolled back
    too, its reminder look-up alone (`reminder_lookup`), the one part that reads cases not due."""
    from django.db import connection, transaction

    from tawasul.cases.models import Case

    if tasks is None:
        from tawasul.cases import tasks
    sweep_once = tasks.sweep_once

    t0 = generated_at(label, db)
    open_cases = Case.objects.filter(closed_at__isnull=True).count()
    rows = []
    with transaction.atomic():  # warm-up, not measured: one-time imports (URL resolver, templates)
        sweep_once(now=t0 + timedelta(days=min(offsets_days)), max_batches=1, batch=20)
        transaction.set_rollback(True)
    for days in offsets_days:
        now = t0 + timedelta(days=days)
        escalation_due = Case.objects.filter(
            closed_at__isnull=True, paused_at__isnull=True, next_escalation_at__lte=now
        ).count()
        overdue_due = Case.objects.filter(
            closed_at__isnull=True,
            answered_at__isnull=True,
            paused_at__isnull=True,
            is_overdue=False,
            answer_due_at__lt=now,
        ).count()
        load = os.getloadavg()[0]
        queries = []
        backend = _backend_pid(connection)
        with transaction.atomic(), connection.execute_wrapper(_counting(queries)), footprint.PeakMemory() as peak:
            backend_before, cpu_before = _ticks(backend) if backend else 0, time.process_time()
            began = time.perf_counter()
            counts = sweep_once(now=now)
            wall = time.perf_counter() - began
            cpu = time.process_time() - cpu_before
            backend_cpu = (_ticks(backend) - backend_before) / CLK_TCK if backend else None
            transaction.set_rollback(True)
        with transaction.atomic():
            lookup = reminder_lookup(tasks, now)
            transaction.set_rollback(True)
        due = escalation_due + overdue_due
        handled = counts["escalated"] + counts["overdue"] + counts.get("reminded", 0)
        rows.append(
            {
                "now_offset_days": days,
                "open_cases": open_cases,
                "due": due,
                "due_pct_of_open": round(100 * due / open_cases, 2) if open_cases else None,
                "escalated": counts["escalated"],
                "overdue_marked": counts["overdue"],
                "reminded": counts.get("reminded", 0),
                "handled": handled,
                "wall_s": round(wall, 3),
                # The sweep's own CPU (this process) and, on PostgreSQL, its backend's: on a loaded
                # machine the wall time is mostly waiting for a core between round trips.
                "sweep_cpu_s": round(cpu, 3),
                "db_backend_cpu_s": round(backend_cpu, 3) if backend_cpu is not None else None,
                "ms_per_handled": round(1000 * wall / handled, 2) if handled else None,
                "queries": len(queries),
                "queries_per_due": round(len(queries) / handled, 2) if handled else None,
                # The resident memory the sweep took above what this process held before it (the
                # queries' list of this benchmark included), from the kernel's high-water mark.
                "peak_memory_growth_mb": footprint.in_mb(peak.growth_bytes),
                "load_at_start": round(load, 2),
                **lookup,
            }
        )
        log(
            f"  sweep +{days} d: {due} due of {open_cases} open, {handled} handled "
            f"({counts['escalated']} escalated, {counts['overdue']} overdue, {counts.get('reminded', 0)} reminded), "
            f"{wall:.2f} s (CPU {cpu:.2f} s + database {backend_cpu or 0:.2f} s), {len(queries)} queries, "
            f"memory +{rows[-1]['peak_memory_growth_mb']} MB at its peak"
        )
        log(
            f"    reminder look-up alone: {lookup['reminder_lookup_wall_s']:.3f} s (CPU "
            f"{lookup['reminder_lookup_cpu_s']:.3f} s + database {lookup['reminder_lookup_db_cpu_s'] or 0:.2f} s), "
            f"{lookup['reminder_lookup_queries']} queries, {lookup['reminder_lookup_returned']} cases returned "
            f"({lookup['reminder_lookup_due']} due); first query read "
            f"{lookup.get('reminder_lookup_first_query_rows_read', '?')} rows/index entries, "
            f"{lookup.get('reminder_lookup_first_query_buffers', '?')} buffers, "
            f"via {', '.join(lookup.get('reminder_lookup_indexes', [])) or '?'}"
        )
    return rows


def _backend_pid(connection) -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


# --- One database -----------------------------------------------------------------------------


def database_ready(db: str, label: str) -> bool:
    if db == "sqlite":
        return (common.VAR / f"tawasul-{label}.sqlite3").exists() and (common.VAR / f"meta-{label}-{db}.json").exists()
    import psycopg

    try:
        with psycopg.connect(common.database_url(db, label).replace("postgres://", "postgresql://", 1)) as conn:
            return (
                conn.execute("SELECT 1 FROM django_migrations LIMIT 1").fetchone() is not None
                and (common.VAR / f"meta-{label}-{db}.json").exists()
            )
    except psycopg.Error:
        return False


def ensure_data(db: str, *, scale: int, quick: bool) -> str:
    label = common.size_label(scale=scale, quick=quick)
    # The quick data set is re-created every run (25 s): the submissions of a run add cases.
    if quick or not database_ready(db, label) or os.environ.get("REGENERATE") == "1":
        args = ["--db", db, "--scale", str(scale)] + (["--quick"] if quick else [])
        subprocess.run([PY, "-m", "bench.generate", *args], check=True, cwd=common.BASE_DIR)
    return label


def collectstatic(db: str, label: str) -> None:
    env = common.bench_environ(db, label)
    env["STATIC_ROOT"] = str(common.VAR / "static")
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env, check=True, cwd=common.BASE_DIR)


def run_one(db: str, *, full: bool, reps: int, seconds: float) -> dict:
    """Child process: measure one database and write its results."""
    scale, quick = (1, False) if full else (1, True)
    label = ensure_data(db, scale=scale, quick=quick)
    os.environ["STATIC_ROOT"] = str(common.VAR / "static")
    common.setup_django(db, label)
    collectstatic(db, label)
    inputs = prepare_inputs(label, db)
    inputs["results_day"] = results_day_paths()
    log(f"{db}: {inputs['cases']:,} complaints ({inputs['open']:,} open), {len(inputs['tracking'])} tracking pairs")
    log(f"{db}: sweep (first: on the data as generated, before the submissions add cases)")
    swept = sweep(label, db)
    from django.db import connection

    connection.close()
    server = Server(db, label)
    results: dict = {
        "date": date.today().isoformat(),
        "db": db,
        "size": label,
        "complaints": inputs["cases"],
        "open_cases": inputs["open"],
        "machine": {"cores": CORES, "loadavg_at_start": os.getloadavg()},
        "server": {"gunicorn": server.worker_args, "client_threads": server.clients},
        "method": {
            "repetitions": reps,
            "seconds_per_repetition": seconds,
            "slice_seconds": SLICE_SECONDS,
            "max_requests": MAX_REQUESTS,
        },
    }
    server.start()
    try:
        revisits = revisit_validators(server, inputs["results_day"])
        reqs = requests_for(
            inputs["tracking"], inputs["administration"], inputs["subject"], inputs["results_day"], revisits
        )
        log(f"{db}: throughput scenarios (A B A B, {reps} × {seconds:.0f} s)")
        results["throughput"] = throughput_scenarios(server, reqs, reps=reps, seconds=seconds)
        log(f"{db}: statistics page")
        results["statistics"] = {label: statistics_page(server, reqs, reps=reps, seconds=seconds)}
        results["memory"] = server.memory()
    finally:
        server.stop()
    results["sweep"] = swept
    results["footprint"] = footprint.database_footprint(connection)
    results["costs"] = costs(results["throughput"])
    second_scale = int(os.environ.get("BENCH_SECOND_SCALE", "10"))  # 0: skip the second size
    if full and second_scale:
        connection.close()
        label2, tracking2, statistics2 = second_size(db, scale=second_scale, reps=reps, seconds=seconds)
        results["statistics"].update(statistics2)
        results["throughput_" + label2] = tracking2
    write_results(results)
    return results


def second_size(db: str, *, scale: int, reps: int, seconds: float) -> tuple[str, dict, dict]:
    """FULL: the read scenarios again at a second size (2,116,440 complaints): tracking (scenario
    2, with its bare SELECT baseline, A B A B) and the statistics page (scenario 4), on their own
    data set and server. No submissions: that data set is kept clean for the next run."""
    from django.db import connection

    label = ensure_data(db, scale=scale, quick=False)
    connection.close()  # this process reads its tracking pairs from that data set now
    second = common.database_name(label) if db == "postgres" else str(common.VAR / f"tawasul-{label}.sqlite3")
    connection.settings_dict["NAME"] = second
    inputs = prepare_inputs(label, db)
    connection.close()
    log(f"{db}: {inputs['cases']:,} complaints ({inputs['open']:,} open), {len(inputs['tracking'])} tracking pairs")
    server = Server(db, label)
    server.start()
    try:
        reqs = requests_for(inputs["tracking"], inputs["administration"], inputs["subject"])
        log(f"{db} {label}: tracking (A B A B, {reps} × {seconds:.0f} s)")
        tracking = throughput_scenarios(
            server, reqs, reps=reps, seconds=seconds, order=("hello", "bare_select", "tracking")
        )
        tracking["complaints"] = inputs["cases"]
        # Latency without queueing (the p99 target): one client, so a request never waits for
        # another in the same worker; A B A B with the bare SELECT.
        log(f"{db} {label}: tracking latency, one client (A B A B, {reps} × {seconds:.0f} s)")
        tracking["one_client"] = throughput_scenarios(
            server, reqs, reps=reps, seconds=seconds, order=("bare_select", "tracking"), clients=1
        )
        log(f"{db} {label}: statistics page")
        statistics = {label: statistics_page(server, reqs, reps=reps, seconds=seconds)}
        tracking["memory"] = server.memory()
    finally:
        server.stop()
    tracking["footprint"] = footprint.database_footprint(connection)
    return label, tracking, statistics


def _continue_numbering() -> None:
    """`--ab`: each side starts after the reference numbers the other issued, whichever way it
    allocates them (a counter row before ADR 0037, a sequence after it)."""
    from django.db import connection

    from tawasul.core.references import last_issued, raise_floor

    year = datetime.now().year
    raise_floor("CHK", year, last_issued("CHK", year))
    connection.close()


def ab_only(db: str, names: list[str], other: Path, *, reps: int, seconds: float) -> dict:
    """`--ab`: the `names` scenarios (each with its baseline) served by another checkout's code
    ("before", e.g. `git worktree add /tmp/before HEAD`) and by this one ("after"), on the same
    data, interleaved: per repetition before's pairs then after's, so both see the same load."""
    label = ensure_data(db, scale=1, quick=True)
    os.environ["STATIC_ROOT"] = str(common.VAR / "static")
    common.setup_django(db, label)
    collectstatic(db, label)
    inputs = prepare_inputs(label, db)
    inputs["results_day"] = results_day_paths()
    from django.db import connection

    connection.close()
    baselines, api_baselines = dict(RATIO_PAIRS), dict(API_RATIO_PAIRS)
    # Each scenario after its baseline; a baseline two scenarios share is measured once per
    # repetition (each path's runs are paired by repetition).
    order = tuple(
        dict.fromkeys(
            step
            for name in names
            for step in (baselines.get(name, "hello"), *([api_baselines[name]] if name in api_baselines else []), name)
        )
    )
    servers = {"before": Server(db, label, tree=other), "after": Server(db, label)}
    results: dict = {
        "date": date.today().isoformat(),
        "db": db,
        "size": label,
        "before_tree": str(other),
        "machine": {"cores": CORES, "loadavg_at_start": os.getloadavg()},
        "server": {"gunicorn": servers["after"].worker_args, "client_threads": servers["after"].clients},
        "method": {
            "repetitions": reps,
            "seconds_per_repetition": seconds,
            "slice_seconds": SLICE_SECONDS,
            "order": order,
        },
        "runs": {"before": [], "after": []},
    }
    for server in servers.values():
        server.start()
    try:
        revisits = revisit_validators(servers["after"], inputs["results_day"])
        reqs = requests_for(
            inputs["tracking"], inputs["administration"], inputs["subject"], inputs["results_day"], revisits
        )
        for rep in range(reps):
            for tag, server in servers.items():
                _continue_numbering()
                log(f"{db}: rep {rep + 1}, {tag}")
                results["runs"][tag].append(throughput_scenarios(server, reqs, reps=1, seconds=seconds, order=order))
    finally:
        for server in servers.values():
            server.stop()
    lines = [f"# A B: {', '.join(names)} on {db} ({label}), {results['date']}", ""]
    lines += [
        f"before: `{other}`; after: this checkout. {reps} repetitions × {seconds:.0f} s, each path taking "
        f"turns with its baseline in slices of {SLICE_SECONDS:g} s.",
        "",
    ]
    lines += ["| path | before: median (req/s; CPU) | per repetition | after: median (req/s; CPU) | per repetition |"]
    lines += ["|---|---|---|---|---|"]
    for name in names:
        cells = []
        for tag in ("before", "after"):
            ratios = [run[name].get("ratio_to_baseline", {}) for run in results["runs"][tag]]
            rps, cpu = (median([r.get(key) or 0 for r in ratios]) for key in ("rps_ratio", "cpu_ratio"))
            cells.append(f"**{rps:.2f}; {cpu:.2f}**")
            cells.append(", ".join(f"{r.get('rps_ratio', 0):.2f}; {r.get('cpu_ratio', 0):.2f}" for r in ratios))
        lines.append(f"| {name} | {' | '.join(cells)} |")
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    stem = common.RESULTS / f"{results['date']}-{db}-ab-{'-'.join(names)}"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    log(f"wrote {stem}.json and {stem}.md")
    return results


# --- Reports ----------------------------------------------------------------------------------


def write_results(results: dict) -> None:
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if results["size"] == "quick" else f"-{results['size']}"
    stem = common.RESULTS / f"{results['date']}-{results['db']}{suffix}"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    stem.with_suffix(".md").write_text(markdown(results))
    log(f"wrote {stem}.json and {stem}.md")


def write_reads(db: str, label: str, tracking: dict, statistics: dict) -> None:
    """`--reads-at`: the read scenarios alone, in `results/<date>-<db>-reads-<label>.{json,md}`."""
    server_args, clients = worker_config(db)
    results = {
        "date": date.today().isoformat(),
        "db": db,
        "size": label,
        "machine": {"cores": CORES, "loadavg_at_end": os.getloadavg()},
        "server": {"gunicorn": server_args, "client_threads": clients},
        "tracking": tracking,
        "statistics": statistics,
    }
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    stem = common.RESULTS / f"{results['date']}-{db}-reads-{label}"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    lines = [
        f"# Tawasul benchmark — read scenarios, {db}, `{label}` "
        f"({tracking['complaints']:,} complaints), {results['date']}",
        "",
        f"gunicorn `{' '.join(server_args)}`, {clients} client threads; "
        f"load at end {results['machine']['loadavg_at_end'][0]:.2f}.",
        "",
        *throughput_table(_paths(tracking)),
        "",
        "One client (latency without queueing):",
        "",
        *throughput_table(tracking["one_client"]),
        "",
        "Statistics page (one client):",
        "",
        "| data set | requests | errors | p50 ms | p95 ms | p99 ms | server p50 ms | server p95 ms | server p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, data in statistics.items():
        x = data["summary"]
        lines.append(
            f"| {size} | {x['requests']} | {x.get('errors', 0)} | {x['p50_ms']} | {x['p95_ms']} | {x['p99_ms']} | "
            f"{x.get('server_p50_ms')} | {x.get('server_p95_ms')} | {x.get('server_p99_ms')} |"
        )
    lines += footprint_section(label, tracking)
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    log(f"wrote {stem}.json and {stem}.md")


def _paths(table: dict) -> dict:
    """The measured paths of a throughput table, without its other entries (size, memory...)."""
    return {k: v for k, v in table.items() if isinstance(v, dict) and "summary" in v}


def costs(throughput: dict) -> dict:
    """What the measured paths cost in cores (bench/footprint.py): at the server CPU per request
    measured here, the seeds' two years of complaints (211,644) filed, and as many tracking
    look-ups."""
    year = common.COMPLAINTS_AT_SCALE_1
    return {
        name: footprint.core_time(throughput[name]["summary"]["server_cpu_ms_per_request"], year)
        for name in ("submission", "tracking", "bare_insert", "bare_select")
        if name in throughput
    }


def footprint_section(title: str, table: dict) -> list[str]:
    """The memory and disk lines of a run, when it measured them."""
    lines = []
    if "memory" in table:
        lines += ["", f"## Memory ({title})", "", *footprint.memory_lines(table["memory"])]
    if "footprint" in table:
        lines += ["", f"## Database on disk ({title})", "", *footprint.footprint_table(table["footprint"])]
    return lines


def throughput_table(throughput: dict) -> list[str]:
    lines = [
        "| path | req/s | ratio to baseline (req/s) | ratio (CPU) | p50 ms | p95 ms | p99 ms "
        "| server p50 / p95 / p99 ms | server CPU ms/req | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, data in throughput.items():
        s, ratio, api = data["summary"], data.get("ratio_to_baseline"), data.get("ratio_to_api_baseline")
        rps_ratio = f"{ratio['rps_ratio']:.2f} of {ratio['baseline']}" if ratio else ""
        cpu_ratio = f"{ratio['cpu_ratio']:.2f}" if ratio and ratio["cpu_ratio"] else ""
        if api and api["rps_ratio"]:
            rps_ratio += f"; {api['rps_ratio']:.2f} of {api['baseline']}"
            cpu_ratio += f"; {api['cpu_ratio']:.2f}" if api["cpu_ratio"] else ""
        server = f"{s.get('server_p50_ms')} / {s.get('server_p95_ms')} / {s.get('server_p99_ms')}"
        lines.append(
            f"| {name} | {s['rps']} | {rps_ratio} | {cpu_ratio} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | "
            f"{server} | {s['server_cpu_ms_per_request']} | {s['errors']} |"
        )
    return lines


def markdown(r: dict) -> str:
    lines = [
        f"# Tawasul benchmark — {r['db']}, {r['date']}",
        "",
        f"{r['complaints']:,} complaints ({r['open_cases']:,} open), data set `{r['size']}`; "
        f"gunicorn `{' '.join(r['server']['gunicorn'])}`, {r['server']['client_threads']} client threads; "
        f"{r['method']['repetitions']} repetitions × {r['method']['seconds_per_repetition']:.0f} s, "
        f"interleaved in slices of {r['method'].get('slice_seconds', 0):g} s; "
        f"{r['machine']['cores']} cores, load at start {r['machine']['loadavg_at_start'][0]:.2f}.",
        "",
        *throughput_table(r["throughput"]),
    ]
    for key, table in r.items():
        if key.startswith("throughput_"):
            lines += [
                "",
                f"## Tracking at `{key.removeprefix('throughput_')}` ({table['complaints']:,} complaints)",
                "",
            ]
            lines += throughput_table(_paths(table))
            if "one_client" in table:
                lines += ["", "One client (latency without queueing):", ""]
                lines += throughput_table(table["one_client"])
            lines += footprint_section(key.removeprefix("throughput_"), table)
    lines += ["", "## Statistics page (one client)", ""]
    lines += [
        "| data set | requests | errors | p50 ms | p95 ms | p99 ms | server p50 ms | server p95 ms | server p99 ms |"
    ]
    lines += ["|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, data in r["statistics"].items():
        s = data["summary"]
        lines.append(
            f"| {size} | {s['requests']} | {s.get('errors', 0)} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | "
            f"{s.get('server_p50_ms')} | {s.get('server_p95_ms')} | {s.get('server_p99_ms')} |"
        )
    lines += ["", "## SLA sweep (in process, rolled back)", ""]
    lines += sweep_table(r["sweep"])
    if r.get("costs"):
        lines += ["", "## What it costs to run (server CPU: web process and database together)", ""]
        lines += footprint.cost_lines(r["costs"])
    lines += footprint_section(r["size"], r)
    return "\n".join(lines) + "\n"


def sweep_table(rows: list[dict]) -> list[str]:
    lines = [
        "| now = T0 + days | open | due | due % | escalated / overdue / reminded | wall s | ms per case "
        "| CPU s (sweep + database) | queries | queries per case | peak memory + MB | load "
        "| reminder look-up: wall s | CPU s (+ database) | queries | returned | 1st query: rows read | buffers |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        kinds = f"{row['escalated']} / {row['overdue_marked']} / {row.get('reminded', '')}"
        lines.append(
            f"| {row['now_offset_days']} | {row['open_cases']:,} | {row['due']:,} | {row['due_pct_of_open']} "
            f"| {kinds} | {row['wall_s']} | {row.get('ms_per_handled')} "
            f"| {row.get('sweep_cpu_s')} + {row.get('db_backend_cpu_s')} | {row['queries']:,} "
            f"| {row['queries_per_due']} | {row.get('peak_memory_growth_mb', '')} | {row.get('load_at_start')} "
            f"| {row.get('reminder_lookup_wall_s', '')} "
            f"| {row.get('reminder_lookup_cpu_s', '')} + {row.get('reminder_lookup_db_cpu_s', '')} "
            f"| {row.get('reminder_lookup_queries', '')} | {row.get('reminder_lookup_returned', '')} "
            f"| {row.get('reminder_lookup_first_query_rows_read', '')} "
            f"| {row.get('reminder_lookup_first_query_buffers', '')} |"
        )
    return lines


def other_tasks(path: str):
    """Another version of tawasul/cases/tasks.py, e.g. the last commit's
    (`git show HEAD:tawasul/cases/tasks.py > /tmp/tasks_head.py`), loaded as a sibling module so
    its relative imports resolve: to measure a change of the sweep A B A B on the same data."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("tawasul.cases._bench_other_tasks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def open_count(label: str) -> int:
    """The number of cases of an `--open` data set's label (`bench.generate.open_label`'s inverse):
    open1m → 1,000,000, open100k → 100,000, open2500 → 2,500."""
    digits = label.removeprefix("open")
    unit = {"m": 1_000_000, "k": 1_000}.get(digits[-1:], 1)
    number = digits[:-1] if unit > 1 else digits
    if not label.startswith("open") or not number.isdigit():
        raise ValueError(f"{label!r} is not the label of an --open data set (open1m, open100k, ...)")
    return int(number) * unit


def sweep_only(db: str, labels: list[str], offsets: tuple[float, ...], *, compare: str = "", reps: int = 1) -> dict:
    """Scenario 5 on the `--open` data sets (bench.generate --open N): the sweep at each offset,
    on each data set, in this process (one data set after the other), then a report. With
    `compare`, the other version's sweep runs before this one's at every repetition (A B A B)."""
    from django.db import connection

    for label in labels:  # a missing `openN` set is generated first, as the other scenarios do
        if not database_ready(db, label):
            count = open_count(label)
            subprocess.run(
                [PY, "-m", "bench.generate", "--db", db, "--open", str(count)], check=True, cwd=common.BASE_DIR
            )
    common.setup_django(db, labels[0])
    results = {"date": date.today().isoformat(), "db": db, "cores": CORES, "sets": {}}
    other = other_tasks(compare) if compare else None
    for label in labels:
        connection.close()
        path = common.database_name(label) if db == "postgres" else str(common.VAR / f"tawasul-{label}.sqlite3")
        connection.settings_dict["NAME"] = path
        for rep in range(reps):
            if other is not None:
                log(f"{db} {label}: sweep of {compare} at T0 + {', '.join(map(str, offsets))} days")
                results["sets"].setdefault(
                    f"{label} ({compare}, rep {rep + 1})", sweep(label, db, offsets, tasks=other)
                )
            log(f"{db} {label}: sweep at T0 + {', '.join(map(str, offsets))} days")
            results["sets"][f"{label}" + (f" (rep {rep + 1})" if reps > 1 else "")] = sweep(label, db, offsets)
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    stem = common.RESULTS / f"{results['date']}-{db}-sweep-{'-'.join(labels)}{'-compared' if compare else ''}"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [f"# Tawasul benchmark — scenario 5 (SLA sweep), {db}, {results['date']}", ""]
    lines += [
        "`sweep_once(now=T0 + d)` in process, each run inside a transaction rolled back; T0 = generation time.",
        "",
    ]
    for label, rows in results["sets"].items():
        lines += [f"## `{label}`", "", *sweep_table(rows), ""]
    stem.with_suffix(".md").write_text("\n".join(lines))
    log(f"wrote {stem}.json and {stem}.md")
    return results


#: Scenarios written as standalone scripts by the portals' owners (issue 7: 3 inbox, 6 catalog
#: search, 7 nearest facilities): (number, module, quick arguments, FULL arguments). Each runs in
#: its own process, bounded in time, its output kept in `results/<date>-scenario-<n>.txt`; a
#: missing script is skipped, a failing one is reported and does not stop the others.
EXTRA_SCENARIOS = [
    (3, "inbox", ["--cases", "10000", "--reps", "20"], ["--cases", "100000", "--reps", "40"]),
    (6, "catalog_search", ["--sizes", "803", "--reps", "3", "--queries", "100"], ["--sizes", "803", "100000"]),
    (7, "facilities_nearest", ["--sizes", "16043", "--reps", "3", "--queries", "200"], ["--sizes", "16043,1000000"]),
]
EXTRA_TIMEOUT_S = 900


def extra_scenarios(*, full: bool) -> list[dict]:
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    done = []
    for number, module, quick_args, full_args in EXTRA_SCENARIOS:
        if not (common.BASE_DIR / "bench" / f"{module}.py").exists():
            log(f"scenario {number} ({module}): no bench/{module}.py, skipped")
            done.append({"scenario": number, "module": module, "status": "missing"})
            continue
        cmd = [PY, "-m", f"bench.{module}", *(full_args if full else quick_args)]
        log(f"scenario {number}: {' '.join(cmd[1:])}")
        began = time.monotonic()
        try:
            proc = subprocess.run(
                cmd, cwd=common.BASE_DIR, capture_output=True, text=True, timeout=EXTRA_TIMEOUT_S, check=False
            )
            status, output = ("ok" if proc.returncode == 0 else f"exit {proc.returncode}"), proc.stdout + proc.stderr
        except subprocess.TimeoutExpired as exc:
            status, output = f"timeout after {EXTRA_TIMEOUT_S} s", str(exc.stdout or "")
        out = common.RESULTS / f"{date.today().isoformat()}-scenario-{number}-{module}.txt"
        out.write_text(f"$ python {' '.join(cmd[1:])}\n# {status}, {time.monotonic() - began:.0f} s\n\n{output}")
        log(f"scenario {number}: {status}, output in {out.name}")
        done.append({"scenario": number, "module": module, "status": status, "output": out.name})
    return done


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], help="one database (default: both when reachable)")
    parser.add_argument("--full", action="store_true", default=os.environ.get("FULL") == "1")
    parser.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", "3")))
    parser.add_argument(
        "--seconds",
        type=float,
        default=float(os.environ["BENCH_SECONDS"]) if os.environ.get("BENCH_SECONDS") else None,
        help="seconds per repetition (default: 6 quick, so that `make bench` stays under 10 minutes; 8 FULL)",
    )
    parser.add_argument("--extra-only", action="store_true", help="only the standalone scenarios 3, 6, 7")
    parser.add_argument("--sweep", metavar="LABELS", help="only scenario 5 on data sets, e.g. open1m,open100k")
    parser.add_argument("--offsets", default="0.1,1,2", help="--sweep: sweep times T0 + d, in days")
    parser.add_argument("--compare", default="", help="--sweep: another tasks.py whose sweep runs first (A B)")
    parser.add_argument(
        "--second-only",
        action="store_true",
        help="FULL's second size only (tracking, statistics), added to today's s1 results",
    )
    parser.add_argument(
        "--reads-at",
        type=int,
        metavar="SCALE",
        help="only the read scenarios (tracking with its bare SELECT, 8 clients and one; statistics) at SCALE",
    )
    parser.add_argument(
        "--ab",
        metavar="TREE",
        type=Path,
        help="only the --only scenarios, served by TREE's code and by this checkout's, interleaved",
    )
    parser.add_argument("--only", default="submission", help="--ab: scenarios, e.g. submission,tracking")
    args = parser.parse_args(argv)
    if args.seconds is None:
        args.seconds = 8.0 if args.full or args.reads_at or args.second_only else QUICK_SECONDS
    if args.ab:
        ab_only(args.db or "postgres", args.only.split(","), args.ab.resolve(), reps=args.reps, seconds=args.seconds)
        return 0
    if args.reads_at:
        db = args.db or "postgres"
        common.setup_django(db, common.size_label(scale=args.reads_at, quick=False))
        collectstatic(db, common.size_label(scale=args.reads_at, quick=False))  # the pages need the manifest
        label, tracking, statistics = second_size(db, scale=args.reads_at, reps=args.reps, seconds=args.seconds)
        write_reads(db, label, tracking, statistics)
        return 0
    if args.second_only:
        db = args.db or "postgres"
        common.setup_django(db, "s1")
        stem = common.RESULTS / f"{date.today().isoformat()}-{db}-s1"
        results = json.loads(stem.with_suffix(".json").read_text())
        scale = int(os.environ.get("BENCH_SECOND_SCALE", "10"))
        label2, tracking2, statistics2 = second_size(db, scale=scale, reps=args.reps, seconds=args.seconds)
        results["statistics"].update(statistics2)
        results["throughput_" + label2] = tracking2
        write_results(results)
        return 0
    if args.sweep:
        offsets = tuple(float(d) for d in args.offsets.split(","))
        sweep_only(args.db or "postgres", args.sweep.split(","), offsets, compare=args.compare, reps=args.reps)
        return 0
    if args.extra_only:
        extra_scenarios(full=args.full)
        return 0
    if args.db:
        run_one(args.db, full=args.full, reps=args.reps, seconds=args.seconds)
        return 0
    databases = ["sqlite"] + (["postgres"] if common.postgres_reachable() else [])
    for db in databases:
        cmd = [PY, "-m", "bench.run", "--db", db, "--reps", str(args.reps), "--seconds", str(args.seconds)]
        subprocess.run([*cmd, *(["--full"] if args.full else [])], check=True, cwd=common.BASE_DIR)
    extra_scenarios(full=args.full)
    return 0


if __name__ == "__main__":
    sys.exit(main())
