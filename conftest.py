"""Project-wide pytest fixtures and hooks."""

import os
import re
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
# ARCHITECTURE.md §1: Debian's Chromium, never `playwright install` (it cannot download here).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL: on SQLite they are skipped, saying why.

    A browser journey that fails inside Playwright itself (the browser lost its page, a navigation
    timed out on the loaded 2-core machine) is run once more; a failed assertion about the
    platform's behaviour is never retried (pytest-rerunfailures, `only_rerun`)."""
    from django.conf import settings

    retry_browser = pytest.mark.flaky(reruns=1, only_rerun=["playwright._impl._errors"])
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(retry_browser)
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...; CI does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so the `page` fixture knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session (Playwright's sync API)."""
    # pytest-django's live_server runs in a thread; the sync Playwright API runs an event loop
    # in this one, which Django would otherwise take for an async context.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(request, browser, live_server):
    """A page in a fresh browser context (no cookies shared between tests).

    `page.requested_urls` lists every URL the page asked for, so a test can assert that no request
    left the live server. A screenshot is always saved to
    `test-artifacts/screenshots/<test>-<lang>.png` (issue 2 wants them), and again with `-failed`
    when the test failed.
    """
    context = browser.new_context(locale="ar-MA", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.requested_urls = []
    page.on("request", lambda req: page.requested_urls.append(req.url))
    page.live_server_url = live_server.url
    yield page
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    lang = page.evaluate("document.documentElement.lang || 'none'") if not page.is_closed() else "none"
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    if not page.is_closed():
        page.screenshot(path=shots / f"{name}-{lang}.png", full_page=True)
        if failed:
            page.screenshot(path=shots / f"{name}-{lang}-failed.png", full_page=True)
    context.close()


@pytest.fixture(scope="session", autouse=True)
def _static_files_listed_once():
    """WhiteNoise (WHITENOISE_USE_FINDERS, on in tests) lists and stats every static file each time
    a middleware chain is built, that is for every new test client: ~250 files, a large share of
    the suite's time. The files do not change during a run, so each set of static-file settings
    is listed once and every later middleware gets the same entries (what its own listing would
    have given)."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    original = WhiteNoiseMiddleware.add_files_from_finders
    listed = {}

    def add_files_from_finders(self):
        names = sorted(n for n in dir(settings) if n.startswith(("WHITENOISE_", "STATIC")))
        names += ["STORAGES", "FORCE_SCRIPT_NAME", "DEBUG"]
        key = repr([(name, getattr(settings, name, None)) for name in names])
        if key not in listed:
            files, self.files = self.files, {}
            try:
                original(self)
                listed[key] = self.files
            finally:
                self.files = files
        self.files.update(listed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders
    yield
    WhiteNoiseMiddleware.add_files_from_finders = original


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request or an `activate()` in one test leaves
    its language active in the thread, and a later test's `reverse()` would follow it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test starts and ends with an empty calendar memo: holiday overrides written in a
    test are rolled back with its transaction, and the memo must not keep them for the next."""
    from tawasul.core.calendar import invalidate_local_cache

    invalidate_local_cache()
    yield
    invalidate_local_cache()


@pytest.fixture(autouse=True)
def _fresh_process_memos():
    """Each test starts and ends with empty look-up memos (tawasul.core.memo): rows a test wrote
    are rolled back with its transaction without any signal, and must not answer the next."""
    from tawasul.core.memo import ProcessMemo

    ProcessMemo.clear_all()
    yield
    ProcessMemo.clear_all()


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Rate limits, lockouts, allauth's used TOTP codes and the calendar version live in the
    cache. Each test gets its own empty in-process cache, so no test inherits another's limits
    (production uses the shared database cache or Redis)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Password hashing is slow on purpose; no rule tested here depends on the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def run_tasks(monkeypatch):
    """Run every queued task through the real database queue (django-tasks-db), as a worker
    would, then return. Use after `django_capture_on_commit_callbacks(execute=True)` (or in a
    `transaction=True` test) so that the on-commit enqueues have happened.

    Inside a test's transaction, the worker's `close_old_connections()` would close the
    PostgreSQL connection (it sees autocommit off): the fixture keeps it open in that case only.
    """
    from django.core.management import call_command
    from django.db import connection
    from django_tasks_db.management.commands import db_worker

    original = db_worker.close_old_connections

    def close_unless_in_test_transaction(**kwargs):
        if not connection.in_atomic_block:
            original(**kwargs)

    monkeypatch.setattr(db_worker, "close_old_connections", close_unless_in_test_transaction)

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0)

    return run


def _reseed_data_migrations():
    """The rows that data migrations put in every fresh database (a flush removes them)."""
    import importlib

    from django.apps import apps

    from tawasul.complaints.loading import load_faq, load_subjects

    importlib.import_module("tawasul.core.migrations.0003_seed_2025_islamic_holidays").seed(apps, None)
    load_subjects()
    load_faq()
    importlib.import_module("tawasul.facilities.migrations.0002_seed_types_and_services").seed(apps, None)
    importlib.import_module("tawasul.information.migrations.0002_proactive_categories").seed(apps, None)
    importlib.import_module("tawasul.catalog.migrations.0002_themes_and_search_index").load_themes(apps, None)
    importlib.import_module("tawasul.catalog.migrations.0005_subthemes").load_subthemes(apps, None)


_DB_FIXTURES = {"db", "transactional_db", "live_server", "admin_client", "admin_user", "django_user_model"}


@pytest.fixture(autouse=True)
def _data_migration_rows(request, django_db_blocker):
    """A transactional test (live server, concurrency) ends with a flush of every table, which
    also removes the rows of the data migrations; a database test that follows one gets them
    back (one cheap query when they are there)."""
    if request.node.get_closest_marker("django_db") is None and not _DB_FIXTURES & set(request.fixturenames):
        return
    from tawasul.complaints.models import Subject

    with django_db_blocker.unblock():
        if not Subject.objects.exists():
            _reseed_data_migrations()
