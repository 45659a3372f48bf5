import pytest


@pytest.fixture(autouse=True)
def _clear_search_index_after_flush(request, django_db_blocker):
    """A transactional test (live server) ends with a flush of the tables, which does not reach
    the index tables (FTS5 on SQLite, the titles table on PostgreSQL); empty them too, so later
    tests never meet rows of deleted procedures."""
    yield
    if not {"transactional_db", "live_server"} & set(request.fixturenames) and not (
        (marker := request.node.get_closest_marker("django_db")) and marker.kwargs.get("transaction")
    ):
        return
    from django.db import connection

    from tawasul.catalog.search import FTS_TABLE, TITLE_TABLE

    table = {"sqlite": FTS_TABLE, "postgresql": TITLE_TABLE}.get(connection.vendor)
    if table:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
