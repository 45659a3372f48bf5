"""Transparency (issue 5): the public register shows an answer only after an officer wrote the
redacted version, and only when the requester opted in; the proactive-publication register and
the statistics per body are public."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from tawasul.cases.actors import Actor
from tawasul.cases.services import CaseActionRefused
from tawasul.information.models import InfoRequest, ProactiveCategory, ProactiveEntry
from tawasul.information.selectors import public_statistics, published_requests
from tawasul.information.services import (
    info_complaint_to_head_file,
    info_request_answer,
    info_request_extend,
    info_request_publish,
    info_request_refuse,
)
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import REQUESTER, make_request, staff_actor

pytestmark = pytest.mark.django_db


def _answered(**fields):
    case = make_request(publish_consent=True, first_name="Khadija", last_name="Tazi", **fields)
    officer = staff_actor(case)
    case = info_request_answer(case=case, actor=officer, outcome="full", note="Mme Khadija Tazi: voici le budget.")
    return case, officer


def test_an_answer_is_published_only_after_the_redacted_version_is_written(client):
    case, officer = _answered()
    assert not published_requests().exists()
    assert client.get(reverse("information:register_detail", args=[case.reference])).status_code == 404
    info_request_publish(case=case, actor=officer, redacted_text="Voici le budget voté de la commune.")
    html = client.get(reverse("information:register_detail", args=[case.reference])).content.decode()
    assert "Voici le budget voté" in html
    assert "Khadija" not in html and "Tazi" not in html and case.email not in html
    assert case.reference in client.get(reverse("information:register")).content.decode()


def test_no_publication_without_the_requesters_consent_or_an_answer_or_a_text():
    case = make_request(publish_consent=False)
    officer = staff_actor(case)
    with pytest.raises(CaseActionRefused):  # not answered yet
        info_request_publish(case=case, actor=officer, redacted_text="x")
    info_request_answer(case=case, actor=officer, outcome="full", note="Réponse.")
    with pytest.raises(CaseActionRefused):  # no consent
        info_request_publish(case=case, actor=officer, redacted_text="x")
    consenting, officer2 = _answered()
    with pytest.raises(ValidationError):
        info_request_publish(case=consenting, actor=officer2, redacted_text="   ")
    with pytest.raises(CaseActionRefused):  # the requester does not publish
        info_request_publish(case=consenting, actor=Actor.requester(consenting), redacted_text="x")
    assert not InfoRequest.objects.filter(published_at__isnull=False).exists()


def test_staff_publish_page_is_only_for_the_bodys_staff(client):
    case, officer = _answered()
    outsider = staff_actor(case, administration=AdministrationFactory())
    url = reverse("information:staff_publish", args=[case.reference])
    client.force_login(outsider.user)
    assert client.get(url).status_code == 404
    client.force_login(officer.user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"redacted_text": "Le budget voté, sans données personnelles."})
    assert response.status_code == 302
    assert InfoRequest.objects.get(case=case).published_at is not None


def test_proactive_register_page_lists_entries_by_category(client):
    body = AdministrationFactory()
    category = ProactiveCategory.objects.get_or_create(
        code="budget", defaults={"name_ar": "الميزانية", "name_fr": "Budget"}
    )[0]
    ProactiveEntry.objects.create(
        administration=body,
        category=category,
        title="Budget 2026",
        url="https://x.gov.ma/b.pdf",
        published_on=dt.date(2026, 1, 5),
    )
    assert body.name() in client.get(reverse("information:publications")).content.decode()
    html = client.get(reverse("information:publications_body", args=[body.code])).content.decode()
    assert "Budget 2026" in html and "https://x.gov.ma/b.pdf" in html


def test_statistics_per_body_count_received_in_time_extended_refused_by_ground_and_recourse():
    body = AdministrationFactory()
    answered = make_request(body)
    officer = staff_actor(answered)
    info_request_answer(case=answered, actor=officer, outcome="full", note="Voici.")
    extended = make_request(body)
    info_request_extend(case=extended, actor=officer, reason="large_volume")
    refused = make_request(body)
    refused = info_request_refuse(case=refused, actor=officer, ground="private_life", note="Données de tiers.")
    info_complaint_to_head_file(parent=refused, actor=REQUESTER, description="Je conteste ce refus devant le chef.")
    stats = public_statistics()
    row = next(r for r in stats["bodies"] if r["administration_id"] == body.pk)
    assert row["received"] == 3  # the complaint to the head is not a request
    assert row["answered_in_time"] == 2 and row["extended"] == 1 and row["refused"] == 1
    assert row["with_recourse"] == 1 and row["recourse_percent"] == 33.3
    assert [count for _, count in row["grounds"]] == [1]


def test_the_staff_case_panel_shows_the_recourse_chain():
    case = make_request()
    case = info_request_refuse(case=case, actor=staff_actor(case), ground="private_life", note="Non.")
    html = render_to_string("information/staff/case_panel.html", {"case": case})
    assert "tw-recourse-head" in html


def test_admin_lists_show_the_defaults_to_confirm(admin_client):
    response = admin_client.get("/admin/information/inforequest/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "INFORMATION_HEAD_ANSWER_DAYS" in html and "INFORMATION_URGENT_UNIT" in html
