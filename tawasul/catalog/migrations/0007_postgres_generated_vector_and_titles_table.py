"""PostgreSQL: the search index in the shape of ADR 0022 (nothing changes on SQLite).

- `catalog_procedure.search_vector` becomes a stored generated column: PostgreSQL computes it from
  `search_title` and `search_text` on every write, instead of a second UPDATE of each row by the
  services (and of every row by `rebuild_index()`, which left a dead copy of the whole table).
- `search_title_vector` leaves the procedures table for a narrow table `catalog_procedure_titles`
  (published procedures, their filter columns and the titles' vector, GIN-indexed): ranking the
  title matches read ~11,000 pages of the wide table at 100,000 procedures, it now reads ~4,000
  small ones that stay in shared buffers (bench/catalog_search.py).

Rebuilding the column rewrites the procedures table once (seconds at 100,000 procedures).
"""

from django.db import migrations


def forward(apps, schema_editor):
    from tawasul.catalog.search import AFTER_BULK_LOAD_SQL, create_index_sql, rebuild_titles_sql

    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [
        "DROP INDEX IF EXISTS catalog_procedure_search_title_gin",
        "ALTER TABLE catalog_procedure DROP COLUMN IF EXISTS search_title_vector",
        "DROP INDEX IF EXISTS catalog_procedure_search_gin",
        "ALTER TABLE catalog_procedure DROP COLUMN IF EXISTS search_vector",
        *create_index_sql("postgresql"),
        *rebuild_titles_sql(),
        *AFTER_BULK_LOAD_SQL,
    ]:
        schema_editor.execute(statement)


# The index as migrations 0002 and 0004 left it.
_OLD_VECTOR = (
    "setweight(to_tsvector('simple', search_title), 'A') || setweight(to_tsvector('simple', search_text), 'B')"
)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [
        "DROP TABLE IF EXISTS catalog_procedure_titles",
        "DROP INDEX IF EXISTS catalog_procedure_search_gin",
        "ALTER TABLE catalog_procedure DROP COLUMN IF EXISTS search_vector",
        "ALTER TABLE catalog_procedure ADD COLUMN search_vector tsvector, ADD COLUMN search_title_vector tsvector",
        f"UPDATE catalog_procedure SET search_vector = {_OLD_VECTOR}, "  # noqa: S608 - constant SQL
        "search_title_vector = to_tsvector('simple', search_title)",
        "CREATE INDEX catalog_procedure_search_gin ON catalog_procedure USING gin (search_vector)",
        "CREATE INDEX catalog_procedure_search_title_gin ON catalog_procedure USING gin (search_title_vector)",
    ]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_deposit_place_codes")]

    operations = [migrations.RunPython(forward, backward)]
