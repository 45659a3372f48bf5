"""PostgreSQL: a titles-only vector with its own GIN index for the title-first query (the
weight-restricted query on the full vector was planned as a scan of every row: 430 ms at
100,000 procedures, bench/catalog_search.py). Filled from the rows in one pass."""

from django.db import migrations

# The SQL as this migration ran it (migration 0007 replaced both vectors).
VECTOR = "setweight(to_tsvector('simple', search_title), 'A') || setweight(to_tsvector('simple', search_text), 'B')"
FILL = f"search_vector = {VECTOR}, search_title_vector = to_tsvector('simple', search_title)"


def add_title_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE catalog_procedure ADD COLUMN IF NOT EXISTS search_title_vector tsvector")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS catalog_procedure_search_title_gin "
        "ON catalog_procedure USING gin (search_title_vector)"
    )
    schema_editor.execute(f"UPDATE catalog_procedure SET {FILL}")  # noqa: S608 - constant SQL


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_search_index_facets")]

    operations = [migrations.RunPython(add_title_vector, migrations.RunPython.noop)]
