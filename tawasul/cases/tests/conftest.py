import pytest

from tawasul.cases.testing import complaint_like_workflow
from tawasul.cases.workflow import register_workflow, unregister_workflow


@pytest.fixture(autouse=True)
def _private_cache(settings, request):
    """The calendar keeps its overrides version in the cache and a memo per process: each test
    gets a private in-memory cache and an empty memo (holiday overrides written by a test are
    rolled back with it, and the memo must not keep them for the next one)."""
    from django.core.cache import cache

    from tawasul.core.calendar import invalidate_local_cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid}
    }
    cache.clear()
    invalidate_local_cache()
    yield
    cache.clear()
    invalidate_local_cache()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def workflow():
    """The realistic complaint-like table of tawasul.cases.testing, under a test portal."""
    registered = register_workflow(complaint_like_workflow())
    yield registered
    unregister_workflow(registered.portal)


@pytest.fixture
def media_files(_media):
    def files():
        return sorted(p for p in _media.rglob("*") if p.is_file())

    return files


from tawasul.notifications.tests.conftest import run_tasks  # noqa: E402, F401 - shared fixture
