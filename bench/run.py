"""Run the benchmarks (issue 7) against gunicorn on loopback, with the baselines in the same run.

    python -m bench.run                    # quick: 20,000 complaints, SQLite then PostgreSQL
    FULL=1 python -m bench.run             # 211,644 complaints (+ statistics at 2,116,440)
    python -m bench.run --db sqlite        # one database only

Method (bench/README.md, BENCHMARKING.md): for each database a gunicorn server (2 sync workers
on SQLite, 2 gthread workers × 4 threads on PostgreSQL, DEBUG off) serves the platform and the
baseline views; a bounded load generator (threads + http.client, fixed duration, capped count)
drives them A B A B: every repetition runs the baseline then the scenario, and results are the
medians of the per-repetition ratios. Server CPU per request is the workers' (and, on PostgreSQL,
this database's backends') utime+stime delta from /proc divided by the requests served.
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
from datetime import date, datetime, timedelta
from pathlib import Path

from bench import common

PY = sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1
#: Hard cap on requests per measurement, whatever the duration (every loop is bounded).
MAX_REQUESTS = 200_000
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


def log(message: str) -> None:
    sys.stderr.write(f"[{datetime.now():%H:%M:%S}] {message}\n")
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


class Server:
    def __init__(self, db: str, label: str):
        self.db, self.label = db, label
        self.env = common.bench_environ(db, label)
        self.env["STATIC_ROOT"] = str(common.VAR / "static")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        if db == "sqlite":
            self.worker_args = ["-w", "2", "-k", "sync"]
            self.clients = 4
        else:
            self.worker_args = ["-w", "2", "-k", "gthread", "--threads", "4"]
            self.clients = 8
        self.proc = None

    def start(self) -> None:
        cmd = [PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{self.port}", *self.worker_args]
        cmd += ["--backlog", "256", "--log-level", "warning", "--timeout", "60"]
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=common.BASE_DIR)
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
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(max_requests))
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        mine = []
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
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                errors.append(type(exc).__name__)
                continue
            mine.append(time.perf_counter() - began)
            if response.status != expect and len(errors) < 10_000:
                errors.append(str(response.status))
        conn.close()
        with lock:
            latencies.extend(mine)

    load = os.getloadavg()[0]
    before = server.cpu_ticks()
    client_before = os.times()
    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    after = server.cpu_ticks()
    client_after = os.times()
    ticks = sum(after[pid] - before.get(pid, 0) for pid in after)
    done = len(latencies)
    ok = done - len([e for e in errors if e.isdigit()])
    return {
        "requests": done,
        "ok": ok,
        "errors": len(errors),
        "error_sample": sorted(set(errors))[:5],
        "seconds": round(elapsed, 2),
        "rps": round(done / elapsed, 1) if elapsed else 0.0,
        "p50_ms": _ms(percentile(latencies, 50)),
        "p95_ms": _ms(percentile(latencies, 95)),
        "p99_ms": _ms(percentile(latencies, 99)),
        "server_cpu_ms_per_request": round(1000 * ticks / CLK_TCK / done, 3) if done else None,
        "client_cpu_s": round(
            (client_after.user - client_before.user) + (client_after.system - client_before.system), 2
        ),
        "load_at_start": round(load, 2),
        "load_high": load > 2 * CORES,
    }


def _ms(seconds: float | None) -> float | None:
    return round(seconds * 1000, 2) if seconds is not None else None


# --- Scenarios --------------------------------------------------------------------------------


def requests_for(tracking: list[tuple[str, str]], administration: str, subject: str) -> dict:
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
        "tracking": (track, 200),
        "statistics": (lambda rng: ("GET", "/fr/complaints/statistics/", None, {}), 200),
    }


def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def summarise(runs: list[dict]) -> dict:
    kept = [r for r in runs if not r["load_high"]] or runs
    return {
        "repetitions": len(runs),
        "kept": len(kept),
        **{key: median([r[key] for r in kept]) for key in ("rps", "p50_ms", "p95_ms", "p99_ms")},
        "server_cpu_ms_per_request": median([r["server_cpu_ms_per_request"] for r in kept]),
        "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
    }


def throughput_scenarios(server: Server, reqs: dict, *, reps: int, seconds: float) -> dict:
    """A B A B: per repetition, each baseline right before the scenario compared with it."""
    order = ["hello", "bare_insert", "submission", "bare_select", "tracking"]
    runs: dict[str, list[dict]] = {name: [] for name in order}
    for rep in range(reps):
        for name in order:
            make, expect = reqs[name]
            result = drive(
                server, make, expect=expect, seconds=seconds, clients=server.clients, max_requests=MAX_REQUESTS
            )
            runs[name].append(result)
            log(
                f"  rep {rep + 1} {name:12s} {result['rps']:8.1f} req/s  p99 {result['p99_ms']} ms  "
                f"cpu {result['server_cpu_ms_per_request']} ms/req  errors {result['errors']}"
            )
    summary = {name: {"summary": summarise(runs[name]), "runs": runs[name]} for name in order}
    for scenario, baseline in (("submission", "bare_insert"), ("tracking", "bare_select")):
        pairs = list(zip(runs[scenario], runs[baseline], strict=True))
        summary[scenario]["ratio_to_baseline"] = {
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
    return summary


def statistics_page(server: Server, reqs: dict, *, reps: int, seconds: float) -> dict:
    """Latency of the statistics page, one client at a time (interleaved with `hello`)."""
    make, expect = reqs["statistics"]
    runs = []
    for rep in range(reps):
        drive(server, reqs["hello"][0], expect=200, seconds=1, clients=1, max_requests=1000)  # warm, A B A B
        result = drive(server, make, expect=expect, seconds=seconds, clients=1, max_requests=500)
        runs.append(result)
        log(f"  rep {rep + 1} statistics  p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  n={result['requests']}")
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


def sweep(label: str, db: str, offsets_days=(0.25, 1.0, 2.0, 4.0)) -> list[dict]:
    """`sweep_once(now=T0 + d)` over the generated open cases, rolled back after each run, at
    several `d` so that the number due varies while the number open does not."""
    from django.db import connection, transaction

    from tawasul.cases.models import Case
    from tawasul.cases.tasks import sweep_once

    t0 = generated_at(label, db)
    open_cases = Case.objects.filter(closed_at__isnull=True).count()
    rows = []
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
        with transaction.atomic():
            began = time.perf_counter()
            counts = sweep_once(now=now)
            wall = time.perf_counter() - began
            transaction.set_rollback(True)
        queries = []
        with transaction.atomic(), connection.execute_wrapper(_counting(queries)):
            sweep_once(now=now)
            transaction.set_rollback(True)
        due = escalation_due + overdue_due
        rows.append(
            {
                "now_offset_days": days,
                "open_cases": open_cases,
                "due": due,
                "due_pct_of_open": round(100 * due / open_cases, 2) if open_cases else None,
                "escalated": counts["escalated"],
                "overdue_marked": counts["overdue"],
                "wall_s": round(wall, 3),
                "queries": len(queries),
                "queries_per_due": round(len(queries) / due, 2) if due else None,
            }
        )
        log(f"  sweep +{days} d: {due} due of {open_cases} open, {wall:.2f} s, {len(queries)} queries")
    return rows


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
        "method": {"repetitions": reps, "seconds_per_repetition": seconds, "max_requests": MAX_REQUESTS},
    }
    server.start()
    try:
        reqs = requests_for(inputs["tracking"], inputs["administration"], inputs["subject"])
        log(f"{db}: throughput scenarios (A B A B, {reps} × {seconds:.0f} s)")
        results["throughput"] = throughput_scenarios(server, reqs, reps=reps, seconds=seconds)
        log(f"{db}: statistics page")
        results["statistics"] = {label: statistics_page(server, reqs, reps=reps, seconds=seconds)}
    finally:
        server.stop()
    results["sweep"] = swept
    second_scale = int(os.environ.get("BENCH_SECOND_SCALE", "10"))  # 0: skip the second size
    if full and second_scale:
        results["statistics"].update(statistics_at(db, scale=second_scale, reps=reps, seconds=seconds))
    write_results(results)
    return results


def statistics_at(db: str, *, scale: int, reps: int, seconds: float) -> dict:
    """The statistics page at a second size (FULL): its own data set and server."""
    label = ensure_data(db, scale=scale, quick=False)
    server = Server(db, label)
    server.start()
    try:
        reqs = requests_for([("", "")], "", "")
        return {label: statistics_page(server, reqs, reps=reps, seconds=seconds)}
    finally:
        server.stop()


# --- Reports ----------------------------------------------------------------------------------


def write_results(results: dict) -> None:
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if results["size"] == "quick" else f"-{results['size']}"
    stem = common.RESULTS / f"{results['date']}-{results['db']}{suffix}"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    stem.with_suffix(".md").write_text(markdown(results))
    log(f"wrote {stem}.json and {stem}.md")


def markdown(r: dict) -> str:
    lines = [
        f"# Tawasul benchmark — {r['db']}, {r['date']}",
        "",
        f"{r['complaints']:,} complaints ({r['open_cases']:,} open), data set `{r['size']}`; "
        f"gunicorn `{' '.join(r['server']['gunicorn'])}`, {r['server']['client_threads']} client threads; "
        f"{r['method']['repetitions']} repetitions × {r['method']['seconds_per_repetition']:.0f} s, "
        f"interleaved; {r['machine']['cores']} cores, load at start {r['machine']['loadavg_at_start'][0]:.2f}.",
        "",
        "| path | req/s | ratio to baseline (req/s) | ratio (CPU) | p50 ms | p95 ms | p99 ms "
        "| server CPU ms/req | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, data in r["throughput"].items():
        s, ratio = data["summary"], data.get("ratio_to_baseline")
        rps_ratio = f"{ratio['rps_ratio']:.2f} of {ratio['baseline']}" if ratio else ""
        cpu_ratio = f"{ratio['cpu_ratio']:.2f}" if ratio and ratio["cpu_ratio"] else ""
        lines.append(
            f"| {name} | {s['rps']} | {rps_ratio} | {cpu_ratio} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | "
            f"{s['server_cpu_ms_per_request']} | {s['errors']} |"
        )
    lines += ["", "## Statistics page (one client)", "", "| data set | requests | p50 ms | p95 ms | p99 ms |"]
    lines += ["|---|---:|---:|---:|---:|"]
    for size, data in r["statistics"].items():
        s = data["summary"]
        lines.append(f"| {size} | {s['requests']} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} |")
    lines += ["", "## SLA sweep (in process, rolled back)", ""]
    lines += ["| now = T0 + days | open | due | due % | wall s | queries | queries per due |"]
    lines += ["|---:|---:|---:|---:|---:|---:|---:|"]
    for row in r["sweep"]:
        lines.append(
            f"| {row['now_offset_days']} | {row['open_cases']} | {row['due']} | {row['due_pct_of_open']} | "
            f"{row['wall_s']} | {row['queries']} | {row['queries_per_due']} |"
        )
    return "\n".join(lines) + "\n"


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
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "8")))
    parser.add_argument("--extra-only", action="store_true", help="only the standalone scenarios 3, 6, 7")
    args = parser.parse_args(argv)
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
