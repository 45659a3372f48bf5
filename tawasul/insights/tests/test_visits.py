"""Cookie-less visit counts: no cookie, no database write per request, daily-rotating hashes,
never on /api/, /static/ or /healthz; flushed to the database by the sweep."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tawasul.insights import visits
from tawasul.insights.models import VisitDay
from tawasul.insights.visits import flush_visits, portal_of, visitor_hash

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
NOON = dt.datetime(2026, 5, 4, 11, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fresh_counts():
    visits._cache().clear()
    visits._process["salt"] = (None, "")
    visits._process["last_flush"] = float("inf")  # no flush on the request path unless a test asks
    yield
    visits._cache().clear()
    visits._process["request_flush"] = None


def test_portal_of_paths():
    assert portal_of("/ar/complaints/file/") == "complaints"
    assert portal_of("/fr/") == "home"
    assert portal_of("/fr/procedures/x/") == "catalog"
    for path in ("/api/v1/complaints/", "/static/app.css", "/healthz", "/ar/staff/", "/ar/admin/", "/media/x"):
        assert portal_of(path) is None


def test_views_are_counted_without_cookie_nor_database_write(client):
    client.get("/ar/")  # warm-up: the first request of a process may read the session table etc.
    with time_machine.travel(NOON, tick=False), CaptureQueriesContext(connection) as queries:
        answer = client.get("/ar/complaints/", HTTP_USER_AGENT=PHONE, REMOTE_ADDR="197.1.2.3")
    assert answer.status_code == 200
    assert not [q for q in queries.captured_queries if "insights_" in q["sql"]]
    assert "Set-Cookie" not in str(answer.cookies) or not answer.cookies
    with time_machine.travel(NOON, tick=False):
        client.get("/ar/complaints/", HTTP_USER_AGENT=PHONE, REMOTE_ADDR="197.1.2.3")
        client.get("/ar/complaints/", HTTP_USER_AGENT=DESKTOP, REMOTE_ADDR="41.2.3.4")
        client.get("/api/v1/schema/", HTTP_USER_AGENT=DESKTOP)
        client.get("/healthz", HTTP_USER_AGENT=DESKTOP)
        client.get("/ar/complaints/", HTTP_USER_AGENT="Googlebot/2.1")
        assert flush_visits() == 3
    row = VisitDay.objects.get(day=dt.date(2026, 5, 4), portal="complaints")
    assert (row.views, row.mobile_views, row.visitors) == (3, 2, 2)
    assert not VisitDay.objects.exclude(portal="complaints").filter(day=dt.date(2026, 5, 4)).exclude(portal="home")


def test_a_second_flush_adds_only_what_is_new(client):
    with time_machine.travel(NOON, tick=False):
        client.get("/fr/facilities/", HTTP_USER_AGENT=DESKTOP)
        flush_visits()
        client.get("/fr/facilities/", HTTP_USER_AGENT=DESKTOP)
        flush_visits()
        assert flush_visits() == 0
    row = VisitDay.objects.get(portal="facilities")
    assert (row.views, row.visitors) == (2, 1)


def test_the_visitor_hash_rotates_every_day_and_the_salt_expires():
    with time_machine.travel(NOON, tick=False):
        monday = visitor_hash(day=dt.date(2026, 5, 4), address="197.1.2.3", user_agent=PHONE)
        again = visitor_hash(day=dt.date(2026, 5, 4), address="197.1.2.3", user_agent=PHONE)
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        tuesday = visitor_hash(day=dt.date(2026, 5, 5), address="197.1.2.3", user_agent=PHONE)
    assert monday == again and monday != tuesday
    assert "197.1.2.3" not in monday
    salt_key = "iv:salt:2026-05-04"
    cache = visits._cache()
    with time_machine.travel(NOON, tick=False):
        assert cache.get(salt_key) is not None
    with time_machine.travel(dt.datetime(2026, 5, 5, 0, 1, tzinfo=visits.CALENDAR_TZ), tick=False):
        assert cache.get(salt_key) is None  # gone at the end of its day
    assert not VisitDay.objects.exists()  # the salt and hashes never reach the database


def test_the_request_path_flushes_at_most_once_a_minute(client):
    visits._process["last_flush"] = 0.0  # long ago
    visits._process["request_flush"] = True  # off by default under the test settings
    with time_machine.travel(NOON, tick=False):
        client.get("/fr/jobs/", HTTP_USER_AGENT=DESKTOP)
        client.get("/fr/jobs/", HTTP_USER_AGENT=DESKTOP)
    assert VisitDay.objects.get(portal="jobs").views == 1  # the second waits for the next flush
