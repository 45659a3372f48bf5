"""Every back-office URL with every persona (issue 4 "Security"; ARCHITECTURE.md §4): the allowed
ones succeed, the others are refused — 302 to the login page for a visitor, 403 for someone who
handles no case, 404 for a case outside the user's administrations, the *same* 404 as for a
reference that does not exist, so nothing leaks."""

from __future__ import annotations

import re

import pytest

from tawasul.cases.services import case_add_attachment
from tawasul.complaints.tests.factories import png_upload, staff_actor

from ..models import AnswerTemplate

pytestmark = pytest.mark.django_db

FAKE = "CHK-2026-9999999-Z"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(text: str) -> str:
    """A page without its per-request CSRF token (the sign-out form in the header)."""
    return _CSRF.sub("", text)


def _urls(world, attachment_pk, template_pk):
    ref = world.case_x.reference
    return [
        ("GET", "/fr/staff/", "list"),
        ("GET", "/fr/staff/export.csv", "list"),
        ("GET", "/fr/staff/alerts/", "list"),
        ("POST", "/fr/staff/alerts/read/", "list"),
        ("GET", "/fr/staff/templates/", "list"),
        ("GET", "/fr/staff/templates/new/", "list"),
        ("GET", f"/fr/staff/templates/{template_pk}/", "x"),
        ("GET", f"/fr/staff/case/{ref}/", "x"),
        ("POST", f"/fr/staff/case/{ref}/act/acknowledge/", "x"),
        ("POST", f"/fr/staff/case/{ref}/assign/", "x"),
        ("POST", f"/fr/staff/case/{ref}/note/", "x"),
        ("POST", f"/fr/staff/case/{ref}/files/", "x"),
        ("GET", f"/fr/staff/case/{ref}/files/{attachment_pk}/", "x"),
    ]


def test_every_persona_on_every_backoffice_url(world, login, client):
    attachment = case_add_attachment(case=world.case_x, actor=staff_actor(world.case_x), uploaded_file=png_upload())
    template = AnswerTemplate.objects.create(
        administration=world.x, portal="complaints", action="answer", language="fr", title="T", body="B"
    )
    personas = {
        "anonymous": None,
        "citizen": world.citizen,
        "officer_x": world.officer_x,
        "officer_y": world.officer_y,
        "head_above_x": world.head_above_x,
        "national_unit": world.national,
        "contact_agent": world.agent,
    }
    reaches_x = {"officer_x", "head_above_x"}
    staff = {"officer_x", "officer_y", "head_above_x"}
    tried = 0
    for name, user in personas.items():
        for method, url, scope in _urls(world, attachment.pk, template.pk):
            c = login(user)
            response = c.get(url) if method == "GET" else c.post(url, {})
            tried += 1
            if user is None:
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], (name, url)
            elif name not in staff:
                assert response.status_code == 403, (name, url, response.status_code)
            elif scope == "list" or name in reaches_x:
                assert response.status_code in (200, 302, 400), (name, url, response.status_code)
            else:
                assert response.status_code == 404, (name, url, response.status_code)
                fake_url = url.replace(world.case_x.reference, FAKE).replace(f"/{template.pk}/", "/987654/")
                fake = c.get(fake_url) if method == "GET" else c.post(fake_url, {})
                assert fake.status_code == 404
                # The 404 page links the same page in other languages: the URL is in it.
                same = (
                    fake.content.decode()
                    .replace(FAKE, world.case_x.reference)
                    .replace("/987654/", f"/{template.pk}/")
                    .replace("%2F987654%2F", f"%2F{template.pk}%2F")
                )
                assert _page(response.content.decode()) == _page(same), (name, url)
    assert tried == 7 * 13  # 91 (persona, route) pairs


def test_officer_y_gets_the_same_404_for_x_case_and_a_made_up_reference(world, login):
    client = login(world.officer_y)
    real = client.get(f"/ar/staff/case/{world.case_x.reference}/")
    fake = client.get(f"/ar/staff/case/{FAKE}/")
    assert real.status_code == fake.status_code == 404
    assert _page(real.content.decode()) == _page(fake.content.decode().replace(FAKE, world.case_x.reference))


def test_officer_y_cannot_act_on_x_case(world, login):
    client = login(world.officer_y)
    response = client.post(
        f"/fr/staff/case/{world.case_x.reference}/act/acknowledge/", {"version": world.case_x.version}
    )
    assert response.status_code == 404
    world.case_x.refresh_from_db()
    assert world.case_x.status == "submitted"


def test_national_unit_is_refused_the_back_office_with_a_403(world, login):
    response = login(world.national).get("/fr/staff/")
    assert response.status_code == 403


def test_head_of_unit_above_x_sees_x_cases_not_y(world, login):
    response = login(world.head_above_x).get("/fr/staff/")
    assert world.case_x.reference.encode() in response.content
    assert world.case_y.reference.encode() not in response.content


def test_search_never_finds_another_administrations_case(world, login):
    response = login(world.officer_y).get("/fr/staff/", {"q": world.case_x.reference, "status": "all"})
    assert f"/staff/case/{world.case_x.reference}/" not in response.content.decode()
    assert response.context["page"].paginator.count == 0
    csv = login(world.officer_y).get("/fr/staff/export.csv", {"q": world.case_x.reference, "status": "all"})
    assert world.case_x.reference not in b"".join(csv.streaming_content).decode()
