"""The administration and the subject a filing names are remembered a few seconds per process
(ADR 0045): a change saved in this process counts at once; one made elsewhere (here: written
without the ORM's signals, as another process's change looks from this one) counts once
`FILING_LOOKUP_CACHE_SECONDS` have passed, never later."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tawasul.complaints.models import Subject
from tawasul.complaints.tests.factories import api_filing, main_subject
from tawasul.core import memo as memo_module
from tawasul.registry.models import Administration
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints/"


@pytest.fixture
def clock(monkeypatch, settings):
    settings.FILING_LOOKUP_CACHE_SECONDS = 30
    now = [5000.0]
    monkeypatch.setattr(memo_module.time, "monotonic", lambda: now[0])
    return now


def _file(client, administration, **overrides):
    return client.post(URL, api_filing(administration, **overrides), format="json")


def test_a_subject_closed_here_is_refused_at_the_next_filing(client, clock):
    administration = AdministrationFactory()
    assert _file(client, administration).status_code == 201
    subject = main_subject()
    subject.is_active = False
    subject.save()
    response = _file(client, administration, subject=subject.code)
    assert response.status_code == 400 and "subject" in response.json()["errors"]


def test_a_change_made_by_another_process_counts_within_the_setting(client, clock):
    administration = AdministrationFactory()
    subject = main_subject()
    assert _file(client, administration).status_code == 201
    Subject.objects.filter(pk=subject.pk).update(is_active=False)  # no signal in this process
    assert _file(client, administration).status_code == 201  # still remembered
    clock[0] += 30
    response = _file(client, administration)
    assert response.status_code == 400 and "subject" in response.json()["errors"]


def test_an_administration_that_left_elsewhere_is_refused_once_the_setting_has_passed(client, clock):
    administration = AdministrationFactory()
    assert _file(client, administration).status_code == 201
    Administration.objects.filter(pk=administration.pk).update(left_on=timezone.localdate())  # left today
    clock[0] += 30
    response = _file(client, administration)
    assert response.status_code == 400 and "administration" in response.json()["errors"]


def test_an_unknown_code_stays_unknown_until_an_administration_is_saved_here(client, clock):
    assert _file(client, AdministrationFactory.build(code="new-adm")).status_code == 400
    administration = AdministrationFactory(code="new-adm")
    assert _file(client, administration).status_code == 201
