"""The case services: creation, clocks, idempotency, the append-only log, files."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections, transaction

from tawasul.cases.actors import Actor, actor_for
from tawasul.cases.models import Attachment, Case, CaseEvent, Message
from tawasul.cases.services import (
    CaseActionRefused,
    case_add_attachment,
    case_add_message,
    case_assign,
    case_transition,
    hash_tracking_token,
)
from tawasul.core.tests.upload_corpus import docx_bytes, image_bytes, pdf_bytes, upload
from tawasul.core.uploads import UploadRejected
from tawasul.notifications.models import Notification

from .factories import make_administration, make_case, make_staff

CASABLANCA = ZoneInfo("Africa/Casablanca")
OFFICER = Actor(user=None, roles=frozenset({"officer"}))


def at(*args):
    return dt.datetime(*args, tzinfo=CASABLANCA)


# --- Creation and deadlines ----------------------------------------------------------------


@pytest.mark.django_db
def test_filed_on_eve_of_throne_day_first_action_is_due_monday():
    # Wed 29 July 2026; Throne Day Thu 30 July; 2 working days: Fri 31, Mon 3 August.
    with time_machine.travel(at(2026, 7, 29, 10, 0), tick=False):
        case = make_case()
    assert case.first_action_due_at == at(2026, 8, 3, 23, 59, 59, 999999)
    assert case.next_escalation_at == at(2026, 8, 3, 23, 59, 59, 999999)
    # Decree 2-17-265: 60 calendar days from the day after receipt.
    assert case.answer_due_at == at(2026, 9, 27, 23, 59, 59, 999999)
    assert case.escalation_level == 1 and not case.is_overdue


@pytest.mark.django_db
def test_create_writes_the_reference_the_submitted_event_and_a_hashed_secret():
    case = make_case(email="  Amina@Example.MA ", phone="06 12 34 56 78")
    assert case.reference.startswith("TST-") and case.status == "submitted"
    assert case.email == "amina@example.ma" and case.phone == "+212612345678"
    assert case.was_created and case.tracking_token
    assert case.tracking_token_hash == hash_tracking_token(case.tracking_token)
    assert case.tracking_token not in Case.objects.filter(pk=case.pk).values_list("tracking_token_hash", flat=True)[0]
    (event,) = CaseEvent.objects.filter(case=case)
    assert (event.action, event.to_status, event.is_public) == ("submitted", "submitted", True)


@pytest.mark.django_db
def test_acknowledgement_is_queued_in_the_citizens_language_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        case = make_case(language="fr")
    (notification,) = Notification.objects.all()
    assert (notification.to, notification.template, notification.language) == (case.email, "case_received", "fr")
    assert notification.context["reference"] == case.reference
    # The outbox row is the job (ADR 0060): the workers find it once the case is committed, and
    # nothing else is written or scheduled for it.
    from django_tasks_db.models import DBTaskResult

    assert notification.status == "pending" and DBTaskResult.objects.count() == 0
    assert callbacks == []


@pytest.mark.django_db
def test_same_idempotency_key_twice_gives_one_case():
    administration = make_administration()
    first = make_case(administration, idempotency_key="key-1")
    second = make_case(administration, idempotency_key="key-1")
    assert first.pk == second.pk and second.was_created is False and second.tracking_token is None
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1 and Notification.objects.count() == 1


@pytest.mark.django_db
def test_refused_attachment_stores_nothing_and_files_no_case(media_files):
    with pytest.raises(UploadRejected):
        make_case(attachments=[upload("ok.pdf", pdf_bytes()), upload("evil.pdf", b"MZ\x90\x00" + b"\x00" * 100)])
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0 and Notification.objects.count() == 0
    assert media_files() == []


@pytest.mark.django_db
def test_accepted_attachments_are_stored_under_random_names(media_files):
    case = make_case(attachments=[upload("../../رسالة.pdf", pdf_bytes()), upload("photo.jpg", image_bytes("JPEG"))])
    names = sorted(a.display_name for a in case.attachments.all())
    assert names == ["photo.jpg", "رسالة.pdf"]
    assert len(media_files()) == 2
    assert all("رسالة" not in str(p) and "photo" not in str(p) for p in media_files())


@pytest.mark.django_db(transaction=True)
def test_failed_transaction_removes_the_stored_files(media_files, monkeypatch):
    from tawasul.cases import services

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_event", broken)
    with pytest.raises(RuntimeError):
        make_case(attachments=[upload("a.pdf", pdf_bytes())])
    assert Case.objects.count() == 0
    assert media_files() == []


# --- The append-only log ---------------------------------------------------------------------


@pytest.mark.django_db
def test_events_cannot_be_updated_or_deleted_through_the_orm():
    case = make_case()
    event = CaseEvent.objects.get(case=case)
    event.action = "forged"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(case=case).update(action="forged")
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(case=case).delete()
    assert CaseEvent.objects.get(case=case).action == "submitted"


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("sql", ["UPDATE cases_caseevent SET action = 'forged'", "DELETE FROM cases_caseevent"])
def test_events_cannot_be_changed_with_raw_sql_on_postgresql(sql):
    from django.db import DatabaseError

    make_case()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert CaseEvent.objects.get().action == "submitted"


# --- Clocks ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_qualifying_action_resets_the_escalation_timer():
    with time_machine.travel(at(2026, 7, 29, 10, 0), tick=False):
        case = make_case()
    with time_machine.travel(at(2026, 7, 31, 9, 0), tick=False):
        case = case_transition(case=case, action="start", actor=OFFICER)
    assert case.last_qualifying_action_at == at(2026, 7, 31, 9, 0)
    assert case.next_escalation_at == at(2026, 8, 4, 23, 59, 59, 999999)  # Mon 3, Tue 4


@pytest.mark.django_db
def test_request_for_information_pauses_the_clock_and_the_reply_resumes_it():
    with time_machine.travel(at(2026, 7, 29, 10, 0), tick=False):
        case = make_case()
        case = case_transition(case=case, action="start", actor=OFFICER)
        case = case_transition(case=case, action="request_information", actor=OFFICER, note="Joignez la facture")
    assert case.paused_at is not None and case.next_escalation_at is None
    with time_machine.travel(at(2026, 8, 8, 12, 0), tick=False):  # 10 calendar days later
        case = case_transition(
            case=case, action="provide_information", actor=Actor.requester(case), note="Voici la facture"
        )
    assert case.paused_at is None and case.paused_days == 10
    assert case.answer_due_at == at(2026, 10, 7, 23, 59, 59, 999999)  # 27 Sept + 10 days
    assert case.next_escalation_at is not None
    kinds = list(Message.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["request_for_information", "citizen_message"]


@pytest.mark.django_db
def test_reopening_starts_a_fresh_clock_and_counts():
    case = make_case()
    case = case_transition(case=case, action="start", actor=OFFICER)
    case = case_transition(case=case, action="answer", actor=OFFICER, note="Réponse")
    assert case.answered_at is not None and case.next_escalation_at is None
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        case = case_transition(case=case, action="reopen", actor=Actor.requester(case))
    assert case.status == "in_progress" and case.reopen_count == 1 and case.answered_at is None
    assert case.answer_due_at == at(2027, 1, 1, 23, 59, 59, 999999)


@pytest.mark.django_db
def test_transfer_moves_the_case_and_restarts_the_clock_there():
    source, target = make_administration(), make_administration()
    case = make_case(source)
    case = case_transition(case=case, action="transfer", actor=OFFICER, administration=target, payload={"reason": "x"})
    assert case.administration_id == target.pk and case.status == "submitted" and case.assignee_id is None
    event = CaseEvent.objects.filter(case=case).last()
    assert event.payload["from_administration_id"] == source.pk and event.payload["reason"] == "x"


@pytest.mark.django_db
def test_answer_needs_a_text_and_writes_nothing_without_one():
    from django.core.exceptions import ValidationError

    case = case_transition(case=make_case(), action="start", actor=OFFICER)
    with pytest.raises(ValidationError):
        case_transition(case=case, action="answer", actor=OFFICER, note="  ")
    assert Case.objects.get(pk=case.pk).status == "in_progress"


# --- Roles from memberships, assignment, messages, files ---------------------------------------


@pytest.mark.django_db
def test_officer_of_another_administration_cannot_act():
    mine, other = make_administration(), make_administration()
    case = make_case(mine)
    outsider = make_staff(other)
    with pytest.raises(CaseActionRefused):
        case_transition(case=case, action="acknowledge", actor=actor_for(outsider, case))
    insider = make_staff(mine)
    assert case_transition(case=case, action="acknowledge", actor=actor_for(insider, case)).status == "acknowledged"
    event = CaseEvent.objects.filter(case=case).last()
    assert event.actor_id == insider.pk and event.actor_role == "officer"


@pytest.mark.django_db
def test_supervisor_above_acts_on_a_sub_administrations_case():
    ministry = make_administration()
    directorate = make_administration(parent=ministry)
    case = make_case(directorate)
    head = make_staff(ministry, role="head_of_unit")
    assert "head_of_unit" in actor_for(head, case).roles


@pytest.mark.django_db
def test_assignee_must_be_staff_of_the_same_administration():
    mine, other = make_administration(), make_administration()
    case = make_case(mine)
    boss = make_staff(mine, role="head_of_unit")
    with pytest.raises(CaseActionRefused):
        case_assign(case=case, actor=actor_for(boss, case), assignee=make_staff(other))
    officer = make_staff(mine)
    assert case_assign(case=case, actor=actor_for(boss, case), assignee=officer).assignee_id == officer.pk
    assert CaseEvent.objects.filter(case=case, action="assigned", is_public=False).count() == 1


@pytest.mark.django_db
def test_internal_note_is_qualifying_and_never_public():
    with time_machine.travel(at(2026, 7, 29, 10, 0), tick=False):
        case = make_case()
    with time_machine.travel(at(2026, 8, 3, 15, 0), tick=False):
        message = case_add_message(case=case, actor=OFFICER, kind="internal_note", body="Voir le service X")
    case.refresh_from_db()
    assert not message.is_public
    assert case.next_escalation_at == at(2026, 8, 5, 23, 59, 59, 999999)
    with pytest.raises(CaseActionRefused):
        case_add_message(case=case, actor=Actor.requester(case), kind="internal_note", body="x")


@pytest.mark.django_db
def test_requester_adds_a_document_to_an_open_case_but_not_to_a_closed_one(media_files):
    case = make_case()
    attachment = case_add_attachment(
        case=case, actor=Actor.requester(case), uploaded_file=upload("a.docx", docx_bytes())
    )
    assert attachment.is_public and attachment.uploaded_by_role == "requester"
    case = case_transition(case=case, action="withdraw", actor=Actor.requester(case))
    with pytest.raises(CaseActionRefused):
        case_add_attachment(case=case, actor=Actor.requester(case), uploaded_file=upload("b.pdf", pdf_bytes()))
    assert Attachment.objects.count() == 1 and len(media_files()) == 1


# --- Concurrency (PostgreSQL) ------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submissions_with_one_key_make_one_case():
    administration = make_administration()
    barrier = threading.Barrier(20)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            results.append(make_case(administration, idempotency_key="same-key", email="a@example.ma").pk)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1 and len(results) == 20
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1


@pytest.mark.django_db
def test_citizen_receives_the_acknowledgement_and_the_answer_by_email(django_capture_on_commit_callbacks, run_tasks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(
            language="fr", tracking_url_builder=lambda c, token: f"https://t.example/{c.reference}/{token}"
        )
        token = case.tracking_token
        case = case_transition(case=case, action="start", actor=OFFICER)
        case_transition(case=case, action="answer", actor=OFFICER, note="Votre carte est prête")
    run_tasks()
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(mail.outbox) == 3 and all(case.reference in s for s in subjects)
    bodies = "\n".join(m.body for m in mail.outbox)
    assert token in bodies and "Votre carte est prête" in bodies


@pytest.mark.django_db
def test_portal_events_are_logged_without_touching_the_status():
    from tawasul.cases.services import case_log_event

    case = make_case()
    event = case_log_event(case=case, action="rated", actor=Actor.requester(case), role="requester", is_public=True)
    assert event.action == "rated" and Case.objects.get(pk=case.pk).status == "submitted"
    with pytest.raises(CaseActionRefused):
        case_log_event(case=case, action="rated", actor=Actor.requester(case), role="officer", is_public=True)
    with pytest.raises(CaseActionRefused):
        case_log_event(case=case, action="answer", actor=OFFICER, role="officer", is_public=True)


@pytest.mark.django_db
def test_a_new_holiday_override_recomputes_open_deadlines(django_capture_on_commit_callbacks, run_tasks):
    from tawasul.core.services import holiday_override_save

    with time_machine.travel(at(2026, 7, 29, 10, 0), tick=False):
        case = make_case()
        closed = case_transition(case=make_case(), action="withdraw", actor=Actor.requester(case))
    assert case.first_action_due_at == at(2026, 8, 3, 23, 59, 59, 999999)
    with django_capture_on_commit_callbacks(execute=True):
        # An exceptional day off announced for Friday 31 July 2026.
        holiday_override_save(
            actor=None, day=dt.date(2026, 7, 31), kind="add", source="test communiqué", name_fr="Jour chômé"
        )
    run_tasks()
    case.refresh_from_db()
    assert case.first_action_due_at == at(2026, 8, 4, 23, 59, 59, 999999)
    assert case.next_escalation_at == at(2026, 8, 4, 23, 59, 59, 999999)
    assert Case.objects.get(pk=closed.pk).first_action_due_at == at(2026, 8, 3, 23, 59, 59, 999999)


# --- Sweep hooks (issue 4) ---------------------------------------------------------------------


@pytest.mark.django_db
def test_escalation_ladder_on_real_2026_dates():
    from tawasul.cases.services import case_escalate

    with time_machine.travel(at(2026, 7, 29, 10, 0), tick=False):
        case = make_case()
    assert case_escalate(case=case, now=at(2026, 8, 3, 23, 0)) is None  # still within 2 wd
    case = case_escalate(case=case, now=at(2026, 8, 4, 0, 5))
    assert case.escalation_level == 2
    assert case.next_escalation_at == at(2026, 8, 5, 23, 59, 59, 999999)  # Tue 4, Wed 5
    assert case_escalate(case=case, now=at(2026, 8, 4, 0, 6)) is None  # idempotent
    case = case_escalate(case=case, now=at(2026, 8, 6, 0, 1))
    assert case.escalation_level == 3 and case.next_escalation_at is None
    assert case_escalate(case=case, now=at(2026, 9, 1)) is None
    events = CaseEvent.objects.filter(case=case, action="escalated")
    assert [e.payload["to_level"] for e in events] == [2, 3] and all(e.is_public for e in events)


@pytest.mark.django_db
def test_escalation_tells_the_next_level_without_the_confidential_identity():
    from tawasul.cases.services import case_escalate

    administration = make_administration()
    head = make_staff(administration, role="head_of_unit")
    with time_machine.travel(at(2026, 7, 29, 10, 0), tick=False):
        case = make_case(administration, is_confidential=True, first_name="Amina", last_name="Secret")
    case_escalate(case=case, now=at(2026, 8, 4, 1, 0))
    (staff_note,) = Notification.objects.filter(template="case_escalated_staff")
    assert staff_note.to == head.email
    assert "Amina" not in str(staff_note.context) and "Secret" not in str(staff_note.context)


@pytest.mark.django_db
def test_paused_case_does_not_escalate_and_overdue_is_marked_once():
    from tawasul.cases.services import case_escalate, case_mark_overdue

    with time_machine.travel(at(2026, 7, 29, 10, 0), tick=False):
        case = make_case()
        paused = case_transition(case=make_case(), action="start", actor=OFFICER)
        paused = case_transition(case=paused, action="request_information", actor=OFFICER, note="?")
    assert case_escalate(case=paused, now=at(2026, 8, 20)) is None
    assert case_mark_overdue(case=case, now=at(2026, 9, 27, 23, 0)) is None
    assert case_mark_overdue(case=case, now=at(2026, 9, 28, 0, 1)).is_overdue
    assert case_mark_overdue(case=case, now=at(2026, 9, 29)) is None
    assert CaseEvent.objects.filter(case=case, action="overdue", is_public=False).count() == 1
