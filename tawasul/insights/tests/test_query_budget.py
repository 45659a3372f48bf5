"""The dashboard's query budget with every provider (docs/adr/0038): the number of queries does
not grow with the number of administrations (nor with their cases, orders, notices, contacts)."""

import datetime as dt

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tawasul.accounts.roles import Role
from tawasul.cases.tests.factories import make_staff
from tawasul.complaints.counters import statistics_refresh
from tawasul.complaints.tests.factories import make_complaint
from tawasul.core.figures import PROVIDERS
from tawasul.documents.tests.factories import make_office, make_order, pay
from tawasul.information.tests.factories import make_request
from tawasul.insights.counters import indicators_refresh
from tawasul.jobs.tests.factories import make_application, make_candidate, make_notice
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

#: The contact center sits on insights' rung: its model is looked up, not imported (tests/test_architecture.py).
Contact = apps.get_model("contact", "Contact")

T0 = dt.datetime(2026, 6, 10, 9, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC)
#: Session and user (2); the scope check and the filter's administrations (2: the form lists
#: them); insights' watermark (1); complaints: insights' counters, the complaints' watermark and
#: counters (3); information and documents: insights' counters (2); jobs: notices, applications,
#: results (3); contacts (1); the administrations' names (1); the visits (1). Measured when set.
DASHBOARD_BUDGET = 16


@pytest.fixture(autouse=True)
def _no_2fa(settings):
    settings.STAFF_2FA_REQUIRED = False


def _administration_with_everything():
    adm = AdministrationFactory()
    with time_machine.travel(T0, tick=False):
        make_complaint(adm)
        make_request(adm)
        pay(make_order(office=make_office(adm)))
        notice = make_notice(adm, deadline_at=T0 + dt.timedelta(days=10))
        make_application(notice, make_candidate())
        Contact.objects.create(channel="phone", category="complaint", administration=adm, created_at=T0, day=T0.date())


def _dashboard_queries(client) -> int:
    with time_machine.travel(NOW, tick=False):
        indicators_refresh()
        statistics_refresh()
        cache.clear()
        with translation.override("en"):
            url = reverse("insights:dashboard")
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url, {"start": "2026-06", "end": "2026-06"})
    assert page.status_code == 200
    for code in PROVIDERS:
        assert f'id="portal-{code}"' in page.text
    return len(captured)


def test_dashboard_queries_do_not_grow_with_the_administrations(client):
    client.force_login(make_staff(AdministrationFactory(), role=Role.NATIONAL_UNIT))
    for _ in range(2):
        _administration_with_everything()
    few = _dashboard_queries(client)
    for _ in range(4):
        _administration_with_everything()
    many = _dashboard_queries(client)
    assert few == many <= DASHBOARD_BUDGET, (few, many)
