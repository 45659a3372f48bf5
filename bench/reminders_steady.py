"""The sweep's D-5/D-1 reminder look-up in a steady state (issue 7, scenario 5), old against new.

    python -m bench.reminders_steady --label open100k --old /tmp/tasks_head.py --offset 1 --reps 3

The `--open` data sets (bench.generate) count every running case's reminders as sent, which is
what the look-up should skip, but not what a platform meets: there, the cases whose answer day is
a week or two away have no reminder yet, and those between D-5 and D-1 have D-5 only. This script
puts the data set in that state inside a transaction it rolls back: each open, running case with
a deadline after `now - 10 minutes` gets the reminders a sweep run 10 minutes before `now` would
have sent (none, D-5, or both, by `services.reminder_due`'s working-day rule). Then the look-up
alone (`bench.run.reminder_lookup`: nothing is sent) of another version of tawasul/cases/tasks.py
(`--old`, e.g. `git show HEAD:tawasul/cases/tasks.py > /tmp/tasks_head.py`) and of this one run
A B A B. PostgreSQL only; the rolled-back updates leave dead rows, so it ends with VACUUM ANALYZE
of the cases table (otherwise the next runs on the set would read them).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta

from bench import common


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="open100k")
    parser.add_argument("--old", required=True, help="another tasks.py (A)")
    parser.add_argument("--offset", type=float, default=1.0, help="now = T0 + offset days")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    common.setup_django("postgres", args.label)

    from django.db import connection, transaction

    from bench import run
    from tawasul.cases import tasks
    from tawasul.cases.models import Case
    from tawasul.cases.services import reminder_due

    old = run.other_tasks(args.old)
    now = run.generated_at(args.label, "postgres") + timedelta(days=args.offset)
    before = now - timedelta(minutes=10)
    with transaction.atomic():
        running = Case.objects.filter(
            closed_at__isnull=True, answered_at__isnull=True, paused_at__isnull=True, answer_due_at__gt=before
        ).only("pk", "answer_due_at", "closed_at", "answered_at", "paused_at", "reminders_sent", "reminders_sent_for")
        masks: dict[int, list[int]] = {0: [], 0b01: [], 0b11: []}
        for case in running.iterator(chunk_size=5000):
            case.reminders_sent, case.reminders_sent_for = 0, None
            index = reminder_due(case, before)  # what a sweep at `before` would have sent: that and the earlier
            masks[0 if index is None else (0b11 if index == 1 else 0b01)].append(case.pk)
        for mask, ids in masks.items():
            for start in range(0, len(ids), 5000):
                Case.objects.filter(pk__in=ids[start : start + 5000]).update(reminders_sent=mask)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cases_case SET reminders_sent_for = CASE WHEN reminders_sent > 0 THEN answer_due_at END "
                "WHERE closed_at IS NULL AND answered_at IS NULL AND paused_at IS NULL AND answer_due_at > %s",
                [before],
            )
            cursor.execute("ANALYZE cases_case")
        print(
            f"{args.label}: now = T0 + {args.offset} d; {sum(map(len, masks.values())):,} running cases with a "
            f"deadline ahead: {len(masks[0]):,} with no reminder yet, {len(masks[0b01]):,} with D-5 only, "
            f"{len(masks[0b11]):,} with both; load {os.getloadavg()[0]:.2f}"
        )
        for rep in range(args.reps):
            for name, module in (("old", old), ("new", tasks)):
                with transaction.atomic():
                    r = run.reminder_lookup(module, now)
                    transaction.set_rollback(True)
                print(
                    f"  rep {rep + 1} {name}: {r['reminder_lookup_wall_s']:.3f} s "
                    f"(CPU {r['reminder_lookup_cpu_s']:.3f} s + database {r['reminder_lookup_db_cpu_s']:.2f} s), "
                    f"{r['reminder_lookup_queries']} queries, "
                    f"{r['reminder_lookup_returned']:,} cases returned ({r['reminder_lookup_due']:,} due); first query "
                    f"read {r.get('reminder_lookup_first_query_rows_read', 0):,} rows, "
                    f"{r.get('reminder_lookup_first_query_buffers')} buffers, via "
                    f"{', '.join(r.get('reminder_lookup_indexes', []))}; load {os.getloadavg()[0]:.2f}"
                )
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) cases_case")
    return 0


if __name__ == "__main__":
    sys.exit(main())
