"""Wall time of one filing in process (Django's test client, one client): p50 and p90 over `--n`
filings after 10 of warm-up. On PostgreSQL it shows the commit waits that CPU figures miss
(ADR 0033: one commit per filing instead of two).

    python -m bench.filing_wall --db postgres [--n 300]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid

from bench import common


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--label", default="quick")
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args(argv)
    os.environ["STATIC_ROOT"] = str(common.VAR / "static")
    common.setup_django(args.db, args.label)
    from django.test import Client

    from bench.run import SUBMISSION, prepare_inputs

    inputs = prepare_inputs(args.label, args.db)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr", REMOTE_ADDR="127.0.0.9", HTTP_HOST="127.0.0.1")
    body = json.dumps({**SUBMISSION, "administration": inputs["administration"], "subject": inputs["subject"]})

    def one() -> float:
        started = time.perf_counter()
        response = client.post(
            "/api/v1/complaints/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
        )
        if response.status_code != 201:
            raise SystemExit(f"{response.status_code} {response.content[:300]!r}")
        return 1000 * (time.perf_counter() - started)

    for _ in range(10):
        one()
    load = os.getloadavg()[0]
    times = sorted(one() for _ in range(args.n))
    last = len(times) - 1
    report = {
        "db": args.db,
        "n": args.n,
        "load_at_start": round(load, 2),
        "p50_ms": round(times[int(last * 0.5)], 2),
        "p90_ms": round(times[int(last * 0.9)], 2),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
