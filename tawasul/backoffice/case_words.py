"""The words index of case subjects, behind the inbox's words search (docs/adr/0023-inbox-words-index.md).

`core.words.WordsIndex` over `cases_case.subject`: an FTS5 table with triggers on SQLite, a
generated tsvector column with a GIN index on PostgreSQL; the database keeps it whatever writes
a subject (services, transfers, `bulk_create`, the benchmark generator's COPY, a restore).
The back office owns it (migration backoffice 0002): it is the only reader.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q

from tawasul.core.words import WordsIndex

#: On PostgreSQL a second GIN index holds the open cases only: the inbox's default view and its
#: counts search open cases (~16 % of an administration's history), and read 618 rows' entries
#: instead of 3,934 for "retard permis" at 100,000 cases (bench/inbox.py; 1.8 ms against 25 ms).
SUBJECT_WORDS = WordsIndex(
    table="cases_case",
    column="subject",
    name="cases_case_subject_words",
    pg_partial=(("open", "closed_at IS NULL"),),
)


def subject_matches(text: str) -> Q:
    """Cases whose subject holds every word of `text`: any case, Arabic and accents folded
    (`core.text.normalize`), each word of 3+ letters as a prefix; no word at all: no case."""
    return SUBJECT_WORDS.matching(text, vendor=connection.vendor)


def ensure_index(sender=None, using="default", **kwargs) -> None:
    """`post_migrate` receiver: SQLite loses a table's triggers when a migration rebuilds it
    (Django alters an SQLite table by copying it); put them back and refill the index."""
    from django.db import connections

    SUBJECT_WORDS.ensure(connections[using])
