"""The demo loader: joined and not-joined offices, a consular civil-status officer, and orders in
every resting status, built through the services; loading again adds nothing."""

import io
import time

import pytest

from tawasul.accounts.roles import Role
from tawasul.cases.models import Case
from tawasul.cases.tests.factories import make_staff
from tawasul.documents import demo
from tawasul.documents.models import CivilStatusOffice, DocumentOrder, Payment
from tawasul.registry.models import Administration
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def test_demo_offices_officers_and_orders_in_every_status():
    for code in (*demo.JOINED_COMMUNES, *demo.NOT_JOINED_COMMUNES, demo.CONSULAR_ADMINISTRATION):
        AdministrationFactory(code=code, kind="commune")
    rabat = Administration.objects.get(code="commune-rabat")
    officer = make_staff(rabat, role=Role.CIVIL_STATUS_OFFICER)
    officer.username = demo.RABAT_OFFICER
    officer.save()
    started = time.monotonic()
    demo.load(io.StringIO())
    elapsed = time.monotonic() - started
    print(f"documents demo load: {elapsed:.2f} s")
    assert elapsed < 15
    assert CivilStatusOffice.objects.filter(joined=True).count() == len(demo.JOINED_COMMUNES) + 3
    assert CivilStatusOffice.objects.filter(joined=False).count() == len(demo.NOT_JOINED_COMMUNES) + 1
    statuses = sorted(Case.objects.filter(portal="documents").values_list("status", flat=True))
    assert statuses == sorted(demo.STOPS)
    assert DocumentOrder.objects.exclude(post_item_number="").count() == 4  # with the post, delivered, returned
    assert Payment.objects.filter(status="confirmed").count() == len(demo.STOPS) - 2
    demo.load(io.StringIO())
    assert Case.objects.filter(portal="documents").count() == len(demo.STOPS)
