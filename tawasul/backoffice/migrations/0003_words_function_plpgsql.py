"""PostgreSQL: `tawasul_words` again, in PL/pgSQL (tawasul.core.words). Same words for every text,
so the stored `subject_words` of existing rows stay as they are; the function is no longer parsed
and planned again for every row written (issue 7). Nothing to do on SQLite."""

from django.db import migrations


def forward(apps, schema_editor):
    from tawasul.core.words import PG_COLLATION, pg_function_sql, pg_has_collation

    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(pg_function_sql(PG_COLLATION if pg_has_collation(cursor) else None))


class Migration(migrations.Migration):
    dependencies = [("backoffice", "0002_case_subject_words")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
