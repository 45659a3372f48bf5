"""The contact center's services: logging, filing for a caller, callbacks, the assistant's log."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tawasul.cases.models import Case
from tawasul.complaints.tests.factories import main_subject
from tawasul.contact.models import CallbackStatus, Category, Channel, Contact
from tawasul.contact.services import (
    assistant_question_log,
    callback_request,
    contact_file_complaint,
    contact_log,
)
from tawasul.notifications.gateways import LoggingSmsGateway

pytestmark = pytest.mark.django_db


def _file(people, **fields):
    data = {
        "agent": people.agent,
        "channel": "phone",
        "administration": people.x,
        "kind": "complaint",
        "subject": main_subject(),
        "description": "Le bureau d'état civil refuse de me délivrer l'extrait depuis un mois.",
        "language": "fr",
        "first_name": "Karim",
        "last_name": "Tazi",
        "phone": "0612345678",
        "email": "karim.tazi@example.ma",
    }
    data.update(fields)
    return contact_file_complaint(**data)


def test_agent_logs_a_contact(people):
    contact = contact_log(
        agent=people.agent,
        channel=Channel.PHONE,
        category=Category.PROCEDURE_INFO,
        language="zgh",
        requester_category="mre",
        administration=people.x,
        note="  Pièces du passeport.  ",
    )
    contact.refresh_from_db()
    assert (contact.channel, contact.category, contact.language) == ("phone", "procedure_info", "zgh")
    assert contact.agent == people.agent and contact.administration == people.x
    assert contact.note == "Pièces du passeport."
    assert contact.created_at is not None


@pytest.mark.parametrize("who", ["officer_x", "head_x", "national", "supervisor", "citizen"])
def test_only_contact_agents_log_contacts(people, who):
    with pytest.raises(PermissionDenied):
        contact_log(agent=getattr(people, who), channel="phone", category="other", language="ar")
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("channel", "assistant"), ("channel", "fax"), ("category", "gossip"), ("language", "xx")],
)
def test_log_refuses_values_outside_the_lists(people, field, value):
    data = {"agent": people.agent, "channel": "phone", "category": "other", "language": "ar", field: value}
    with pytest.raises(ValidationError):
        contact_log(**data)


def test_complaint_filed_for_a_caller_goes_through_the_portal_with_channel_phone(
    people, django_capture_on_commit_callbacks, run_tasks
):
    LoggingSmsGateway.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case, contact = _file(people)
    run_tasks()
    case = Case.objects.get(pk=case.pk)
    assert case.portal == "complaints" and case.channel == "phone_3737"
    assert case.administration == people.x and case.requester_user is None
    assert case.complaint.subject == main_subject()
    # the case's first event names the agent as the actor, in the contact-agent role
    event = case.events.get(action="submitted")
    assert event.actor_id == people.agent.pk and event.actor_role == "contact_agent"
    # the contact is logged and linked
    assert contact.complaint_id == case.pk and contact.category == "complaint" and contact.agent == people.agent
    # the caller receives the reference by email and by SMS
    assert any(case.reference in m.body for m in mail.outbox)
    assert [to for to, body in LoggingSmsGateway.sent if case.reference in body] == ["+212612345678"]


def test_a_caller_with_only_a_phone_gets_one_sms(people, django_capture_on_commit_callbacks, run_tasks):
    LoggingSmsGateway.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case, _contact = _file(people, email="")
    run_tasks()
    assert mail.outbox == []
    assert [to for to, body in LoggingSmsGateway.sent if case.reference in body] == ["+212612345678"]


def test_counter_channel_is_kept_on_the_case(people):
    case, contact = _file(people, channel="counter")
    assert case.channel == "counter" and contact.channel == "counter"


def test_email_is_not_a_channel_to_file_for_a_caller(people):
    with pytest.raises(ValidationError):
        _file(people, channel="email")
    assert not Case.objects.exists()


def test_filing_twice_with_the_same_key_files_once(people):
    first, contact = _file(people, idempotency_key="0b9a6f3e-3b7c-4c55-9a37-111111111111")
    again, same = _file(people, idempotency_key="0b9a6f3e-3b7c-4c55-9a37-111111111111")
    assert again.pk == first.pk and same.pk == contact.pk and not again.was_created
    assert Case.objects.count() == 1 and Contact.objects.count() == 1


def test_a_caller_without_contact_details_is_refused_and_nothing_is_logged(people):
    with pytest.raises(ValidationError):
        _file(people, email="", phone="")
    assert not Case.objects.exists() and not Contact.objects.exists()


def test_officer_cannot_file_through_the_contact_service(people):
    with pytest.raises(PermissionDenied):
        _file(people, agent=people.officer_x)
    assert not Case.objects.exists()


def test_callback_is_closed_by_the_call_back_and_personal_data_erased(people):
    waiting = callback_request(name="Fatima", phone="+212612345678", language="ar", note="سؤال حول البطاقة")
    assert waiting.callback_status == CallbackStatus.WAITING and waiting.agent is None
    logged = contact_log(
        agent=people.agent, channel="phone", category="general_guidance", language="ar", callback=waiting
    )
    waiting.refresh_from_db()
    assert waiting.callback_status == CallbackStatus.DONE
    assert waiting.callback_handled_by == people.agent and waiting.callback_handled_at is not None
    assert (waiting.callback_name, waiting.callback_phone) == ("", "")
    assert logged.agent == people.agent and logged.channel == "phone"
    # a second agent who calls the same person back is told; nothing is logged twice
    with pytest.raises(ValidationError):
        contact_log(agent=people.agent2, channel="phone", category="other", language="ar", callback=waiting)
    assert Contact.objects.count() == 2


def test_a_refused_callback_files_no_complaint(people):
    waiting = callback_request(name="Fatima", phone="+212612345678", language="ar", note="شكاية")
    contact_log(agent=people.agent2, channel="phone", category="other", language="ar", callback=waiting)
    with pytest.raises(ValidationError):
        _file(people, callback=waiting)
    assert not Case.objects.exists()


def test_assistant_questions_are_counted_without_personal_data(people):
    contact = assistant_question_log(language="fr", category="procedure_info", answered=True)
    assert contact.channel == "assistant" and contact.agent is None
    assert (contact.note, contact.callback_name, contact.callback_phone) == ("", "", "")
    assert contact.answered is True


def test_callbacks_nobody_handled_are_closed_and_erased_by_the_retention_job(people, settings):
    from datetime import timedelta

    from django.utils import timezone

    from tawasul.accounts.personal_data import personal_data_export, personal_data_purge_expired

    settings.CONTACT_CALLBACK_RETENTION_DAYS = 30
    old = callback_request(name="Fatima", phone="+212612345678", language="ar", note="سؤال قديم")
    Contact.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    fresh = callback_request(name="Omar", phone="+212661000000", language="fr", note="Question récente")
    personal_data_purge_expired()
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.callback_status == CallbackStatus.EXPIRED
    assert (old.callback_name, old.callback_phone, old.note) == ("", "", "")
    assert fresh.callback_status == CallbackStatus.WAITING and fresh.callback_phone == "+212661000000"
    personal_data_purge_expired()  # idempotent: a second run closes nothing more
    assert Contact.objects.filter(callback_status="expired").count() == 1
    assert personal_data_export(user=people.citizen)["contact"] == []
