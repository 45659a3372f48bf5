"""Project-wide pytest fixtures and hooks."""

import pytest


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL: on SQLite they are skipped, saying why."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...; CI does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
