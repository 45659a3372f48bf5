"""The demo loader builds consistent complaints (real services for the first, bulk for the rest)."""

import io

import pytest

from tawasul.cases.models import Case, CaseEvent
from tawasul.complaints import demo
from tawasul.complaints.models import Complaint
from tawasul.complaints.workflow import COMPLAINTS
from tawasul.core.references import is_reference
from tawasul.registry.tests.factories import AdministrationFactory, CommuneFactory

pytestmark = pytest.mark.django_db


def test_demo_complaints_are_consistent(monkeypatch):
    monkeypatch.setattr(demo, "TOTAL", 200)
    monkeypatch.setattr(demo, "REAL_CASES", 10)
    for _ in range(5):
        AdministrationFactory()
    CommuneFactory()
    demo.load(io.StringIO())
    cases = Case.objects.filter(portal="complaints")
    assert cases.count() == 200
    assert Complaint.objects.count() == 200
    assert all(is_reference(ref) for ref in cases.values_list("reference", flat=True))
    assert set(cases.values_list("status", flat=True)) <= COMPLAINTS.statuses
    assert set(cases.values_list("language", flat=True)) == {"ar", "fr"}
    for case in cases.filter(status__in=["answered", "closed"]):
        answer = CaseEvent.objects.filter(case=case, action="answer").get()
        assert answer.payload["outcome"] in {"positive", "negative", "partial", "informative"}
        assert case.answered_at is not None
    assert not cases.exclude(pk__in=CaseEvent.objects.filter(action="submitted").values("case")).exists()
    assert cases.filter(reopen_count=1, status="in_progress").exists()
    # the first cases, made through the services, walk every path of the workflow once
    real = list(cases.order_by("pk")[: len(demo.PATHS)])
    expected = {"in_progress" if status == "reopened" else status for status in demo.PATHS}
    assert {case.status for case in real} == expected
    inadmissible = next(case for case in real if case.status == "inadmissible")
    assert CaseEvent.objects.get(case=inadmissible, action="declare_inadmissible").payload["ground"] == "sub_judice"
    # loading again adds nothing
    demo.load(io.StringIO())
    assert Case.objects.filter(portal="complaints").count() == 200
