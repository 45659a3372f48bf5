"""In-process request costs: queries and CPU per request through Django's test client, the
scenario interleaved with its bare baseline in the same process (A B A B), on a benchmark data set.

    python -m bench.inprocess --db sqlite [--n 200] [--reps 3] [--profile tracking]

No server, no sockets: what one request costs inside Django (middleware, view, ORM, database;
on PostgreSQL the CPU of this process's backend is added, as the server figures of `bench.run` do),
which is the part the code controls. The load-driven figures (`bench.run`) include gunicorn and
the client; these are steadier on a shared machine and quicker to take before and after a change.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import time
import uuid

from bench import common


def _cpu() -> float:
    return time.process_time()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--label", default="quick")
    parser.add_argument("--n", type=int, default=200, help="requests per measurement")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--only", choices=["submission", "tracking", "statistics"], default=None)
    parser.add_argument("--profile", choices=["submission", "tracking", "statistics"], default=None)
    args = parser.parse_args(argv)

    os.environ["STATIC_ROOT"] = str(common.VAR / "static")  # collected by bench.run
    common.setup_django(args.db, args.label)
    from django.db import connection
    from django.test import Client

    from bench.run import CLK_TCK, SUBMISSION, _backend_pid, _ticks, prepare_inputs

    inputs = prepare_inputs(args.label, args.db)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr", REMOTE_ADDR="127.0.0.9", HTTP_HOST="127.0.0.1")
    rng = random.Random(11)

    def bare_select():
        return client.get(f"/bench/select/{rng.randint(1, 1000)}")

    def bare_insert():
        return client.post("/bench/insert", b"{}", content_type="application/json")

    def api_select():  # the same bare views behind the API's middleware chain (docs/adr/0041)
        return client.get(f"/api/bench/select/{rng.randint(1, 1000)}")

    def api_insert():
        return client.post("/api/bench/insert", b"{}", content_type="application/json")

    def submission():
        body = {**SUBMISSION, "administration": inputs["administration"], "subject": inputs["subject"]}
        return client.post(
            "/api/v1/complaints/",
            json.dumps(body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )

    def tracking():
        reference, email = rng.choice(inputs["tracking"])
        return client.post(
            "/api/v1/track/", json.dumps({"reference": reference, "email": email}), content_type="application/json"
        )

    def stats():
        return client.get("/fr/complaints/statistics/")

    expected = {
        bare_select: 200,
        bare_insert: 201,
        api_select: 200,
        api_insert: 201,
        submission: 201,
        tracking: 200,
        stats: 200,
    }

    def measure(func, n):
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        backend = _backend_pid(connection)
        backend_before = _ticks(backend) if backend else 0
        gc.collect()  # the previous block's garbage is not this one's
        started = _cpu()
        with connection.execute_wrapper(count):
            for _ in range(n):
                response = func()
                if response.status_code != expected[func]:
                    raise SystemExit(f"{func.__name__}: {response.status_code} {response.content[:300]!r}")
            gc.collect()  # this block's own garbage (reference cycles) is paid here, not by the next
        cpu = _cpu() - started
        database = 0.0
        if backend and _backend_pid(connection) == backend:  # the database's own CPU (PostgreSQL)
            database = (_ticks(backend) - backend_before) / CLK_TCK
        return {
            "cpu_ms": 1000 * (cpu + database) / n,
            "database_cpu_ms": 1000 * database / n,
            "queries": len(queries) / n,
            "sample": queries[-40:],
        }

    if args.profile:
        import cProfile
        import pstats

        func = {"submission": submission, "tracking": tracking, "statistics": stats}[args.profile]
        measure(func, 5)
        profiler = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared
        profiler.enable()
        measure(func, args.n)
        profiler.disable()
        if os.environ.get("BENCH_PROFILE_OUT"):  # for pstats afterwards (every function, not 45)
            profiler.dump_stats(os.environ["BENCH_PROFILE_OUT"])
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(45)
        return 0

    if args.only == "statistics":
        return statistics_latency(stats, bare_select, args)
    pairs = [("submission", submission, bare_insert, api_insert), ("tracking", tracking, bare_select, api_select)]
    pairs = [pair for pair in pairs if args.only in (None, pair[0])]
    results: dict[str, list] = {}
    for _name, scenario, baseline, api_baseline in pairs:
        measure(baseline, 5)  # warm up
        measure(api_baseline, 5)
        measure(scenario, 5)
    for _rep in range(args.reps):
        for name, scenario, baseline, api_baseline in pairs:
            base = measure(baseline, args.n)
            api_base = measure(api_baseline, args.n)
            scen = measure(scenario, args.n)
            results.setdefault(name, []).append((scen, base, api_base))
    report = {}
    for name, runs in results.items():
        report[name] = {
            "queries_per_request": runs[-1][0]["queries"],
            "cpu_ms_per_request": round(statistics.median(s["cpu_ms"] for s, _b, _a in runs), 2),
            "database_cpu_ms_per_request": round(statistics.median(s["database_cpu_ms"] for s, _b, _a in runs), 2),
            "baseline_cpu_ms_per_request": round(statistics.median(b["cpu_ms"] for _s, b, _a in runs), 2),
            "cpu_ratio": round(statistics.median(b["cpu_ms"] / s["cpu_ms"] for s, b, _a in runs), 3),
            "api_baseline_cpu_ms_per_request": round(statistics.median(a["cpu_ms"] for _s, _b, a in runs), 2),
            "cpu_ratio_to_api_baseline": round(statistics.median(a["cpu_ms"] / s["cpu_ms"] for s, _b, a in runs), 3),
        }
        sys.stderr.write(f"{name}: {json.dumps(report[name])}\n")
    for name, runs in results.items():
        sys.stderr.write(
            f"last queries of a {name} request:\n  " + "\n  ".join(q[:150] for q in runs[-1][0]["sample"][-30:]) + "\n"
        )
    print(json.dumps(report, indent=1))
    return 0


def statistics_latency(page, baseline, args) -> int:
    """The statistics page's server-side latency (in process, wall clock), interleaved with the
    bare SELECT: p50/p95 of each repetition, medians over repetitions."""
    page()  # builds or refreshes the counters first, as the first reader would
    reps = []
    for _rep in range(args.reps):
        load = os.getloadavg()[0]
        base = [_timed(baseline) for _ in range(args.n)]
        scen = [_timed(page) for _ in range(args.n)]
        reps.append({"load": load, "page": _p(scen), "baseline": _p(base)})
        sys.stderr.write(f"  rep (load {load:.1f}): page {_p(scen)} ms, bare SELECT {_p(base)} ms\n")
    report = {
        "page_p50_ms": round(statistics.median(r["page"]["p50"] for r in reps), 2),
        "page_p95_ms": round(statistics.median(r["page"]["p95"] for r in reps), 2),
        "baseline_p95_ms": round(statistics.median(r["baseline"]["p95"] for r in reps), 2),
        "reps": reps,
    }
    print(json.dumps(report, indent=1))
    return 0


def _timed(func) -> float:
    started = time.perf_counter()
    response = func()
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code}")
    return 1000 * (time.perf_counter() - started)


def _p(samples: list[float]) -> dict:
    ordered = sorted(samples)
    last = len(ordered) - 1
    return {name: round(ordered[min(last, int(len(ordered) * q))], 2) for name, q in (("p50", 0.5), ("p95", 0.95))}


if __name__ == "__main__":
    sys.exit(main())
