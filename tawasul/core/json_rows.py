"""Rows of a related table read as one JSON text, in the query that reads their parent (issue 7).

A page that shows one row and a few of its children (a case and its public history) costs two
statements, each a round trip to the database, a transaction of its own in autocommit and a pass
through the driver. `JSONRows(JSONRow(...))` aggregates the children in a correlated subquery of
the parent's SELECT instead, the same way on PostgreSQL (`json_agg(json_build_array(...))`) and on
SQLite (`json_group_array(json_array(...))`); the caller reads the text with `json.loads`.

Values come back as JSON gives them: numbers and text as they are, a timestamp as ISO 8601 text
(`aware_datetime` turns it back into an aware datetime on both databases).
"""

from __future__ import annotations

import datetime

from django.db.models import Aggregate, Func, TextField
from django.db.models.functions import Cast

__all__ = ["JSONRow", "JSONRows", "aware_datetime"]


class JSONRow(Func):
    """A JSON array of the expressions' values: one row."""

    function = "json_array"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # Each value typed: a parameter bound on the server has no type json_build_array accepts.
        typed = self.copy()
        typed.set_source_expressions(
            [e if isinstance(e, Cast) else Cast(e, e.output_field) for e in typed.get_source_expressions()]
        )
        return typed.as_sql(compiler, connection, function="json_build_array", **extra_context)


class JSONRows(Aggregate):
    """A JSON array of the rows of a group, as text (in no particular order)."""

    function = "json_group_array"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "CAST(%(function)s(%(expressions)s) AS text)"
        return self.as_sql(compiler, connection, function="json_agg", template=template, **extra_context)


def aware_datetime(text: str) -> datetime.datetime:
    """A timestamp column's value as JSON gave it: ISO 8601 with its offset (PostgreSQL) or the
    naive UTC text SQLite stores."""
    value = datetime.datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)
