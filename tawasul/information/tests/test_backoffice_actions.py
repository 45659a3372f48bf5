"""The back office's generic action forms render and perform the law 31-13 workflow's forms and
services (interfaces.md "Staff action forms"): an information officer extends, answers in part;
a refusal without a ground is shown on the form with the text kept."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.services import case_transition
from tawasul.information.models import InfoRequest

from .factories import make_request, staff_actor

pytestmark = pytest.mark.django_db
CASA = ZoneInfo("Africa/Casablanca")


def _act(client, case, action, data):
    case.refresh_from_db()
    body = {f"{action}-{key}": value for key, value in data.items()}
    body.update({"version": case.version, "do": action})
    return client.post(reverse("backoffice:case_act", args=[case.reference, action]), body)


def test_officer_extends_and_answers_in_part_from_the_back_office(client):
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=CASA), tick=False):
        case = make_request()
        officer = staff_actor(case)
        case_transition(case=case, action="start", actor=officer)
        client.force_login(officer.user)
        page = client.get(reverse("backoffice:case", args=[case.reference]))
        assert page.status_code == 200
        html = page.content.decode()
        assert 'name="extend-reason"' in html and 'name="refuse-ground"' in html and "tw-recourse" not in html
        assert 'id="info-panel-title"' in html  # the portal panel
        _act(client, case, "extend", {"reason": "third_party_consultation", "note": "Avis du ministère attendu."})
        case.refresh_from_db()
        assert case.extension_days == 20
        response = _act(client, case, "refuse", {"ground": "", "note": "Texte gardé"})
        assert response.status_code in (200, 400) and "Texte gardé" in response.content.decode()
        assert Case.objects.get(pk=case.pk).status == "in_progress"
        _act(client, case, "answer", {"outcome": "partial", "ground": "private_life", "note": "Une partie."})
    case.refresh_from_db()
    assert case.status == "answered"
    assert InfoRequest.objects.get(case=case).outcome == "partial"
    assert CaseEvent.objects.get(case=case, action="answer").payload["outcome"] == "partial"
