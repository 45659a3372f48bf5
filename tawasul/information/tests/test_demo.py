"""The demo loader builds consistent information requests through the services."""

import io

import pytest

from tawasul.cases.models import Case
from tawasul.information import demo
from tawasul.information.models import InfoRequest
from tawasul.information.workflow import INFORMATION
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def test_demo_requests_are_consistent(monkeypatch):
    monkeypatch.setattr(demo, "REQUESTS", 120)
    for code in (*demo.BODIES, "cdai"):
        AdministrationFactory(code=code)
    demo.load(io.StringIO())
    cases = Case.objects.filter(portal="information", kind__in=["request", "urgent_request"])
    assert cases.count() == 120
    assert InfoRequest.objects.count() == Case.objects.filter(portal="information").count()
    assert set(Case.objects.filter(portal="information").values_list("status", flat=True)) <= INFORMATION.statuses
    assert len(set(cases.values_list("status", flat=True))) >= 6
    assert Case.objects.filter(kind="complaint_to_head").exists()
    assert Case.objects.filter(kind="complaint_to_cdai", administration__code="cdai").exists()
    demo.load(io.StringIO())  # loading again adds nothing
    assert cases.count() == 120
