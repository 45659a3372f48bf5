"""INSERTs compiled once on the filing path, then run with each new row's values (issue 7).

Filing a complaint writes four rows (the case, its `submitted` event, the outbox email, the
complaint). `Model.save()` builds an `InsertQuery` for each and compiles it to SQL again, quoting
every column name of the table: on a 45-column `Case` that was more CPU than the database's own
work. `PreparedInsert` asks Django's compiler for the SQL once per database alias, from the model
(so a new or renamed column still follows, and the SQL is the compiler's own), and then, for each
row, computes the values exactly as the compiler does (`field.pre_save(obj, add=True)` for
`auto_now_add` and friends, then `field.get_db_prep_save`) and executes the cached SQL (on
PostgreSQL as a server-side prepared statement, like the compiled reads of `tawasul.core.prepared`):

    CASE_ROW = PreparedInsert(Case)
    CASE_ROW.insert(case)          # what case.save(force_insert=True) does, the same SQL and values

It does what `save(force_insert=True)` does for a new row of a plain model — related objects
checked (`_prepare_related_fields_for_save`), the database chosen by the router, a failure marking
the transaction for rollback, the returned primary key set, `_state` updated — and hands the row
to `save()` itself whenever it could differ: a model with pre/post-save receivers, a value that
is an expression, a backend without `INSERT ... RETURNING`. It
refuses, at construction, what it cannot reproduce (multi-table inheritance, proxies,
`order_with_respect_to`, fields with their own SQL placeholder) and a model that overrides
`save()` unless the caller states why skipping it is right. `tests/test_prepared_inserts.py`
checks the SQL and parameters equal `save()`'s.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from django.db import connections, router, transaction
from django.db.models import JSONField, Model
from django.db.models.base import DEFERRED, ModelState
from django.db.models.fields import Field
from django.db.models.signals import post_init, post_save, pre_init, pre_save
from django.db.models.sql import InsertQuery
from django.db.transaction import TransactionManagementError

# On PostgreSQL, the statement is prepared on the server once per connection, as the compiled
# read queries are (`tawasul.core.prepared.prepared_cursor`); elsewhere an ordinary cursor.
from .prepared import converted_row, prepared_cursor
from .statement_values import StatementValues, placeholder_parts

__all__ = [
    "PreparedInsert",
    "atomic_rows",
    "insert_batch",
    "key_sequence",
    "rows_in_one_statement",
    "statement_values",
]


class _Compiled:
    __slots__ = ("attnames", "converters", "json_positions", "plan", "returning", "returning_params", "sql")


class _Blank:
    """How `Model(**values)` fills a new instance, read once from the model (`PreparedInsert.new`).
    For each field `__init__` sets: its name, its attribute name, how a value given to it is set
    and its default's function. A value is put in the instance's `__dict__` where the attribute's
    class descriptor is Django's plain one (`__init__`'s `setattr` does the same on a new
    instance); otherwise it is set with `setattr`. A related object given by name goes through its
    descriptor, as in `__init__`; None through the descriptor's own steps for a new instance when
    the descriptor is Django's forward one (the key None, the cached object None)."""

    __slots__ = ("fields", "names", "pairs")

    PUT, SET, RELATED = 0, 1, 2

    def __init__(self, model: type[Model]) -> None:
        from django.db.models.fields.related_descriptors import (
            ForeignKeyDeferredAttribute,
            ForwardManyToOneDescriptor,
            ForwardOneToOneDescriptor,
        )
        from django.db.models.fields.reverse_related import ForeignObjectRel
        from django.db.models.query_utils import DeferredAttribute

        fields, pairs = [], []
        for field in model._meta.fields:  # the fields `Model.__init__` walks when given keywords
            if field.column is None or field.generated:
                continue
            plain = type(inspect.getattr_static(model, field.attname, None)) in (
                DeferredAttribute,
                ForeignKeyDeferredAttribute,
            )
            # `Field.get_default` calls its cached `_get_default`; a field class with its own
            # `get_default` (a foreign key's) is asked through it.
            default = field._get_default if type(field).get_default is Field.get_default else field.get_default
            related = None
            if isinstance(field.remote_field, ForeignObjectRel):  # as `__init__` tells them apart
                pairs.append((field.name, field.attname))
                descriptor = type(inspect.getattr_static(model, field.name, None))
                none_plainly = (
                    plain
                    and descriptor in (ForwardManyToOneDescriptor, ForwardOneToOneDescriptor)
                    and not field.remote_field.parent_link
                    and [lh.attname for lh, _rh in field.related_fields] == [field.attname]
                )
                related = (field.name, none_plainly)
            fields.append((field.name, field.attname, self.PUT if plain else self.SET, related, default))
        self.fields = tuple(fields)
        self.names = frozenset(name for field in fields for name in field[:2])
        self.pairs = tuple(pairs)


def _own_methods(field, owner, *names: str) -> bool:
    """True when `field` runs `owner`'s own `names` (neither a subclass nor the field changed them)."""
    return all(getattr(type(field), name) is getattr(owner, name) and name not in vars(field) for name in names)


class _Shortcut:
    """How a field's `get_db_prep_save` converts a value of one of `types` (exact types), read
    from Django's code for its own field classes: `adapt(value)`, or the value itself when
    `adapt` is None; `utc_only`: a datetime only when its zone is UTC (`_params`)."""

    __slots__ = ("adapt", "types", "utc_only")

    def __init__(self, types: tuple[type, ...], adapt=None, *, utc_only: bool = False) -> None:
        self.types, self.adapt, self.utc_only = types, adapt, utc_only


def _shortcut(field, connection) -> _Shortcut | None:
    """The conversion `_params` may apply itself to `field`'s values, or None (always through
    `get_db_prep_save`). A subclass, or a field, that changes a conversion method gets None. Text
    and booleans, automatic keys and foreign keys to them are sent as they are; other integers
    through the backend's `adapt_integerfield_value` (psycopg 3's sized types on PostgreSQL); a
    dict or list of a JSON field through `adapt_json_value`; on PostgreSQL, whose driver adapts
    them itself, a date and a UTC datetime as they are. Issue 7: a filing converts ~70 values."""
    from django.db.models import JSONField
    from django.db.models import fields as f
    from django.db.models.fields.related import ForeignKey

    if isinstance(field, ForeignKey) and _own_methods(field, ForeignKey, "get_db_prep_save"):
        return _shortcut(field.target_field, connection)
    ops = connection.ops
    if isinstance(field, JSONField):
        if _own_methods(field, JSONField, "get_db_prep_save", "get_db_prep_value") and _own_methods(
            field, f.Field, "get_prep_value"
        ):
            encoder = field.encoder
            return _Shortcut((dict, list), lambda value: ops.adapt_json_value(value, encoder))
        return None
    if not _own_methods(field, f.Field, "get_db_prep_save"):
        return None
    if _own_methods(field, f.CharField, "get_prep_value", "get_db_prep_value", "to_python") or _own_methods(
        field, f.TextField, "get_prep_value", "get_db_prep_value", "to_python"
    ):
        return _Shortcut((str,))
    if _own_methods(field, f.BooleanField, "get_prep_value", "get_db_prep_value", "to_python"):
        return _Shortcut((bool,))
    number, day, moment = 10**12 + 7, date(2026, 1, 2), datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    if isinstance(field, f.IntegerField) and _own_methods(field, f.IntegerField, "get_prep_value", "to_python"):
        # An automatic key is checked by `validate_autopk_value`; any other integer is adapted by
        # `adapt_integerfield_value` (on PostgreSQL with psycopg 3, wrapped in its sized type).
        if type(field).get_db_prep_value is f.AutoFieldMixin.get_db_prep_value and "get_db_prep_value" not in vars(
            field
        ):
            return _Shortcut((int,)) if ops.validate_autopk_value(number) is number else None
        if _own_methods(field, f.IntegerField, "get_db_prep_value"):
            internal_type = field.get_internal_type()
            if ops.adapt_integerfield_value(number, internal_type) is number:
                return _Shortcut((int,))
            return _Shortcut((int,), lambda value: ops.adapt_integerfield_value(value, internal_type))
        return None
    # The driver's own adaptation of dates and times (PostgreSQL); SQLite's backend makes text.
    if (
        _own_methods(field, f.DateTimeField, "get_prep_value", "get_db_prep_value", "to_python")
        and ops.adapt_datetimefield_value(moment) is moment
    ):
        return _Shortcut((datetime,), utc_only=True)
    if (
        _own_methods(field, f.DateField, "get_prep_value", "get_db_prep_value", "to_python")
        and ops.adapt_datefield_value(day) is day
    ):
        return _Shortcut((date,))
    return None


def _plain_pre_save(field) -> bool:
    """True when `field.pre_save(obj, add=True)` only reads the instance's attribute."""
    from django.db.models import fields as f

    if _own_methods(field, f.Field, "pre_save"):
        return True
    # A date or time without auto_now(_add): Django's own pre_save then only reads the attribute.
    dated = _own_methods(field, f.DateTimeField, "pre_save") or _own_methods(field, f.DateField, "pre_save")
    return dated and not field.auto_now and not field.auto_now_add


class PreparedInsert:
    """`insert(obj)`: the new row `obj` written as `obj.save(force_insert=True)` would write it.

    `save_override`: for a model that overrides `save()`, why bypassing it is right (for example
    an append-only guard that refuses rows that are not new, which `insert()` refuses too).
    """

    def __init__(self, model: type[Model], *, save_override: str = "") -> None:
        meta = model._meta
        if meta.proxy or meta.parents or meta.order_with_respect_to or meta.auto_created:
            raise ValueError(f"{meta.label}: a prepared insert writes one plain table")
        if (model.save is not Model.save or model.save_base is not Model.save_base) and not save_override:
            raise ValueError(f"{meta.label} overrides save(): say why a prepared insert may skip it")
        if any(getattr(field, "get_placeholder", None) for field in meta.local_concrete_fields):
            raise ValueError(f"{meta.label}: a field writes its own SQL placeholder")
        self.model = model
        self._blank: _Blank | None = None
        self._compiled: dict[tuple[str, bool], _Compiled | None] = {}
        self._lock = threading.Lock()

    # --- compiling ------------------------------------------------------------------------------

    def _compile(self, alias: str, pk_set: bool) -> _Compiled | None:
        """The compiler's SQL for one row of this model (None: leave the row to `save()`)."""
        connection = connections[alias]
        meta = self.model._meta
        fields = [f for f in meta.local_concrete_fields if not f.generated and (pk_set or f is not meta.auto_field)]
        returning = list(meta.db_returning_fields)
        if returning and not connection.features.can_return_columns_from_insert:
            return None
        query = InsertQuery(self.model)
        query.insert_values(fields, [self.model()])  # a blank row: only the statement's shape is kept
        compiler = query.get_compiler(using=alias)
        compiler.returning_fields = returning
        statements = compiler.as_sql()
        if len(statements) != 1:
            return None
        sql, params = statements[0]
        returning_params = tuple(compiler.returning_params)
        if len(params) != len(fields) + len(returning_params):
            return None
        compiled = _Compiled()
        compiled.sql = sql
        # For each field: its attribute name when `pre_save` only reads it, whether its database
        # value for None is None (a new case has ~20 empty columns of ~50), and the conversion
        # `_params` may apply itself (`_shortcut`); asked once, here, not at every row.
        compiled.plan = tuple(
            (
                field,
                field.attname if _plain_pre_save(field) else None,
                field.get_db_prep_save(None, connection=connection) is None,
                _shortcut(field, connection),
            )
            for field in fields
        )
        compiled.attnames = tuple(field.attname for field in fields)  # each parameter's attribute
        compiled.json_positions = tuple(index for index, field in enumerate(fields) if isinstance(field, JSONField))
        compiled.returning, compiled.returning_params = tuple(returning), returning_params
        columns = [field.get_col(meta.db_table) for field in returning]
        compiled.converters = tuple(compiler.get_converters(columns).items())
        return compiled

    def _get(self, alias: str, pk_set: bool) -> _Compiled | None:
        key = (alias, pk_set)
        try:
            return self._compiled[key]
        except KeyError:
            with self._lock:
                if key not in self._compiled:
                    self._compiled[key] = self._compile(alias, pk_set)
                return self._compiled[key]

    # --- running --------------------------------------------------------------------------------

    def new(self, **values) -> Model:
        """`Model(**values)`, the new instance built without `Model.__init__`'s general steps (issue 7:
        its keyword path cost 20-80 µs per row of a filing, a third of it for the 45 fields of a
        case). The same attributes, defaults and `_state` as `Model(**values)` (`_Blank`); anything
        else `__init__` would do — a name that is not a field's, a foreign key given both as an
        object and as a key, a deferred value, `pre_init` / `post_init` receivers — is left to
        `Model(**values)` itself."""
        model = self.model
        blank = self._blank
        if blank is None:
            blank = self._blank = _Blank(model)
        if (
            not values.keys() <= blank.names
            or any(name in values and attname in values for name, attname in blank.pairs)
            or any(value is DEFERRED for value in values.values())
            or pre_init.has_listeners(model)
            or post_init.has_listeners(model)
        ):
            return model(**values)
        obj = model.__new__(model)
        obj._state = ModelState()
        attributes = obj.__dict__
        for name, attname, how, related, default in blank.fields:
            if related is not None and name in values:
                value = values[name]
                if value is None and related[1]:
                    attributes[attname] = None
                    obj._state.fields_cache[name] = None
                else:
                    setattr(obj, name, value)
                continue
            value = values[attname] if attname in values else default()
            if how == _Blank.PUT:
                attributes[attname] = value
            else:
                setattr(obj, attname, value)
        return obj

    def create(self, **values) -> Model:
        """`Model.objects.create(**values)` through the compiled INSERT."""
        return self.insert(self.new(**values))

    def insert(self, obj: Model, *, using: str | None = None) -> Model:
        model = self.model
        if type(obj) is not model:
            raise TypeError(f"expected a {model._meta.label}, got {type(obj).__name__}")
        if not obj._state.adding:
            raise ValueError("a prepared insert writes new rows only")
        if pre_save.has_listeners(model) or post_save.has_listeners(model):
            return _saved(obj, using)
        obj._prepare_related_fields_for_save(operation_name="save")
        alias = using or router.db_for_write(model, instance=obj)
        meta = model._meta
        if not obj._is_pk_set(meta):
            setattr(obj, meta.pk.attname, meta.pk.get_pk_value_on_save(obj))
        compiled = self._get(alias, obj._is_pk_set(meta))
        if compiled is None:
            return _saved(obj, alias)
        connection = connections[alias]
        params = self._params(compiled, obj, connection)
        if params is None:  # an expression among the values: its SQL is not the cached statement's
            return _saved(obj, alias)
        batch = getattr(connection, _BATCH_ATTRIBUTE, None)
        if batch is not None:  # written with the batch's other rows, in one statement
            batch.append((compiled, params, obj))
            obj._state.db = alias
            obj._state.adding = False
            return obj
        # As save_base() around its INSERT: a failure marks the transaction for rollback.
        with transaction.mark_for_rollback_on_error(using=alias), prepared_cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            if compiled.returning:
                row = connection.ops.fetch_returned_insert_columns(cursor, compiled.returning_params)
                _set_returned(compiled, obj, row, connection)
        obj._state.db = alias
        obj._state.adding = False
        return obj

    @staticmethod
    def _params(compiled: _Compiled, obj: Model, connection) -> list | None:
        """The row's parameters for the cached statement, computed as the compiler computes them;
        None when a value is an expression."""
        params = []
        values = obj.__dict__
        for field, attname, null_as_null, shortcut in compiled.plan:
            value = values[attname] if attname in values else field.pre_save(obj, True)
            if value is None and null_as_null:
                params.append(None)
            elif (
                shortcut is not None
                and type(value) in shortcut.types
                and (not shortcut.utc_only or value.tzinfo is UTC)
            ):  # what `get_db_prep_save` would return, without its steps
                params.append(value if shortcut.adapt is None else shortcut.adapt(value))
            elif hasattr(value, "resolve_expression"):
                return None
            else:
                params.append(field.get_db_prep_save(value, connection=connection))
        params.extend(compiled.returning_params)
        return params


def _saved(obj: Model, using: str | None) -> Model:
    """`obj.save(force_insert=True)`, for a row a prepared insert cannot write itself; refused in a
    batch whose statement takes values (ADR 0054): the row would be written at once, with marks."""
    batch = getattr(connections[using or router.db_for_write(type(obj), instance=obj)], _BATCH_ATTRIBUTE, None)
    if batch is not None and batch.values is not None:
        raise TransactionManagementError(
            f"a {type(obj)._meta.label} row cannot be held in this batch, whose statement takes values "
            "(statement_values): it would be written at once, before them"
        )
    obj.save(force_insert=True, using=using)
    return obj


def _set_returned(compiled: _Compiled, obj: Model, row, connection) -> None:
    """The RETURNING values (the new primary key...) on the object, through the columns' converters."""
    row = converted_row(row, compiled.converters, connection)
    for value, field in zip(row, compiled.returning, strict=True):
        setattr(obj, field.attname, value)


# --- Batches: a transaction's rows in one statement (PostgreSQL) ------------------------------

_BATCH_ATTRIBUTE = "_tawasul_insert_batch"


class _Batch(list):
    """The rows held by an `insert_batch` block: (compiled INSERT, parameters, object), and the
    values its statement takes (`statement_values`)."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        super().__init__()
        self.values: StatementValues | None = None

    def refuse_marks(self, execute, sql, params, many, context):
        """An execute wrapper: a statement sent inside the block with a mark among its parameters
        is refused before it is sent (ADR 0054): it would find nothing, or write the mark."""
        if self.values is not None and params and not many and self.values.found_in(params):
            raise TransactionManagementError(
                "a statement inside insert_batch() names a value its statement has not taken yet "
                f"(statement_values): {sql[:200]}"
            )
        return execute(sql, params, many, context)


@contextmanager
def insert_batch(using: str) -> Iterator[None]:
    """Inside the block, the rows that `PreparedInsert`s write on PostgreSQL are held and then
    written together when the block ends, in one statement (`WITH w0 AS (INSERT ...), w1 AS
    (INSERT ...) SELECT ...`, prepared on the server once): one round trip and one statement for
    the database instead of one per row (issue 7, ADR 0044). Elsewhere, and for rows that fall
    back to `save()`, each row is written at once, as without the block.

    Open it inside the transaction that writes the rows: when the block fails nothing is written.
    What a held row needs before the block ends is on the object at once — its values, its
    `_state` — except what the database returns (an identity primary key): a row that another
    row points to takes its key beforehand (`key_sequence`) or from the statement itself (a mark
    from `statement_values`, ADR 0054), and a row pointing to a held row without one is refused
    by Django's unsaved-object check. A statement sent inside the block with a mark among its
    parameters is refused before it is sent. Foreign keys are checked at the
    commit (Django creates them `DEFERRABLE INITIALLY DEFERRED`), so the order of the rows within
    the statement does not matter to them. A block opened inside another joins it.
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or getattr(connection, _BATCH_ATTRIBUTE, None) is not None:
        yield
        return
    batch = _Batch()
    setattr(connection, _BATCH_ATTRIBUTE, batch)
    try:
        with connection.execute_wrapper(batch.refuse_marks):
            yield
    finally:
        setattr(connection, _BATCH_ATTRIBUTE, None)
    if batch:
        _write_batch(connection, batch)


def statement_values(using: str) -> StatementValues | None:
    """Inside an `insert_batch` block on PostgreSQL, the values its statement will take itself
    (ADR 0054): `.text(sql, params)` and `.integer(sql, params)` return marks to build the held
    rows with, which the statement replaces by what `sql` gives. None outside a block, and on
    other databases: take the value with a query of its own. Only for a block whose rows are all
    held: a row written at once would carry the marks (it is refused)."""
    batch = getattr(connections[using], _BATCH_ATTRIBUTE, None)
    if batch is None:
        return None
    if batch.values is None:
        batch.values = StatementValues()
    return batch.values


# --- One statement, one transaction (PostgreSQL, outside any transaction) ---------------------

_ONE_STATEMENT_ATTRIBUTE = "_tawasul_one_statement"


@contextmanager
def atomic_rows(using: str, *, one_statement: bool = True) -> Iterator[None]:
    """All or nothing for a block that writes held rows (`insert_batch`): Django's `atomic` block
    around the batch, except on PostgreSQL when no transaction is open and the caller says that
    the block writes nothing but held rows (`one_statement`). There the block runs outside any
    transaction, its reads (a look-up, a number taken apart) each on their own, and the held rows are
    written at its end in one statement, which PostgreSQL runs as a transaction of its own: the
    same all or nothing without `BEGIN` and `COMMIT`, two round trips and two statements fewer
    per filing (issue 7, ADR 0049).

    In that case the block may only read: any other statement raises `TransactionManagementError`
    before it reaches the database, as it would be committed apart from the held rows. Callbacks
    given to `transaction.on_commit` inside the block run once the rows are written, and never
    when the block fails, as after a commit and a rollback. `rows_in_one_statement(using)` tells
    code inside the block that its rows will be written together (a task row held with its email).
    """
    connection = connections[using]
    if (
        not one_statement
        or connection.vendor != "postgresql"
        or connection.in_atomic_block
        or not connection.get_autocommit()
        or getattr(connection, _BATCH_ATTRIBUTE, None) is not None
    ):
        with transaction.atomic(using=using), insert_batch(using):
            yield
        return
    callbacks: list = []
    setattr(connection, _ONE_STATEMENT_ATTRIBUTE, True)
    # Django runs an on_commit callback at once outside a transaction: here it waits for the rows.
    connection.on_commit = lambda func, robust=False: callbacks.append((func, robust))
    try:
        with insert_batch(using), connection.execute_wrapper(_reads_only):
            yield
    finally:
        del connection.on_commit
        setattr(connection, _ONE_STATEMENT_ATTRIBUTE, False)
    for func, robust in callbacks:
        connection.on_commit(func, robust=robust)  # no transaction is open: Django runs it now


def rows_in_one_statement(using: str) -> bool:
    """True inside an `atomic_rows` block that writes its rows in one statement, outside any
    transaction (PostgreSQL)."""
    return getattr(connections[using], _ONE_STATEMENT_ATTRIBUTE, False)


_LOCKING_READ = (" FOR UPDATE", " FOR NO KEY UPDATE", " FOR SHARE", " FOR KEY SHARE")


def _reads_only(execute, sql, params, many, context):
    head = sql.lstrip()[:6].upper()
    if head != "SELECT" or any(clause in sql.upper() for clause in _LOCKING_READ):
        raise TransactionManagementError(
            "Only reads may run inside atomic_rows() outside a transaction: this statement would be "
            f"committed apart from the held rows: {sql[:200]}"
        )
    return execute(sql, params, many, context)


def _write_batch(connection, batch: _Batch) -> None:
    rows = [row[1] for row in batch]
    substitutions = None
    if batch.values is not None and batch.values.marks:
        substitutions = batch.values.substitutions(rows, [row[0].json_positions for row in batch])
    shape = (connection.alias, *(row[0] for row in batch), substitutions.shape if substitutions else None)
    statement = _BATCH_STATEMENTS.get(shape)
    if statement is None:
        if len(_BATCH_STATEMENTS) >= _BATCH_SHAPES_KEPT:
            _BATCH_STATEMENTS.clear()
        statement = _BATCH_STATEMENTS[shape] = _batch_statement(connection, [row[0] for row in batch], substitutions)
    sql, returned = statement
    params = [param for row in rows for param in row] if substitutions is None else substitutions.params(rows)
    with transaction.mark_for_rollback_on_error(using=connection.alias), prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        values = cursor.fetchone() if returned or substitutions else ()
    position = 0
    if substitutions is not None:  # the values the statement took, in place of their marks
        position = len(batch.values.marks)
        substitutions.put_back(
            values[:position],
            [row[2] for row in batch],
            [row[0].attnames for row in batch],
        )
    for index in returned:
        compiled, _params, obj = batch[index]
        width = len(compiled.returning)
        _set_returned(compiled, obj, values[position : position + width], connection)
        position += width


#: The statement of each shape of batch (the compiled INSERTs in order, on one database, and
#: where the values its statement takes are read): a filing's shape is the same at every
#: request. Keyed by the compiled INSERTs themselves (by identity; the key keeps them alive, so an
#: identity is never reused), a few shapes at most.
_BATCH_STATEMENTS: dict[tuple, tuple[str, list[int]]] = {}
_BATCH_SHAPES_KEPT = 256


def _batch_statement(connection, statements: list[_Compiled], substitutions=None) -> tuple[str, list[int]]:
    """The SQL writing these rows in one statement, and which of them return values. With
    `substitutions` (ADR 0054), the statement first takes its values (`"k"`), the parameters that
    hold their marks read them from there, and it returns them before the rows' returned values."""
    returned = [index for index, compiled in enumerate(statements) if compiled.returning]
    if len(statements) == 1 and substitutions is None:
        return statements[0].sql, returned
    quote = connection.ops.quote_name
    members, columns = [], []
    if substitutions is not None:
        expressions = substitutions.expressions(quote)
        members.append(substitutions.head(quote))
        columns = substitutions.reads(quote)
    for index, compiled in enumerate(statements):
        sql = compiled.sql
        if substitutions is not None:
            parts = placeholder_parts(sql)
            sql = parts[0] + "".join(
                expressions.get((index, position), "%s") + part for position, part in enumerate(parts[1:])
            )
        members.append(f"{quote(f'w{index}')} AS ({sql})")
    # Names from the models' metadata and the statements from Django's compiler, quoted.
    columns += [
        f"(SELECT {quote(field.column)} FROM {quote(f'w{index}')})"  # noqa: S608
        for index in returned
        for field in statements[index].returning
    ]
    return f"WITH {', '.join(members)} SELECT {', '.join(columns) or 'NULL'}", returned


_SEQUENCES: dict[tuple[str, str], str | None] = {}


def key_sequence(connection, model: type[Model]) -> str | None:
    """The name of the PostgreSQL sequence behind `model`'s identity primary key (None elsewhere,
    or for a key without one), asked once per database: `nextval` of it gives a row its key
    before its INSERT is written (`insert_batch`)."""
    if connection.vendor != "postgresql":
        return None
    meta = model._meta
    key = (connection.alias, meta.label)
    if key not in _SEQUENCES:
        name = None
        if meta.pk is meta.auto_field:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(meta.db_table), meta.pk.column]
                )
                name = cursor.fetchone()[0]
        _SEQUENCES[key] = name
    return _SEQUENCES[key]
