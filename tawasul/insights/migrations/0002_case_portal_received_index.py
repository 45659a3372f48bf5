"""An index on cases_case (portal, received_at) for the counters' month recount (docs/adr/0030).

`counters.count_month` and `_first_actions` read one portal's cases received in one month; without
this index PostgreSQL scans the whole case table for each dirty month (measured: a sequential scan
of every row of the benchmark set for 846 rows). The index belongs to insights' plan, so it is
created here, outside the cases app's model state (no model change: `makemigrations` stays clean),
CONCURRENTLY on PostgreSQL so that a large table keeps taking writes while it is built.
"""

from django.db import migrations

NAME = "insights_case_portal_received_idx"


def create(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX {concurrently}IF NOT EXISTS {NAME} ON cases_case (portal, received_at)")


def drop(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("insights", "0001_initial"),
        ("cases", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
