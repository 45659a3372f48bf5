"""Instruction counts per request under `valgrind --tool=callgrind` (issue 7: steadier than any
timing on a shared machine; BENCHMARKING.md: ≈0.93M per `hello`, ≈8.9M per naive submission).

    python -m bench.callgrind [--db sqlite] [--small 10] [--large 30] [--repeat 2]
    make bench-callgrind

For each path (hello, bare SELECT, bare INSERT, submission, tracking) a process serves `--small`
then, in a second run, `--large` requests in process (Django's test client, as `bench.inprocess`)
under callgrind; instructions per request = (I(large) − I(small)) / (large − small), which
cancels the start-up. PYTHONHASHSEED is fixed so that two runs execute the same instructions.
Results go to `results/<date>-<db>-callgrind.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench import common

PATHS = ["hello", "bare_select", "bare_insert", "submission", "tracking"]


def serve(db: str, label: str, path: str, n: int) -> None:
    """Child: set up, warm up (5 requests), then `n` requests of `path`."""
    common.setup_django(db, label)
    import random
    import uuid

    from django.test import Client

    from bench.run import SUBMISSION, prepare_inputs

    inputs = prepare_inputs(label, db)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr", REMOTE_ADDR="127.0.0.8", HTTP_HOST="127.0.0.1")
    rng = random.Random(5)
    body = {**SUBMISSION, "administration": inputs["administration"], "subject": inputs["subject"]}

    def one():
        if path == "hello":
            return client.get("/bench/hello")
        if path == "bare_select":
            return client.get(f"/bench/select/{rng.randint(1, 1000)}")
        if path == "bare_insert":
            return client.post("/bench/insert", b"{}", content_type="application/json")
        if path == "submission":
            return client.post(
                "/api/v1/complaints/",
                json.dumps(body),
                content_type="application/json",
                # A new key at every filing, in every run: a seeded key came back in the next run
                # (the small run's keys were the large run's first ones), and the large run then
                # measured retries (200, the first case) among the filings.
                HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            )
        reference, email = rng.choice(inputs["tracking"])
        return client.post(
            "/api/v1/track/", json.dumps({"reference": reference, "email": email}), content_type="application/json"
        )

    import gc

    for index in range(5 + n):
        if index == 5:
            # After the warm-up: the long-lived heap frozen, and each request's garbage collected
            # right after it. Left to its thresholds, a collection of the whole heap (tens of
            # millions of instructions) fell inside one measurement and not the other, and the
            # submission's count varied by 6 % between repetitions.
            gc.collect()
            gc.freeze()
            gc.disable()
        response = one()
        if response.status_code >= 300:
            raise SystemExit(f"{path}: {response.status_code}")
        if index >= 5:
            gc.collect()


def instructions(db: str, label: str, path: str, n: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        # The filing's look-ups are remembered 30 s per process (ADR 0045), which a process under
        # valgrind may outlive in one measurement and not the other: at a steady rate of filings
        # they are read once per 30 s, so the steady state is a memo that does not expire here.
        env = {**common.bench_environ(db, label), "PYTHONHASHSEED": "0", "FILING_LOOKUP_CACHE_SECONDS": "3600"}
        cmd = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            "-m",
            "bench.callgrind",
            "--serve",
            path,
            "--n",
            str(n),
            "--db",
            db,
            "--label",
            label,
        ]
        proc = subprocess.run(cmd, env=env, cwd=common.BASE_DIR, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-2000:])
        match = re.search(r"^summary:\s+(\d+)", out.read_text(), re.MULTILINE) or re.search(
            r"^totals:\s+(\d+)", out.read_text(), re.MULTILINE
        )
        return int(match.group(1))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--label", default="quick")
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=30)
    parser.add_argument("--paths", nargs="+", default=PATHS, choices=PATHS)
    parser.add_argument("--repeat", type=int, default=2, help="measurements per path (their spread is reported)")
    parser.add_argument("--out", default="", help="result file (default results/<date>-<db>-callgrind.json)")
    parser.add_argument("--serve", choices=PATHS, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.db, args.label, args.serve, args.n)
        return 0
    results = {}
    for path in args.paths:
        measured, runs = [], []
        for _ in range(args.repeat):
            small = instructions(args.db, args.label, path, args.small)
            large = instructions(args.db, args.label, path, args.large)
            measured.append((large - small) / (args.large - args.small))
            runs.append([small, large])
        per_request = sum(measured) / len(measured)
        spread = (max(measured) - min(measured)) / per_request if per_request else 0.0
        results[path] = {
            "instructions_per_request": round(per_request),
            "repeats": [round(value) for value in measured],
            "spread_pct": round(100 * spread, 3),  # issue 7: steady within 0.1 %
            "runs": runs,
        }
        sys.stderr.write(
            f"{path}: {per_request / 1e6:.3f} M instructions per request (spread {100 * spread:.3f} % "
            f"over {args.repeat} measurements)\n"
        )
        _write(args, results)  # after each path: a long run stopped early keeps what it measured
    for scenario, baseline in (("submission", "bare_insert"), ("tracking", "bare_select")):
        if scenario in results and baseline in results:
            results[scenario]["ratio_to_" + baseline] = round(
                results[baseline]["instructions_per_request"] / results[scenario]["instructions_per_request"], 3
            )
    _write(args, results)
    print(json.dumps(results, indent=2))
    return 0


def _write(args, results: dict) -> None:
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    out = Path(args.out) if args.out else common.RESULTS / f"{date.today().isoformat()}-{args.db}-callgrind.json"
    out.write_text(json.dumps({"db": args.db, "label": args.label, "paths": results}, indent=2) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    # Work done every N seconds of wall time would make the count depend on valgrind's speed:
    # the calendar's check for new holidays (5 s by default) runs once at start-up only here.
    os.environ.setdefault("CALENDAR_OVERRIDES_CHECK_SECONDS", "86400")
    sys.exit(main())
