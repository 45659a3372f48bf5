import pytest

from tawasul.notifications.tests.conftest import run_tasks  # noqa: F401 - shared fixture


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Rate limits and the calendar use the cache: a private in-memory one per test."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "complaints"}
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
