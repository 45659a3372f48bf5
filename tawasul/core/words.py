"""A words index over one text column, kept by the database itself (ARCHITECTURE.md "Arabic search").

Documents and queries are folded the same way: the query by `text.normalize_tokens`, the column
by the database, with the same rules, whatever writes it (a service, `bulk_create`,
`QuerySet.update`, a raw `COPY`, a restore):

- SQLite: an FTS5 table `<name>(words)`, rowid = the row's id, filled by three triggers on the
  table with `tawasul_normalize(<column>)`, which is `text.normalize` itself, registered on every
  SQLite connection by `register_sqlite_functions` (a `connection_created` receiver). A process
  that writes the table without it (the `sqlite3` shell) fails loudly ("no such function"), it
  never leaves the index behind. Django rebuilds an SQLite table to alter it, which drops its
  triggers: `ensure()` (run after every `migrate`) puts them back and refills the index when
  one was missing.
- PostgreSQL: a stored generated column `<name> tsvector GENERATED ALWAYS AS
  (tawasul_words(<column>))` with a GIN index. `tawasul_words` is one IMMUTABLE PL/pgSQL
  function, written from `text.py`'s own tables: NFKC, the Arabic marks, letter variants and digits
  (`translate`), lower case and the separators under the ICU root collation (independent of the
  database's locale), every combining mark of the Python `unicodedata` (accents), the article
  with the same length rule; the words become lexemes as they are (`array_to_tsvector`: no
  parser, no dictionary). A test compares it with `normalize_tokens` on PostgreSQL.
  Known differences, none in Arabic, French or Tifinagh: `casefold()` turns "ß" into "ss" (the
  function does too) and folds a few letters `lower()` keeps (Cherokee, some ligatures NFKC does
  not touch).
  PL/pgSQL, not SQL: the planner cannot inline an SQL function with a sub-select, so an SQL
  function was parsed and planned again for every row written (~0.2 ms of database time per
  filing, issue 7); PL/pgSQL plans its one statement once per connection.

A query is all of its words (at most `MAX_QUERY_WORDS`), each matching as a prefix of a word
when it has `MIN_PREFIX` letters or more ("perm" finds "permis"; "de" only "de"), passed as a
parameter: what a user types is never SQL nor FTS5/tsquery syntax (words are letters and digits).
"""

# The SQL below interpolates only names given in code (tables, columns, the index name) and
# literals built from `text.py`'s tables; every value a user typed is passed as a parameter.
# ruff: noqa: S608, S611

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from .text import _ARTICLE, _KEPT_MARKS, _MIN_STEM_AFTER_ARTICLE, _TABLE, normalize, normalize_tokens

__all__ = [
    "MAX_QUERY_WORDS",
    "MIN_PREFIX",
    "WordsIndex",
    "fts5_query",
    "query_words",
    "register_sqlite_functions",
    "tsquery",
]

#: Words of a query past this many are ignored.
MAX_QUERY_WORDS = 8
#: A query word of this many letters or more matches as a prefix; shorter ones match whole words
#: (a 1–2 letter prefix would expand to a large part of the vocabulary). Same rule as the catalog.
MIN_PREFIX = 3
#: The SQLite function name the triggers call (`text.normalize`).
SQLITE_NORMALIZE = "tawasul_normalize"
#: The PostgreSQL function: text -> tsvector of its normalised words.
PG_WORDS_FUNCTION = "tawasul_words"
#: ICU root collation: Unicode case mapping and character classes whatever the database's locale.
PG_COLLATION = "und-x-icu"


# --- The query ---------------------------------------------------------------------------------


def query_words(text: str) -> list[str]:
    """The normalised words of a query (at most `MAX_QUERY_WORDS`)."""
    return normalize_tokens(text or "")[:MAX_QUERY_WORDS]


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word, each quoted (never an operator), prefix when long."""
    return " ".join('"{}"{}'.format(w.replace('"', '""'), "*" if len(w) >= MIN_PREFIX else "") for w in words)


def tsquery(words: list[str]) -> str:
    """A tsquery (read by a `::tsquery` cast: no parser, no dictionary, like the indexed lexemes)."""

    def quoted(word: str) -> str:
        return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"

    return " & ".join(quoted(w) + (":*" if len(w) >= MIN_PREFIX else "") for w in words)


# --- SQLite: the Python normalize() inside the database -----------------------------------------


def _sqlite_normalize(value):
    return normalize(value) if isinstance(value, str) else ""


def register_sqlite_functions(sender=None, connection=None, **kwargs) -> None:
    """`connection_created` receiver: `tawasul_normalize(text)` on every SQLite connection."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_NORMALIZE, 1, _sqlite_normalize, deterministic=True)


# --- PostgreSQL: normalize() written in SQL -----------------------------------------------------


def _escape(codepoint: int) -> str:
    return f"\\u{codepoint:04x}" if codepoint <= 0xFFFF else f"\\U{codepoint:08x}"


def _combining_marks_class() -> str:
    """A regular-expression class of every combining mark (category Mn) `text.py` drops."""
    ranges: list[tuple[int, int]] = []
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp)) == "Mn" and chr(cp) not in _KEPT_MARKS:
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    parts = [_escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in ranges]
    return "[" + "".join(parts) + "]"


def _translate_args() -> tuple[str, str]:
    """`translate()`'s from and to strings: `text._TABLE` (folded letters, digits; marks deleted)."""
    mapped = {cp: to for cp, to in _TABLE.items() if to}
    deleted = [cp for cp, to in _TABLE.items() if not to]
    source = "".join(chr(cp) for cp in mapped) + "".join(chr(cp) for cp in deleted)
    return source, "".join(mapped.values())


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def pg_function_sql(collation: str | None = PG_COLLATION) -> str:
    """CREATE OR REPLACE the IMMUTABLE `tawasul_words(text) -> tsvector` (module docstring).

    Steps, as `text.normalize_tokens`: NFKC; `translate` (Arabic marks, letter variants, digits);
    lower case; decomposed, combining marks dropped, recomposed; every run of characters that are
    not letters or digits (or the Tifinagh joiner) -> one space; the article before 4+ letters;
    the words -> lexemes. Only built-in functions, so it runs with an empty search_path (pg_restore).
    `collation` None uses the database's own (a server built without ICU).
    """
    source, target = _translate_args()
    collate = f' COLLATE "{collation}"' if collation else ""
    translated = f"pg_catalog.translate(normalize(coalesce(value, ''), NFKC), {_literal(source)}, {_literal(target)})"
    folded = f"pg_catalog.lower({translated}{collate})"
    stripped = (
        "normalize(pg_catalog.regexp_replace(normalize(pg_catalog.replace("
        f"{folded}, 'ß', 'ss'), NFD), {_literal(_combining_marks_class())}, '', 'g'), NFC)"
    )
    spaced = f"pg_catalog.regexp_replace({stripped}{collate}, '[^[:alnum:]\\u2d7f]+', ' ', 'g')"
    # A space before each word; the greedy run takes the whole rest of the word.
    article_re = f"' {_ARTICLE}([^ ]{{{_MIN_STEM_AFTER_ARTICLE},}})'"
    article = f"pg_catalog.regexp_replace(' ' || {spaced}, {article_re}, ' \\1', 'g')"
    return f"""
CREATE OR REPLACE FUNCTION {PG_WORDS_FUNCTION}(value text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $words$
BEGIN
RETURN pg_catalog.array_to_tsvector(ARRAY(
    SELECT word FROM pg_catalog.unnest(pg_catalog.string_to_array({article}, ' ')) AS word
    WHERE word <> '' AND pg_catalog.octet_length(word) < 2047
));
END
$words$
"""


def pg_has_collation(cursor, collation: str = PG_COLLATION) -> bool:
    cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [collation])
    return cursor.fetchone() is not None


def pg_create_function(cursor) -> None:
    """CREATE OR REPLACE `tawasul_words` on this PostgreSQL database, under ICU's root collation
    when the server has it."""
    cursor.execute(pg_function_sql(PG_COLLATION if pg_has_collation(cursor) else None))


# --- One index ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordsIndex:
    """The words of `table.column`, id `pk`. `name` is the FTS5 table and its triggers
    `<name>_ai/_au/_ad` (SQLite), or the GIN index `<name>_gin` on the generated column
    `<column>_words` (PostgreSQL)."""

    table: str
    column: str
    name: str
    pk: str = "id"
    #: PostgreSQL: more GIN indexes on part of the rows, (suffix, WHERE condition): a query with
    #: the same condition reads only those rows' entries (`<name>_<suffix>_gin`).
    pg_partial: tuple[tuple[str, str], ...] = ()

    @property
    def vector(self) -> str:
        """PostgreSQL: the generated tsvector column."""
        return f"{self.column}_words"

    # The schema.

    def _sqlite_triggers(self) -> dict[str, str]:
        t, c, n, pk = self.table, self.column, self.name, self.pk
        insert = f"INSERT INTO {n}(rowid, words) VALUES (new.{pk}, {SQLITE_NORMALIZE}(new.{c}));"
        delete = f"DELETE FROM {n} WHERE rowid = old.{pk};"
        return {
            f"{n}_ai": f"CREATE TRIGGER IF NOT EXISTS {n}_ai AFTER INSERT ON {t} BEGIN {insert} END",
            f"{n}_au": (
                f"CREATE TRIGGER IF NOT EXISTS {n}_au AFTER UPDATE OF {c}, {pk} ON {t} BEGIN {delete} {insert} END"
            ),
            f"{n}_ad": f"CREATE TRIGGER IF NOT EXISTS {n}_ad AFTER DELETE ON {t} BEGIN {delete} END",
        }

    def _sqlite_fill(self) -> list[str]:
        return [
            f"DELETE FROM {self.name}",
            f"INSERT INTO {self.name}(rowid, words) "
            f"SELECT {self.pk}, {SQLITE_NORMALIZE}({self.column}) FROM {self.table}",
        ]

    def create(self, connection) -> None:
        """Create the index and fill it from the rows (a migration's forward step)."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # The text is normalised before it is indexed: the tokenizer must fold nothing more.
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.name} "
                    "USING fts5(words, tokenize='unicode61 remove_diacritics 0')"
                )
                for statement in [*self._sqlite_triggers().values(), *self._sqlite_fill()]:
                    cursor.execute(statement)
            elif connection.vendor == "postgresql":
                pg_create_function(cursor)
                cursor.execute(
                    f"ALTER TABLE {self.table} ADD COLUMN IF NOT EXISTS {self.vector} tsvector "
                    f"GENERATED ALWAYS AS ({PG_WORDS_FUNCTION}({self.column})) STORED"
                )
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {self.name}_gin ON {self.table} USING gin ({self.vector})")
                for suffix, condition in self.pg_partial:
                    cursor.execute(
                        f"CREATE INDEX IF NOT EXISTS {self.name}_{suffix}_gin ON {self.table} "
                        f"USING gin ({self.vector}) WHERE {condition}"
                    )
                cursor.execute(f"ANALYZE {self.table}")

    def drop(self, connection) -> None:
        """Remove the index (a migration's backward step). The PostgreSQL function stays: other
        indexes may use it, and it holds no data."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for trigger in self._sqlite_triggers():
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
            elif connection.vendor == "postgresql":
                for suffix, _condition in self.pg_partial:
                    cursor.execute(f"DROP INDEX IF EXISTS {self.name}_{suffix}_gin")
                cursor.execute(f"DROP INDEX IF EXISTS {self.name}_gin")
                cursor.execute(f"ALTER TABLE {self.table} DROP COLUMN IF EXISTS {self.vector}")

    def ensure(self, connection) -> bool:
        """SQLite: put back triggers a table rebuild dropped and refill the index (True when it
        had to). A no-op where the index does not exist yet (before its migration)."""
        if connection.vendor != "sqlite":
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s)", [self.name, self.table])
            if len(cursor.fetchall()) < 2:
                return False
            triggers = self._sqlite_triggers()
            marks = ", ".join("%s" for _ in triggers)
            cursor.execute(f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})", [*triggers])
            if len(cursor.fetchall()) == len(triggers):
                return False
            for statement in [*triggers.values(), *self._sqlite_fill()]:
                cursor.execute(statement)
        return True

    # The query.

    def matching(self, text: str, *, vendor: str) -> Q:
        """Rows whose column holds every word of `text` (prefix rule above); no word: no row."""
        words = query_words(text)
        if not words:
            return Q(pk__in=[])
        if vendor == "postgresql":
            sql = f'"{self.table}"."{self.vector}" @@ %s::tsquery'
            return Q(RawSQL(sql, [tsquery(words)], output_field=BooleanField()))
        sql = f"SELECT rowid FROM {self.name} WHERE {self.name} MATCH %s"
        return Q(pk__in=RawSQL(sql, [fts5_query(words)]))
