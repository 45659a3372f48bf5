"""SQLite: the FTS5 table gains a `facets` column (filter tokens) and holds published procedures
only, so filtered searches never join the procedures table (bench/catalog_search.py: the join
cost 200 ms per query at 100,000 procedures). Rebuilt from the rows in one pass."""

from django.db import migrations


def recreate(apps, schema_editor):
    from tawasul.catalog.search import _SQLITE_INSERT, FTS_TABLE, create_index_sql, drop_index_sql

    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [*drop_index_sql("sqlite"), *create_index_sql("sqlite")]:
        schema_editor.execute(statement)
    schema_editor.execute(_SQLITE_INSERT)
    schema_editor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608 - constant name


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_themes_and_search_index")]

    operations = [migrations.RunPython(recreate, migrations.RunPython.noop)]
