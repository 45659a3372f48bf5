import pytest
from django.db import transaction

from tawasul.registry import demo
from tawasul.registry.divisions import divisions_import


class _Out:
    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)


@pytest.fixture(scope="module")
def divisions(django_db_blocker, django_db_setup):
    """The real divisions, imported once per test module (rolled back at its end)."""
    with django_db_blocker.unblock(), transaction.atomic():
        counts = divisions_import()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_data(django_db_blocker, django_db_setup):
    """The divisions and the demo administrations, loaded once per test module."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = _Out()
        demo.load(out)
        yield out
        transaction.set_rollback(True)
