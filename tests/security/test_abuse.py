"""Abuse: honeypot, per-client rate limits on public forms and tracking, login lockout, messages
per case per day (issue 8 item 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tawasul.accounts.tests.factories import PASSWORD, UserFactory
from tawasul.cases.actors import Actor
from tawasul.cases.limits import MessageQuotaExceeded, check_message_quota, messages_left_today
from tawasul.cases.models import Case, Message
from tawasul.cases.services import case_add_message
from tawasul.complaints.tests.factories import make_complaint, valid_form_data
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


# --- Honeypot -----------------------------------------------------------------------------------


def test_the_honeypot_is_in_the_filing_form_but_hidden_from_people(client):
    administration = AdministrationFactory()
    page = client.get(url("complaints:file_form") + f"?administration={administration.code}").content.decode()
    assert 'name="website"' in page
    assert 'class="visually-hidden" aria-hidden="true"' in page
    assert 'tabindex="-1"' in page


def test_a_bot_filling_the_honeypot_files_nothing_and_gets_a_generic_error(client):
    administration = AdministrationFactory()
    response = client.post(url("complaints:file_form"), valid_form_data(administration, website="http://spam.example"))
    assert response.status_code == 400
    assert not Case.objects.exists()
    form = response.context["form"]
    assert form.caught_by_honeypot
    assert list(form.errors) == ["__all__"]  # nothing points at the hidden field
    assert "website" not in response.content.decode().split('class="visually-hidden"')[0].split("<form")[-1]


def test_a_person_with_an_empty_honeypot_files_normally(client):
    administration = AdministrationFactory()
    response = client.post(url("complaints:file_form"), valid_form_data(administration, website=""))
    assert response.status_code == 302
    assert Case.objects.count() == 1


def test_a_bot_filling_the_tracking_honeypot_finds_nothing(client):
    case = make_complaint()
    response = client.post(
        url("complaints:track"), {"reference": case.reference, "contact": case.email, "website": "x"}
    )
    assert response.status_code == 200
    assert response.context["form"].caught_by_honeypot
    assert client.get(url("complaints:case", reference=case.reference)).status_code == 404


# --- Rate limits ----------------------------------------------------------------------------------


def test_filing_is_limited_per_client_and_the_refused_post_stores_nothing(client, settings):
    settings.PUBLIC_FORM_RATE_LIMITS = {**settings.PUBLIC_FORM_RATE_LIMITS, "complaints:file_form": "3/h"}
    administration = AdministrationFactory()
    for _ in range(3):
        assert client.post(url("complaints:file_form"), valid_form_data(administration)).status_code == 302
    fourth = client.post(url("complaints:file_form"), valid_form_data(administration))
    assert fourth.status_code == 429
    assert int(fourth["Retry-After"]) > 0
    assert Case.objects.count() == 3
    # Another client is not affected.
    other = client.post(url("complaints:file_form"), valid_form_data(administration), REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302


def test_reading_the_filing_form_is_never_limited(client, settings):
    settings.PUBLIC_FORM_RATE_LIMITS = {**settings.PUBLIC_FORM_RATE_LIMITS, "complaints:file_form": "1/h"}
    administration = AdministrationFactory()
    for _ in range(3):
        assert client.get(url("complaints:file_form") + f"?administration={administration.code}").status_code == 200


def test_every_public_form_has_a_rate_limit(settings):
    """The public POST forms of the portals (citizen side) are all in PUBLIC_FORM_RATE_LIMITS, or
    limited in their own view (tracking)."""
    limited_in_view = {"complaints:track", "complaints:track_link", "information:track", "information:track_link"}
    public_forms = {
        "complaints:file_form",
        "complaints:case_message",
        "complaints:case_reopen",
        "complaints:case_rate",
        "account_signup",
        "account_reset_password",
    }
    assert public_forms <= set(settings.PUBLIC_FORM_RATE_LIMITS) | limited_in_view


def test_tracking_is_limited_per_client(client):
    case = make_complaint()
    answers = [
        client.post(url("complaints:track"), {"reference": case.reference, "contact": "wrong@example.ma"}).status_code
        for _ in range(11)
    ]
    assert answers[:10] == [200] * 10
    assert answers[10] == 429
    # Even the right pair is refused while limited: guessing gains nothing.
    right = client.post(url("complaints:track"), {"reference": case.reference, "contact": case.email})
    assert right.status_code == 429


# --- Login lockout (django-axes; more in tawasul/accounts/tests/test_lockout.py) -------------------


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client):
    user = UserFactory()
    for _ in range(5):
        client.post(url("account_login"), {"login": user.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.5")
    locked = client.post(url("account_login"), {"login": user.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.5")
    assert locked.status_code == 429
    assert not client.get(url("home:index")).wsgi_request.user.is_authenticated


# --- Messages per case per day ---------------------------------------------------------------------


def test_a_requester_may_send_the_daily_maximum_of_messages_and_no_more(settings):
    settings.CASE_MAX_MESSAGES_PER_DAY = 3
    case = make_complaint()
    actor = Actor.requester(case)
    for n in range(3):
        check_message_quota(case)
        case_add_message(case=case, actor=actor, kind=Message.Kind.CITIZEN_MESSAGE, body=f"Message {n}")
    assert messages_left_today(case) == 0
    with pytest.raises(MessageQuotaExceeded):
        check_message_quota(case)


def test_the_message_quota_starts_again_the_next_day(settings):
    import datetime as dt

    import time_machine

    settings.CASE_MAX_MESSAGES_PER_DAY = 1
    with time_machine.travel(dt.datetime(2026, 3, 10, 22, 0, tzinfo=dt.UTC), tick=False):  # late evening in Casablanca
        case = make_complaint()
        case_add_message(case=case, actor=Actor.requester(case), kind=Message.Kind.CITIZEN_MESSAGE, body="Hier soir")
        with pytest.raises(MessageQuotaExceeded):
            check_message_quota(case)
    with time_machine.travel(dt.datetime(2026, 3, 11, 8, 0, tzinfo=dt.UTC), tick=False):
        check_message_quota(case)  # a new day in Casablanca


def test_staff_messages_are_never_limited(settings):
    settings.CASE_MAX_MESSAGES_PER_DAY = 0
    case = make_complaint()
    check_message_quota(case, author_role="officer")
