"""Read queries built with the ORM once and compiled once, then run with new parameters (issue 7).

On the hot public paths (tracking, filing) the database answers a primary-key or unique-key
SELECT in tens of microseconds; Django spends about ten times that building the `Query` and
compiling it to SQL at every request (BENCHMARKING.md: `get(pk)` 286 µs vs 18 µs raw on SQLite).
A `PreparedQuery` keeps the ORM as the one place that says what is read (models, joins,
`select_related`, converters: a renamed column still follows), and pays the building and the
compiling once per database alias:

    CASE_BY_REFERENCE = PreparedQuery(lambda ref: Case.objects.filter(reference=ref)[:1], str)
    case = next(iter(CASE_BY_REFERENCE.instances("CHK-2026-0000001-7")), None)

The queryset is built twice with placeholders for its parameters (strings, integers or dates);
the parameter positions are where the two compiled parameter lists hold the placeholders, and
each run puts the real values in those positions. The rows go through the same converters (JSON, dates on
SQLite...) and, for model querysets, the same `from_db` and `select_related` population as
Django's own iterator, so the result is what the queryset would have returned. Only what a
plain queryset does is supported: no `prefetch_related`, no related-manager querysets, no
`values()` dicts (use `values_list`).
"""

from __future__ import annotations

import datetime
import functools
import itertools
import re
import threading
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)

__all__ = ["PreparedQuery", "converted_row", "prepared_cursor"]

#: Two sets of placeholders: the query is compiled with each, and a parameter position is the
#: n-th parameter's where the first compile has the first placeholder and the second the second
#: (a constant of the query that happens to equal one placeholder is not mistaken for a slot).
#: Integers stay within a small integer column's range: Django drops a comparison with a value
#: out of the column's range (it cannot match), and the parameter would not reach the SQL.
_PLACEHOLDERS = (
    ("\x00tawasul-prepared-a%d\x00", 32_717, datetime.date(1111, 1, 1)),
    ("\x00tawasul-prepared-b%d\x00", 30_011, datetime.date(1212, 2, 2)),
)


@contextmanager
def prepared_cursor(connection):
    """A cursor for a prepared query, for the length of a `with` block. On PostgreSQL, when the
    connection allows prepared statements (settings: `DATABASE_PREPARED_STATEMENTS`, psycopg's
    `prepare_threshold` not None), a server-binding cursor that asks psycopg to prepare the
    statement (`prepare=True`): the server parses and plans it once per connection, not at every
    request (ADR 0024). On SQLite, the ordinary cursor but for its placeholders, converted (`%s`
    to `?`) once per statement instead of at every execute (issue 7: 25 µs for a case's INSERT;
    the sqlite3 module already keeps each statement compiled, by its text). Otherwise the
    connection's ordinary cursor. Django's cursor wrapper stays around it, so query logging and
    execute wrappers see the query.

    The server-binding cursor is kept on the connection and used again by the next block (issue
    7: making and closing one cost ~20 µs, a filing runs two statements; psycopg holds a result
    on the client, so a kept cursor holds nothing on the server). A block opened inside another,
    or after the connection was opened again, gets a new one. Other cursors are closed at the end
    of the block (an SQLite statement not yet reset would hold its transaction open)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        with connection.wrap_database_errors:
            raw = connection.connection.cursor(factory=_sqlite_cursor_class())
        with connection._prepare_cursor(raw) as cursor:
            yield cursor
        return
    if connection.vendor != "postgresql" or connection.connection.prepare_threshold is None:
        with connection.cursor() as cursor:
            yield cursor
        return
    kept = connection.__dict__.get(_KEPT_CURSOR)
    if kept is None or not kept.usable(connection.connection):
        outer = kept if kept is not None and kept.busy else None
        kept = _KeptCursor(_server_prepared_cursor_class()(connection.connection), connection.connection)
        if outer is None:
            connection.__dict__[_KEPT_CURSOR] = kept
    kept.busy = True
    try:
        connection.validate_thread_sharing()
        yield (
            _PreparedDebugWrapper(kept.raw, connection)
            if connection.queries_logged
            else connection.make_cursor(kept.raw)
        )
    finally:
        kept.busy = False
        if connection.__dict__.get(_KEPT_CURSOR) is not kept:  # a block inside another: its own cursor
            kept.raw.close()


_KEPT_CURSOR = "_tawasul_prepared_cursor"


class _KeptCursor:
    """The server-binding cursor `prepared_cursor` keeps on a connection, with the driver
    connection it belongs to (Django opens a new one after a close)."""

    __slots__ = ("busy", "owner", "raw")

    def __init__(self, raw, owner) -> None:
        self.raw, self.owner, self.busy = raw, owner, False

    def usable(self, owner) -> bool:
        return self.owner is owner and not self.busy and not self.raw.closed


def converted_row(row, converters, connection) -> list:
    """A row as the ORM hands it over: each column through its converters (a compiler's
    `get_converters(...).items()`: JSON decoded, dates parsed on SQLite...)."""
    row = list(row)
    for position, (functions, expression) in converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return row


class _PreparedDebugWrapper(CursorDebugWrapper):
    """Query logging (DEBUG, tests' CaptureQueriesContext) for a server-prepared statement:
    psycopg keeps no client-side text of it, so the SQL is logged as run, with its placeholders."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


_CURSOR_CLASS = None


def _server_prepared_cursor_class():
    global _CURSOR_CLASS
    if _CURSOR_CLASS is None:
        import psycopg
        from django.db.backends.postgresql.base import CursorMixin

        class ServerPreparedCursor(CursorMixin, psycopg.RawCursor):
            """Server-side binding, prepared, with the statement's `%s` placeholders numbered
            (`$1`...) once per statement: psycopg converts `%s` itself at every execute for a
            statement over 4 kB or 50 parameters (a filing's case row, its batch), which cost
            more than the rest of the execute (issue 7)."""

            def execute(self, query, params=None, *, prepare=None, binary=None):
                # Without parameters a statement has no placeholders, and `%` is itself.
                query = query if params is None else _numbered(query)
                return super().execute(query, params, prepare=True, binary=binary)

        _CURSOR_CLASS = ServerPreparedCursor
    return _CURSOR_CLASS


_SQLITE_CURSOR_CLASS = None


def _sqlite_cursor_class():
    global _SQLITE_CURSOR_CLASS
    if _SQLITE_CURSOR_CLASS is None:
        from django.db.backends.sqlite3.base import SQLiteCursorWrapper

        class QmarkOnceCursor(SQLiteCursorWrapper):
            """Django's SQLite cursor, whose `%s` → `?` conversion of a statement is kept."""

            def convert_query(self, query, *, param_names=None):
                if param_names is not None:
                    return super().convert_query(query, param_names=param_names)
                return _qmarks(query)

        _SQLITE_CURSOR_CLASS = QmarkOnceCursor
    return _SQLITE_CURSOR_CLASS


@functools.lru_cache(maxsize=1024)
def _qmarks(query: str) -> str:
    from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

    return FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


_PLACEHOLDER = re.compile(r"%(.)", re.DOTALL)


@functools.lru_cache(maxsize=1024)
def _numbered(query: str) -> str:
    """`query` with PostgreSQL's numbered placeholders: each `%s` becomes `$1`, `$2`... in order
    and `%%` a `%`, as psycopg converts a query for server-side binding. The prepared statements
    are a fixed set, compiled once, so each is converted once."""
    numbers = itertools.count(1)

    def placeholder(match: re.Match) -> str:
        if match.group(1) == "%":
            return "%"
        if match.group(1) == "s":
            return f"${next(numbers)}"
        raise ValueError(f"unsupported placeholder %{match.group(1)} in a prepared statement")

    return _PLACEHOLDER.sub(placeholder, query)


class _Compiled:
    __slots__ = (
        "annotations",
        "converters",
        "init_list",
        "kind",
        "model",
        "model_slice",
        "params",
        "populators",
        "slots",
        "sql",
    )


class PreparedQuery:
    """`build(*placeholders) -> QuerySet`, compiled on first use per database alias.

    `param_types` says the type of each parameter of `build`: `str`, `int` or `datetime.date`.
    """

    def __init__(self, build: Callable[..., Any], *param_types: type) -> None:
        for kind in param_types:
            if kind not in (str, int, datetime.date):
                raise TypeError(f"unsupported parameter type {kind!r}")
        self._build = build
        self._types = param_types
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    # --- compiling ------------------------------------------------------------------------------

    def _placeholders(self, which: int) -> list:
        text, number, day = _PLACEHOLDERS[which]
        values = []
        for index, kind in enumerate(self._types):
            if kind is str:
                values.append(text % index)
            elif kind is int:
                values.append(number - index)
            else:
                values.append(day + datetime.timedelta(days=index))
        return values

    def _adapt(self, connection, kind: type, value):
        if kind is datetime.date:
            return connection.ops.adapt_datefield_value(value)
        return value

    def _compile_with(self, which: int):
        placeholders = self._placeholders(which)
        queryset = self._build(*placeholders)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        connection = connections[queryset.db]
        adapted = [self._adapt(connection, kind, value) for kind, value in zip(self._types, placeholders, strict=True)]
        return queryset, compiler, sql, list(params), adapted

    def _compile(self) -> tuple[str, _Compiled]:
        queryset, compiler, sql, params, adapted = self._compile_with(0)
        _other, _compiler, other_sql, other_params, other_adapted = self._compile_with(1)
        alias = queryset.db
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ValueError("a prepared query cannot prefetch or come from a related manager")
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError("the SQL of a prepared query must not depend on its parameters' values")
        slots = []
        for position, (value, other) in enumerate(zip(params, other_params, strict=True)):
            for index, kind in enumerate(self._types):
                first, second = adapted[index], other_adapted[index]
                if (
                    isinstance(value, type(first))
                    and value == first
                    and isinstance(other, type(second))
                    and other == second
                ):
                    # The backend may wrap a value in a typed subclass (psycopg's `Int2` for a small
                    # integer column on PostgreSQL): each run wraps the real value the same way.
                    wrapper = type(value) if type(value) is not type(first) else None
                    slots.append((position, index, kind, wrapper))
        missing = set(range(len(self._types))) - {slot[1] for slot in slots}
        if missing:
            raise ValueError(f"parameters {sorted(missing)} do not reach the SQL of the prepared query")
        compiled = _Compiled()
        compiled.sql, compiled.params, compiled.slots = sql, params, tuple(slots)
        fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        compiled.converters = tuple(compiler.get_converters(fields).items())
        iterable = queryset._iterable_class
        if iterable is ModelIterable:
            klass_info = compiler.klass_info
            # Annotations are set on each instance as attributes, as Django's `ModelIterable` does.
            compiled.annotations = tuple(compiler.annotation_col_map.items())
            select_fields = klass_info["select_fields"]
            compiled.kind = "model"
            compiled.model = klass_info["model"]
            compiled.model_slice = slice(select_fields[0], select_fields[-1] + 1)
            compiled.init_list = [selected[0].target.attname for selected in compiler.select[compiled.model_slice]]
            compiled.populators = tuple(get_related_populators(klass_info, compiler.select, alias))
        elif iterable in (ValuesListIterable, FlatValuesListIterable):
            query = queryset.query
            if query.extra_select:
                raise ValueError("a prepared values_list() query cannot carry extra()")
            if query.annotation_select:
                # Django 5.2 selects the columns in the order values_list() names them; rows are
                # returned as selected, so that order must hold (as for a UNION of such parts).
                selected = [alias for _expression, _sql, alias in compiler.select[0 : compiler.col_count]]
                if selected != list(queryset._fields):
                    raise ValueError("a prepared values_list() query must select its columns in the order named")
            compiled.kind = "flat" if iterable is FlatValuesListIterable else "rows"
        else:
            raise ValueError(f"unsupported queryset kind {iterable.__name__}")
        return alias, compiled

    def _get(self) -> tuple[str, _Compiled]:
        # One alias per prepared query (the queryset's `db`), compiled once per process.
        cached = self._compiled.get("")
        if cached is None:
            with self._lock:
                cached = self._compiled.get("")
                if cached is None:
                    self._compiled[""] = cached = self._compile()
        return cached

    # --- running --------------------------------------------------------------------------------

    def _rows(self, args: tuple) -> tuple[str, _Compiled, list]:
        if len(args) != len(self._types):
            raise TypeError(f"expected {len(self._types)} parameters, got {len(args)}")
        alias, compiled = self._get()
        connection = connections[alias]
        params = list(compiled.params)
        for position, index, kind, wrapper in compiled.slots:
            value = self._adapt(connection, kind, args[index])
            params[position] = wrapper(value) if wrapper is not None else value
        with prepared_cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters and rows:
            rows = [converted_row(row, compiled.converters, connection) for row in rows]
        return alias, compiled, rows

    def rows(self, *args) -> list[tuple]:
        """The rows of a `values_list()` query (a list of values for `flat=True`)."""
        _alias, compiled, rows = self._rows(args)
        if compiled.kind == "flat":
            return [row[0] for row in rows]
        if compiled.kind != "rows":
            raise TypeError("rows() is for values_list() queries; use instances()")
        return [tuple(row) for row in rows]

    def instances(self, *args) -> list:
        """The model instances of a model query, with their `select_related` objects."""
        alias, compiled, rows = self._rows(args)
        if compiled.kind != "model":
            raise TypeError("instances() is for model queries; use rows()")
        objects = []
        from_db, init_list, model_slice = compiled.model.from_db, compiled.init_list, compiled.model_slice
        for row in rows:
            obj = from_db(alias, init_list, row[model_slice])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects
