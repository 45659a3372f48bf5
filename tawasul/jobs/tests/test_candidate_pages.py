"""The candidate's pages: profile, apply (without JavaScript), receipt, my applications, withdraw;
nobody else sees an application."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tawasul.accounts.tests.factories import UserFactory
from tawasul.jobs.models import Application, CandidateProfile
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_application, make_candidate, make_notice, png_upload

pytestmark = pytest.mark.django_db
CASA = ZoneInfo("Africa/Casablanca")


def _url(name, *args, lang="fr"):
    with translation.override(lang):
        return reverse(name, args=args)


def _client(user, lang="fr"):
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def notice():
    return make_notice(AdministrationFactory(code="jobs-cand"))


def _form(notice, **extra):
    data = {"line": notice.lines.first().pk, "centre": notice.centres.first().pk, "certify": "on"}
    data.update({f"doc_{doc.pk}": png_upload(f"d{doc.pk}.png") for doc in notice.documents.all()})
    data.update(extra)
    return data


def test_apply_without_a_profile_asks_for_the_profile_first(notice):
    client = _client(UserFactory())
    response = client.get(_url("jobs:apply", notice.pk))
    assert response.status_code == 302 and _url("jobs:profile") in response["Location"]


def test_a_bad_profile_is_refused_with_a_clear_message_and_keeps_the_input():
    user = UserFactory()
    client = _client(user)
    response = client.post(
        _url("jobs:profile"),
        {
            "cin": "12345",
            "phone": "0612345678",
            "birth_date": "1995-05-01",
            "diplomas": "Licence 2017",
            "prior_service_years": 0,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "CIN" in body and "Licence 2017" in body and 'value="12345"' in body
    assert not CandidateProfile.objects.filter(user=user).exists()
    response = client.post(
        _url("jobs:profile"),
        {
            "cin": "ab123456",
            "phone": "06 12 34 56 78",
            "birth_date": "1995-05-01",
            "diplomas": "Licence 2017",
            "prior_service_years": 0,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.cin, user.phone) == ("AB123456", "+212612345678")


def test_apply_gives_a_receipt_and_lists_it_in_my_applications(notice):
    user = make_candidate()
    client = _client(user)
    response = client.post(_url("jobs:apply", notice.pk), _form(notice))
    application = Application.objects.get(candidate=user)
    assert response.status_code == 302 and response["Location"].endswith(
        _url("jobs:application", application.reference)
    )
    receipt = client.get(response["Location"]).content.decode()
    assert application.reference in receipt and "Informatique" in receipt
    mine = client.get(_url("jobs:my_applications")).content.decode()
    assert application.reference in mine


def test_a_missing_document_is_refused_and_the_choice_is_kept(notice):
    user = make_candidate()
    data = _form(notice)
    data.pop(f"doc_{notice.documents.first().pk}")
    second = notice.lines.last()
    data["line"] = second.pk
    response = _client(user).post(_url("jobs:apply", notice.pk), data)
    body = response.content.decode()
    assert response.status_code == 200 and "alert-danger" in body
    assert f'value="{second.pk}" selected' in body
    assert not Application.objects.exists()


def test_a_civil_servant_without_authorisation_is_told_why(notice):
    response = _client(make_candidate()).post(_url("jobs:apply", notice.pk), _form(notice, is_civil_servant="on"))
    assert response.status_code == 200
    assert "autorisation" in response.content.decode().lower() or "authorisation" in response.content.decode().lower()


def test_after_the_deadline_the_form_is_closed_with_a_message():
    deadline = dt.datetime(2026, 7, 20, 16, 30, tzinfo=CASA)
    with time_machine.travel(dt.datetime(2026, 7, 1, 9, tzinfo=CASA), tick=False):
        notice = make_notice(AdministrationFactory(code="jobs-late"), deadline_at=deadline)
    user = make_candidate()
    client = _client(user)
    with time_machine.travel(dt.datetime(2026, 7, 20, 16, 31, tzinfo=CASA), tick=False):
        response = client.post(_url("jobs:apply", notice.pk), _form(notice), follow=True)
    assert not Application.objects.exists()
    assert response.redirect_chain[-1][0].endswith(_url("jobs:notice", notice.pk))
    assert "alert" in response.content.decode()


def test_nobody_else_sees_or_withdraws_an_application(notice):
    a, b = make_candidate(), make_candidate()
    application = make_application(notice, a)
    client_b = _client(b)
    assert client_b.get(_url("jobs:application", application.reference)).status_code == 404
    assert client_b.post(_url("jobs:application_withdraw", application.reference)).status_code == 404
    assert application.reference not in client_b.get(_url("jobs:my_applications")).content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_the_candidate_withdraws_before_the_deadline(notice):
    user = make_candidate()
    application = make_application(notice, user)
    client = _client(user)
    client.post(_url("jobs:application_withdraw", application.reference))
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_a_second_visit_to_apply_leads_to_the_first_application(notice):
    user = make_candidate()
    application = make_application(notice, user)
    response = _client(user).get(_url("jobs:apply", notice.pk))
    assert response.status_code == 302 and response["Location"].endswith(
        _url("jobs:application", application.reference)
    )


def test_the_menu_links_the_recruiting_unit_for_recruiters_only(notice):
    menu = _url("jobs:staff_notices")
    assert menu in _client(notice.recruiter).get(_url("jobs:index")).content.decode()
    assert menu not in _client(make_candidate()).get(_url("jobs:index")).content.decode()
