"""Personal-data erasure per case on a benchmark data set (law 09-08; ADR 0055): what a retention
purge or a requester's erasure costs, a case at a time, as the outbox grows with every filing.

    .venv/bin/python -m bench.erasure --db postgres [--label quick] [--cases 300] [--reps 3]

Each repetition erases the identity of `--cases` cases holding an email (the next ones by key)
inside a transaction that is then rolled back, so the data set is left as it was. It reports
milliseconds per case with the outbox's and the cases' row counts beside them.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench import common


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--label", default="quick")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)

    common.setup_django(args.db, args.label)
    from django.db import transaction

    from tawasul.cases.models import Case
    from tawasul.cases.personal_data import _anonymise
    from tawasul.notifications.models import Notification

    print(f"{args.db} {args.label}: {Notification.objects.count():,} emails and SMS, {Case.objects.count():,} cases")
    per_case = []
    for rep in range(args.reps):
        with transaction.atomic():
            ids = list(
                Case.objects.exclude(email="")
                .order_by("pk")
                .values_list("pk", flat=True)[rep * args.cases : (rep + 1) * args.cases]
            )
            started = time.perf_counter()
            count = _anonymise(Case.objects.filter(pk__in=ids), actor_user=None, reason="retention")
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        per_case.append(1000 * elapsed / max(count, 1))
        print(f"  rep {rep + 1}: {count} cases in {elapsed:.2f} s, {per_case[-1]:.2f} ms a case")
    print(f"median: {statistics.median(per_case):.2f} ms a case")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
