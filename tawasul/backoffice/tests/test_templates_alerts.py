"""Answer templates pages (officers and heads, their administrations only) and the alerts page."""

from __future__ import annotations

import pytest

from tawasul.notifications.models import StaffAlert
from tawasul.notifications.services import staff_alert_create

from ..models import AnswerTemplate

pytestmark = pytest.mark.django_db


def _data(administration, **extra):
    return {
        "administration": administration.pk,
        "portal_action": "complaints:answer",
        "language": "ar",
        "title": "جواب نموذجي",
        "body": "شكايتكم رقم {reference}",
        "is_active": "on",
        **extra,
    }


def test_officer_creates_and_edits_a_template_of_their_administration(world, login):
    client = login(world.officer_x)
    response = client.post("/fr/staff/templates/new/", _data(world.x))
    assert response.status_code == 302
    template = AnswerTemplate.objects.get()
    assert (template.administration, template.portal, template.action) == (world.x, "complaints", "answer")
    response = client.post(f"/fr/staff/templates/{template.pk}/", _data(world.x, title="Nouveau titre"))
    template.refresh_from_db()
    assert template.title == "Nouveau titre"
    assert template.history.count() == 2
    assert "Nouveau titre" in client.get("/fr/staff/templates/").content.decode()


def test_officer_cannot_write_a_template_for_another_administration(world, login):
    response = login(world.officer_x).post("/fr/staff/templates/new/", _data(world.y))
    assert response.status_code == 400 and not AnswerTemplate.objects.exists()


def test_head_of_unit_sees_the_templates_below_but_officer_y_does_not(world, login):
    template = AnswerTemplate.objects.create(
        administration=world.x,
        portal="complaints",
        action="answer",
        language="fr",
        title="Modèle-de-X-unique",
        body="b",
    )
    assert login(world.head_above_x).get(f"/fr/staff/templates/{template.pk}/").status_code == 200
    assert login(world.officer_y).get(f"/fr/staff/templates/{template.pk}/").status_code == 404
    assert "Modèle-de-X-unique" not in login(world.officer_y).get("/fr/staff/templates/").content.decode()


def test_alerts_are_listed_and_marked_read(world, login):
    staff_alert_create(
        users=[world.officer_x],
        kind=StaffAlert.Kind.ASSIGNED,
        text="Case %(reference)s was assigned to you.",
        params={"reference": world.case_x.reference},
        case_reference=world.case_x.reference,
        url=f"/fr/staff/case/{world.case_x.reference}/",
    )
    client = login(world.officer_x)
    page = client.get("/en/staff/alerts/").content.decode()
    assert f"Case {world.case_x.reference} was assigned to you." in page
    assert "(1)" in client.get("/en/staff/").content.decode()  # the header's unread count
    client.post("/en/staff/alerts/read/")
    assert not StaffAlert.objects.filter(user=world.officer_x, read_at__isnull=True).exists()
    assert login(world.officer_y).get("/en/staff/alerts/").content.decode().count(world.case_x.reference) == 0
