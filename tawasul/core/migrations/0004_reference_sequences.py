"""On PostgreSQL, reference numbers come from one sequence per (prefix, year) (ADR 0037).

`core_reference_next(prefix, year)` returns the next number from the sequence
`core_reference_<prefix>_<year>`, which `nextval` advances without a lock that lasts until the
filing's commit. The counter row of (prefix, year) anchors it: the year's first filing creates
both; a row without its sequence (numbers issued from the table, by a bulk loader or before this
migration) gets one starting after the row's `last`. Two first filings racing: the second waits
on the first's row and then uses its sequence. SQLite keeps the counter table (its writers are
serialised anyway)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_reference_next(p_prefix text, p_year integer) RETURNS bigint AS $$
DECLARE
    seq text := format('core_reference_%s_%s', lower(p_prefix), p_year);
    issued bigint;
    inserted integer;
BEGIN
    SELECT "last" INTO issued FROM core_referencecounter WHERE prefix = p_prefix AND year = p_year;
    IF NOT FOUND THEN
        -- The year's first number: its counter row anchors a new sequence. A sequence left
        -- without its row (the table emptied) starts again with it.
        INSERT INTO core_referencecounter (prefix, year, "last") VALUES (p_prefix, p_year, 0)
            ON CONFLICT (prefix, year) DO NOTHING;
        GET DIAGNOSTICS inserted = ROW_COUNT;
        IF inserted = 1 THEN
            EXECUTE format('DROP SEQUENCE IF EXISTS %I', seq);
            EXECUTE format('CREATE SEQUENCE %I MINVALUE 1 START WITH 1', seq);
        END IF;  -- else another filing made both, and committed them before our INSERT returned
    ELSIF to_regclass(seq) IS NULL THEN
        -- Numbers issued from the row alone (before this function, or by a bulk loader).
        BEGIN
            EXECUTE format('CREATE SEQUENCE %I MINVALUE 1 START WITH %s', seq, issued + 1);
        EXCEPTION WHEN duplicate_table OR unique_violation THEN
            NULL;  -- another filing created it meanwhile
        END;
    END IF;
    RETURN nextval(seq);
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = "DROP FUNCTION IF EXISTS core_reference_next(text, integer);"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_seed_2025_islamic_holidays")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
