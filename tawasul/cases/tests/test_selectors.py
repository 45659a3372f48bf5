"""Tracking privacy, the public timeline and the masked identity of confidential cases."""

import pytest

from tawasul.cases.actors import Actor
from tawasul.cases.selectors import (
    case_by_token,
    case_public_timeline,
    case_track,
    cases_for_requester,
    requester_identity_for,
)
from tawasul.cases.services import case_add_message, case_transition

from .factories import UserFactory, make_case

pytestmark = pytest.mark.django_db
OFFICER = Actor(user=None, roles=frozenset({"officer"}))


def test_tracking_with_the_right_email_in_any_case_or_the_phone_in_any_form():
    case = make_case(email="amina@example.ma", phone="+212612345678")
    assert case_track(case.reference, "AMINA@example.MA ") == case
    assert case_track(case.reference.lower().replace("-", " "), "06 12 34 56 78") == case


def test_wrong_email_reveals_nothing():
    case = make_case(email="amina@example.ma")
    assert case_track(case.reference, "someone@example.ma") is None
    assert case_track(case.reference, "") is None


def test_unknown_reference_gives_the_same_none():
    make_case(email="amina@example.ma")
    assert case_track("TST-2026-9999999-0", "amina@example.ma") is None
    assert case_track("not a reference", "amina@example.ma") is None


def test_a_case_without_phone_is_not_found_with_an_empty_phone():
    case = make_case(email="amina@example.ma", phone="")
    assert case_track(case.reference, "") is None


def test_secret_link_opens_the_case_and_a_wrong_secret_does_not():
    case = make_case()
    assert case_by_token(case.reference, case.tracking_token) == case
    assert case_by_token(case.reference, case.tracking_token[:-1] + "x") is None
    assert case_by_token(case.reference, "") is None


def test_confidential_identity_never_reaches_staff():
    case = make_case(is_confidential=True, first_name="Amina", last_name="El Idrissi", id_number="AB123456")
    seen = requester_identity_for(case, viewer_is_staff=True)
    assert seen.masked
    shown = " ".join(str(v) for v in vars(seen).values()) if hasattr(seen, "__dict__") else repr(seen)
    for secret in ("Amina", "Idrissi", "AB123456", case.email, case.phone):
        assert secret not in shown
    assert requester_identity_for(case, viewer_is_staff=False).first_name == "Amina"


def test_identity_of_an_ordinary_case_is_shown_to_staff():
    case = make_case(first_name="Amina")
    assert requester_identity_for(case, viewer_is_staff=True).first_name == "Amina"


def test_public_timeline_shows_no_internal_note_and_no_staff_name():
    case = make_case()
    staff = UserFactory(first_name="Karim", last_name="Bennani")
    officer = Actor(user=staff, roles=frozenset({"officer"}))
    case = case_transition(case=case, action="start", actor=officer)
    case_add_message(case=case, actor=officer, kind="internal_note", body="secret interne")
    case = case_transition(case=case, action="answer", actor=officer, note="Votre dossier est réglé")
    timeline = case_public_timeline(case)
    actions = [e.action for e in timeline]
    assert actions[:2] == ["submitted", "start"] and sorted(actions[2:]) == ["answer", "public_answer"]
    assert all(e.by in ("requester", "administration", "system") for e in timeline)
    text = repr(timeline)
    assert "secret interne" not in text and "Karim" not in text and "Bennani" not in text


def test_account_holder_sees_all_and_only_their_cases():
    citizen = UserFactory()
    mine = [make_case(requester_user=citizen) for _ in range(2)]
    make_case()
    assert set(cases_for_requester(citizen)) == set(mine)


def _attachment(case, name, *, message=None, is_public=True):
    from tawasul.cases.models import Attachment

    return Attachment.objects.create(
        case=case,
        message=message,
        storage_name=f"test/{case.pk}/{name}",
        display_name=name,
        kind="pdf",
        mime="application/pdf",
        size=1234,
        sha256="0" * 64,
        uploaded_by_role="requester" if message is None else "officer",
        is_public=is_public,
    )


def _history_from_plain_querysets(case):
    """The public history as three ordinary querysets give it: what the one-query read must equal."""
    from tawasul.cases.models import Attachment, CaseEvent, Message
    from tawasul.cases.selectors import TimelineEntry, _public_role

    entries = [
        TimelineEntry(
            at=event.created_at,
            type="event",
            action=event.action,
            status=event.to_status,
            by=_public_role(event.actor_role),
            body=str(event.payload.get("reason", "")) if isinstance(event.payload, dict) else "",
        )
        for event in CaseEvent.objects.filter(case=case, is_public=True).exclude(action="message_added")
    ]
    files = list(Attachment.objects.filter(case=case, is_public=True))
    for message in Message.objects.filter(case=case, kind__in=sorted(Message.PUBLIC_KINDS)):
        entries.append(
            TimelineEntry(
                at=message.created_at,
                type="message",
                action=message.kind,
                status="",
                by=_public_role(message.author_role),
                body=message.body,
                attachments=tuple(f for f in files if f.message_id == message.pk),
            )
        )
    entries.sort(key=lambda entry: (entry.at, entry.type != "event"))
    return entries, files


def _case_with_a_full_history():
    """A case with public and internal events, messages and files (a transfer's reason too)."""
    from tawasul.cases.models import CaseEvent, Message

    case = make_case(email="amina@example.ma", phone="+212612345678")
    _attachment(case, "filed-with-the-complaint.pdf")
    _attachment(case, "internal-scan.pdf", is_public=False)
    case = case_transition(case=case, action="start", actor=OFFICER)
    CaseEvent.objects.create(
        case=case,
        action="transferred",
        to_status=case.status,
        actor_role="officer",
        is_public=True,
        payload={"reason": "Relève de la commune"},
    )
    CaseEvent.objects.create(case=case, action="note", actor_role="officer", is_public=False, payload={"reason": "x"})
    case_add_message(case=case, actor=OFFICER, kind="internal_note", body="secret interne")
    _attachment(case, "note.pdf", message=Message.objects.get(case=case, kind="internal_note"))
    case = case_transition(case=case, action="answer", actor=OFFICER, note="Votre dossier est réglé")
    answer = Message.objects.filter(case=case, kind="public_answer").get()
    _attachment(case, "answer-1.pdf", message=answer)
    _attachment(case, "answer-2.pdf", message=answer)
    return case


def _assert_history_is_the_querysets(case, entries, files):
    expected_entries, expected_files = _history_from_plain_querysets(case)
    assert [f.pk for f in files] == [f.pk for f in expected_files]
    for got, want in zip(files, expected_files, strict=True):
        for name in ("display_name", "kind", "mime", "size", "uploaded_by_role", "created_at", "message_id"):
            assert getattr(got, name) == getattr(want, name), name
    assert [(e.at, e.type, e.action, e.status, e.by, e.body, [a.pk for a in e.attachments]) for e in entries] == [
        (e.at, e.type, e.action, e.status, e.by, e.body, [a.pk for a in e.attachments]) for e in expected_entries
    ]
    assert all(e.at.utcoffset() is not None for e in entries)
    assert "Relève de la commune" in [e.body for e in entries]
    assert "secret interne" not in repr(entries)
    assert {a.display_name for e in entries for a in e.attachments} == {"answer-1.pdf", "answer-2.pdf"}


def test_the_one_query_public_history_equals_the_three_querysets(django_assert_num_queries):
    from tawasul.cases.selectors import case_public_history

    case = _case_with_a_full_history()

    with django_assert_num_queries(1):
        entries, files = case_public_history(case)

    _assert_history_is_the_querysets(case, entries, files)


@pytest.mark.parametrize("contact", ["amina@example.ma", "06 12 34 56 78"])
def test_tracking_with_the_history_reads_it_in_the_look_up_and_equals_the_querysets(contact, django_assert_num_queries):
    from tawasul.cases.selectors import case_public_history

    case = _case_with_a_full_history()

    with django_assert_num_queries(1):
        found = case_track(case.reference, contact, with_history=True)
        entries, files = case_public_history(found)

    assert found == case
    _assert_history_is_the_querysets(case, entries, files)


def test_a_just_filed_case_reads_its_one_event_and_no_message_or_file_in_the_look_up(
    django_assert_num_queries,
):
    from tawasul.cases.selectors import _HISTORY_ATTRIBUTES, case_public_history

    case = make_case(email="amina@example.ma")

    with django_assert_num_queries(1):
        found = case_track(case.reference, "amina@example.ma", with_history=True)
        entries, files = case_public_history(found)

    assert [getattr(found, name) for name in _HISTORY_ATTRIBUTES][1:] == ["[]", "[]"]
    assert [(e.type, e.action) for e in entries] == [("event", "submitted")] and files == []
    assert entries == _history_from_plain_querysets(case)[0]


def test_a_wrong_contact_reads_no_history_from_the_database():
    """The history's subqueries run only for the case's own contact: the look-up for a wrong one
    brings back the case's row for the constant-time comparison, and nothing of its history."""
    from tawasul.cases.selectors import _HISTORY_ATTRIBUTES, _lookup

    case = _case_with_a_full_history()

    wrong = _lookup(case.reference, history_for="someone@example.ma")
    right = _lookup(case.reference, history_for="amina@example.ma")

    assert [getattr(wrong, name) for name in _HISTORY_ATTRIBUTES] == [None, None, None]
    assert all(getattr(right, name) for name in _HISTORY_ATTRIBUTES)
    assert case_track(case.reference, "someone@example.ma", with_history=True) is None
    assert case_track("TST-2026-9999999-0", "amina@example.ma", with_history=True) is None
