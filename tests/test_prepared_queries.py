"""`PreparedQuery` returns what its queryset returns, for any parameter values."""

import datetime

import pytest
from django.db.models import Count
from django.db.models.functions import Upper

from tawasul.core.models import ReferenceCounter
from tawasul.core.prepared import PreparedQuery
from tawasul.registry.models import Administration
from tawasul.registry.selectors import administrations_joined
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

BY_CODE_ON = PreparedQuery(
    lambda code, day: administrations_joined(on=day).filter(code=code).order_by()[:1], str, datetime.date
)
COUNTERS = PreparedQuery(
    lambda prefix: ReferenceCounter.objects.filter(prefix=prefix).order_by("year").values_list("year", "last"), str
)
YEARS = PreparedQuery(
    lambda minimum: ReferenceCounter.objects.filter(year__gte=minimum).order_by("year").values_list("year", flat=True),
    int,
)


def test_model_instances_equal_the_querysets():
    parent = AdministrationFactory(code="prep-parent")
    child = AdministrationFactory(code="prep-child", parent=parent, joined_on=datetime.date(2025, 3, 1))
    query = PreparedQuery(lambda pk: Administration.objects.filter(pk=pk).select_related("parent"), int)

    (found,) = query.instances(child.pk)

    assert found == child and found.parent == parent
    assert found.parent.code == "prep-parent"  # loaded by the join, as select_related does
    assert [
        field.attname
        for field in found._meta.concrete_fields
        if getattr(found, field.attname) != getattr(child, field.attname)
    ] == []
    assert query.instances(-1) == []


def test_annotations_are_set_on_the_instances_as_the_queryset_sets_them():
    parent = AdministrationFactory(code="prep-annotated")
    AdministrationFactory(code="prep-annotated-child", parent=parent)
    query = PreparedQuery(
        lambda code: Administration.objects.filter(code=code).annotate(below=Count("children"), shout=Upper("code")),
        str,
    )

    (found,) = query.instances("prep-annotated")

    expected = Administration.objects.filter(code="prep-annotated").annotate(
        below=Count("children"), shout=Upper("code")
    )[0]
    assert (found.below, found.shout) == (expected.below, expected.shout) == (1, "PREP-ANNOTATED")


def test_a_date_parameter_is_bound_at_each_run():
    AdministrationFactory(code="prep-late", joined_on=datetime.date(2026, 6, 1))
    assert BY_CODE_ON.instances("prep-late", datetime.date(2026, 5, 31)) == []
    assert [a.code for a in BY_CODE_ON.instances("prep-late", datetime.date(2026, 6, 1))] == ["prep-late"]


def test_values_list_rows_and_flat():
    ReferenceCounter.objects.create(prefix="PQ", year=2025, last=4)
    ReferenceCounter.objects.create(prefix="PQ", year=2026, last=9)
    ReferenceCounter.objects.create(prefix="ZZ", year=2030, last=1)
    assert (
        COUNTERS.rows("PQ")
        == [(2025, 4), (2026, 9)]
        == list(ReferenceCounter.objects.filter(prefix="PQ").order_by("year").values_list("year", "last"))
    )
    assert COUNTERS.rows("XX") == []
    assert YEARS.rows(2026) == [2026, 2030]


def test_a_parameter_that_does_not_reach_the_sql_is_refused():
    query = PreparedQuery(lambda code: Administration.objects.all(), str)
    with pytest.raises(ValueError, match="do not reach"):
        query.instances("x")


def _server_prepared_statements(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_on_postgresql_the_server_plans_a_prepared_query_once_per_connection():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("server-side prepared statements are PostgreSQL's")
    AdministrationFactory(code="prep-server")
    query = PreparedQuery(lambda code: Administration.objects.filter(code=code).values_list("code", flat=True), str)

    assert query.rows("prep-server") == ["prep-server"]
    assert query.rows("no-such-code") == []

    (statement,) = [
        sql for sql in _server_prepared_statements(connection) if '"registry_administration"."code" = $1' in sql
    ]
    assert query.rows("prep-server") == ["prep-server"]  # run again: the same statement, not a second one
    assert [sql for sql in _server_prepared_statements(connection) if sql == statement] == [statement]


def test_ordinary_queries_stay_unprepared():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("server-side prepared statements are PostgreSQL's")
    before = _server_prepared_statements(connection)
    for _ in range(20):  # far past psycopg's usual threshold of 5
        list(Administration.objects.filter(code="unprepared").values_list("pk", flat=True))
    assert _server_prepared_statements(connection) == before


def test_without_prepared_statements_the_ordinary_cursor_runs_it(monkeypatch):
    from django.db import connection

    from tawasul.core import prepared

    if connection.vendor != "postgresql":
        pytest.skip("server-side prepared statements are PostgreSQL's")
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)  # DATABASE_PREPARED_STATEMENTS=0
    with prepared.prepared_cursor(connection) as cursor, connection.cursor() as ordinary:
        assert type(cursor.cursor) is type(ordinary.cursor)
    query = PreparedQuery(lambda code: Administration.objects.filter(code=code).values_list("code", flat=True), str)
    AdministrationFactory(code="prep-off")
    assert query.rows("prep-off") == ["prep-off"]


def test_a_prepared_query_is_logged_with_its_sql():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    query = PreparedQuery(lambda code: Administration.objects.filter(code=code).values_list("code", flat=True), str)
    with CaptureQueriesContext(connection) as captured:
        query.rows("logged")
    (logged,) = [entry["sql"] for entry in captured.captured_queries]
    assert '"registry_administration"."code"' in logged


def test_a_prepared_statement_is_numbered_as_psycopg_numbers_it():
    """The prepared cursor numbers `%s` itself, once per statement (ADR 44: psycopg re-parses a
    statement over 4 kB or 50 parameters at every execute): `$1`, `$2`... in order, `%%` is `%`."""
    from tawasul.core.prepared import _numbered

    assert _numbered("SELECT %s, '%%' || %s WHERE a LIKE %s") == "SELECT $1, '%' || $2 WHERE a LIKE $3"
    long = "INSERT INTO t (" + ", ".join(f"c{i}" for i in range(60)) + ") VALUES (" + ", ".join(["%s"] * 60) + ")"
    assert _numbered(long).endswith("$59, $60)")
    with pytest.raises(ValueError, match="unsupported placeholder"):
        _numbered("SELECT %(name)s")


def test_on_postgresql_a_statement_of_many_parameters_runs_prepared():
    from django.db import connection

    from tawasul.core.prepared import prepared_cursor

    if connection.vendor != "postgresql":
        pytest.skip("server-side prepared statements are PostgreSQL's")
    columns = ", ".join(f"%s AS c{i}" for i in range(70))
    with prepared_cursor(connection) as cursor:
        cursor.execute(f"SELECT {columns}, '100%%' AS literal", list(range(70)))
        row = cursor.fetchone()
    assert list(row[:70]) == list(range(70)) and row[70] == "100%"


def test_on_sqlite_a_statement_is_converted_as_django_converts_it():
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    from tawasul.core.prepared import _qmarks

    django_cursor = SQLiteCursorWrapper.__new__(SQLiteCursorWrapper)
    for query in ("SELECT %s, %s", "SELECT '100%%', %s WHERE a LIKE '%%s'", "INSERT INTO t VALUES (%s)"):
        assert _qmarks(query) == django_cursor.convert_query(query)


def _postgresql_with_prepared_statements():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("server-side prepared statements are PostgreSQL's")
    connection.ensure_connection()
    return connection


def test_on_postgresql_the_prepared_cursor_is_kept_for_the_next_block():
    from tawasul.core.prepared import prepared_cursor

    connection = _postgresql_with_prepared_statements()
    with prepared_cursor(connection) as first:
        first.execute("SELECT %s::int", [1])
        assert first.fetchone() == (1,)
    with prepared_cursor(connection) as second:
        second.execute("SELECT %s::int", [2])
        assert second.fetchone() == (2,)
    assert second.cursor is first.cursor and not first.cursor.closed


def test_a_block_inside_another_has_its_own_cursor_and_leaves_the_outer_result_alone():
    from tawasul.core.prepared import prepared_cursor

    connection = _postgresql_with_prepared_statements()
    with prepared_cursor(connection) as outer:
        outer.execute("SELECT generate_series(1, %s)", [3])
        assert outer.fetchone() == (1,)
        with prepared_cursor(connection) as inner:
            inner.execute("SELECT %s::int", [9])
            assert inner.fetchone() == (9,)
        assert inner.cursor is not outer.cursor and inner.cursor.closed
        assert outer.fetchall() == [(2,), (3,)]
    with prepared_cursor(connection) as again:
        assert again.cursor is outer.cursor


def test_a_failed_statement_leaves_the_kept_cursor_usable():
    from django.db import DatabaseError, transaction

    from tawasul.core.prepared import prepared_cursor

    connection = _postgresql_with_prepared_statements()
    with pytest.raises(DatabaseError), transaction.atomic(), prepared_cursor(connection) as cursor:
        cursor.execute("SELECT 1 / %s", [0])
    with prepared_cursor(connection) as cursor:
        cursor.execute("SELECT %s::text", ["after"])
        assert cursor.fetchone() == ("after",)


@pytest.mark.django_db(transaction=True)
def test_a_connection_opened_again_gets_a_new_cursor():
    from tawasul.core.prepared import prepared_cursor

    connection = _postgresql_with_prepared_statements()
    with prepared_cursor(connection) as before:
        before.execute("SELECT %s::int", [1])
    connection.close()
    with prepared_cursor(connection) as after:
        after.execute("SELECT %s::int", [2])
        assert after.fetchone() == (2,)
    assert after.cursor is not before.cursor
