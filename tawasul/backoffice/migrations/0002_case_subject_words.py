"""The words index of case subjects (tawasul.backoffice.case_words; docs/adr/0023-inbox-words-index.md):
SQLite an FTS5 table `cases_case_subject_words` kept by triggers, PostgreSQL a generated column
`cases_case.subject_words` (tsvector, `tawasul_words(subject)`) with a GIN index. Filled from
the rows here."""

from django.db import migrations


def forward(apps, schema_editor):
    from tawasul.backoffice.case_words import SUBJECT_WORDS

    SUBJECT_WORDS.create(schema_editor.connection)


def backward(apps, schema_editor):
    from tawasul.backoffice.case_words import SUBJECT_WORDS

    SUBJECT_WORDS.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0001_initial"),
        ("cases", "0007_case_overdue_due_idx"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
