"""PostgreSQL's `timestamptz` values read by psycopg's C parser (issue 7).

Django reads every `timestamptz` through its own loader (`psycopg_any.BaseTzLoader`): a subclass
of psycopg's *Python* loader, because psycopg's C loader cannot be subclassed, so that it can put
Django's `tzinfo` on each value. That loader parses the text in Python: ~2.7 µs a value against
~0.4 µs in C, and a tracking answer reads some fifteen, an inbox page several hundred.

`TimestamptzLoader` here gives the same values, `tzinfo` included (Django's `connection.timezone`,
or naive when `USE_TZ` is off), by letting psycopg's C loader parse and then setting the `tzinfo`
as Django's loader does. It is registered on each new PostgreSQL connection
(`connection_created`), and it carries Django's `timezone` attribute, so that Django's cursors
find the connection already agreeing and do not register their own again.
Without psycopg's C implementation nothing is registered: Django's loader stays.
"""

from __future__ import annotations

from functools import cache


@cache
def _c_loader():
    """psycopg's C `timestamptz` text loader, or None without the C implementation."""
    import psycopg
    from psycopg.pq import Format

    loader = psycopg.adapters.get_loader(psycopg.adapters.types["timestamptz"].oid, Format.TEXT)
    return loader if loader is not None and loader.__module__.startswith("psycopg_") else None


@cache
def loader_for(tz):
    """The loader class giving `tzinfo=tz` (None: naive), or None without psycopg's C loader."""
    parser = _c_loader()
    if parser is None:
        return None
    from psycopg.adapt import Loader

    class TimestamptzLoader(Loader):
        timezone = tz  # read by Django's `create_cursor`: equal to its own, it registers nothing

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._parse = parser(oid, context).load  # the C loader takes the connection's TimeZone

        def load(self, data):
            return self._parse(data).replace(tzinfo=tz)

    return TimestamptzLoader


def register(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: the C-parsing loader on each new PostgreSQL connection."""
    if connection.vendor != "postgresql":
        return
    loader = loader_for(connection.timezone)
    if loader is not None:
        connection.connection.adapters.register_loader("timestamptz", loader)
