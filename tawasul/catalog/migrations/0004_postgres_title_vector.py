"""PostgreSQL: a titles-only vector with its own GIN index for the title-first query (the
weight-restricted query on the full vector was planned as a scan of every row: 430 ms at
100,000 procedures, bench/catalog_search.py). Filled from the rows in one pass."""

from django.db import migrations


def add_title_vector(apps, schema_editor):
    from tawasul.catalog.search import _PG_SET, create_index_sql

    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in create_index_sql("postgresql"):
        schema_editor.execute(statement)
    schema_editor.execute(f"UPDATE catalog_procedure SET {_PG_SET}")  # noqa: S608 - constant SQL


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_search_index_facets")]

    operations = [migrations.RunPython(add_title_vector, migrations.RunPython.noop)]
