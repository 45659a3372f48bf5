"""`timestamptz` values read by psycopg's C parser give what Django's own loader gives, `tzinfo`
included (tawasul/core/pg_timestamps.py)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import DataError, connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from hypothesis import given, settings
from hypothesis import strategies as st

from tawasul.core import pg_timestamps
from tawasul.core.prepared import prepared_cursor

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loaders (SQLite has none)"),
]

OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
MOMENTS = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=OFFSETS)


def read_both(sql: str, params=()) -> tuple:
    """The value of `sql` read by this connection's loader, then by Django's own."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ours = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor)  # Django's Python loader, on this cursor only
        cursor.execute(sql, params)
        django = cursor.fetchone()[0]
    return ours, django


def test_each_connection_reads_timestamps_with_the_c_parsing_loader():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(1184, 0)  # timestamptz, text
    assert loader is pg_timestamps.loader_for(connection.timezone)
    connection.close()
    connection.ensure_connection()  # a new connection gets it again
    assert connection.connection.adapters.get_loader(1184, 0) is loader


@settings(max_examples=200, deadline=None)
@given(moment=MOMENTS)
def test_a_timestamp_reads_back_as_djangos_loader_reads_it(moment):
    ours, django = read_both("SELECT %s::timestamptz", [moment])
    assert ours == django == moment
    assert ours.tzinfo is django.tzinfo is connection.timezone


def test_the_orm_and_the_prepared_statements_read_with_it():
    from tawasul.accounts.tests.factories import UserFactory

    user = UserFactory()
    read = type(user).objects.values_list("date_joined", flat=True).get(pk=user.pk)
    assert read == user.date_joined and read.tzinfo is UTC
    with prepared_cursor(connection) as cursor:
        cursor.execute("SELECT %s::timestamptz", [datetime(2026, 3, 1, 12, tzinfo=timezone(timedelta(hours=1)))])
        assert cursor.fetchone()[0] == datetime(2026, 3, 1, 11, tzinfo=UTC)


@pytest.mark.parametrize("value", ["infinity", "-infinity"])
def test_a_timestamp_python_cannot_hold_fails_as_with_djangos_loader(value):
    for use_django in (False, True):
        with connection.cursor() as cursor:
            if use_django:
                register_tzloader(connection.timezone, cursor)
            with pytest.raises(DataError):
                cursor.execute(f"SELECT '{value}'::timestamptz")
                cursor.fetchone()


def test_without_time_zone_support_the_values_are_naive_as_django_gives_them():
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", pg_timestamps.loader_for(None))
        cursor.execute("SELECT '2026-03-01 12:00:00.5+00'::timestamptz")
        ours = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        register_tzloader(None, cursor)
        cursor.execute("SELECT '2026-03-01 12:00:00.5+00'::timestamptz")
        django = cursor.fetchone()[0]
    assert ours == django == datetime(2026, 3, 1, 12, 0, 0, 500000)
    assert ours.tzinfo is None
