"""PostgreSQL: `tawasul_words` again, in PL/pgSQL (tawasul.core.words). Same words for every text,
so the stored `subject_words` of existing rows stay as they are; the function is no longer parsed
and planned again for every row written (issue 7). Nothing to do on SQLite."""

from django.db import migrations


def forward(apps, schema_editor):
    from tawasul.core.words import pg_create_function

    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        pg_create_function(cursor)


class Migration(migrations.Migration):
    dependencies = [("backoffice", "0002_case_subject_words")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
