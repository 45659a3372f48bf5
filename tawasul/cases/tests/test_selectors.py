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
