"""A proof remembered in the session opens one case, on one portal, while the case's contact and
secret stay what they were (tawasul.cases.tracking_proof). Each test tries to break it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.http import Http404
from django.test import RequestFactory

from tawasul.cases.models import Case
from tawasul.cases.personal_data import CasePersonalData
from tawasul.cases.testing import complaint_like_workflow
from tawasul.cases.tracking_proof import MAX_PROVEN_PER_SESSION, SessionProofs
from tawasul.cases.workflow import register_workflow, unregister_workflow

from .factories import UserFactory, make_administration, make_case

pytestmark = pytest.mark.django_db

COMPLAINTS = SessionProofs("test_complaints")
OTHER = SessionProofs("test_other")


@pytest.fixture(autouse=True)
def other_portal():
    registered = register_workflow(complaint_like_workflow(portal="test_other", prefix="TSO"))
    yield registered
    unregister_workflow(registered.portal)


def visitor(user=None, session=None):
    request = RequestFactory().get("/")
    request.session = session if session is not None else SessionStore()
    request.user = user or AnonymousUser()
    return request


def opens(proofs, request, case) -> bool:
    """Whether this visitor opens the case's pages: `has` and the look-up by reference agree."""
    try:
        proofs.case(request, case.reference)
    except Http404:
        assert not proofs.has(request, case)
        return False
    assert proofs.has(request, case)
    return True


def test_a_proven_case_opens_by_its_reference():
    case = make_case()
    request = visitor()
    COMPLAINTS.remember(request, case)
    assert COMPLAINTS.has(request, case)
    assert COMPLAINTS.case(request, case.reference) == case


def test_an_unproven_case_and_an_unknown_reference_give_the_same_404():
    case = make_case()
    request = visitor()
    for reference in (case.reference, "TST-2026-9999999-0", "not a reference"):
        with pytest.raises(Http404):
            COMPLAINTS.case(request, reference)


def test_the_proof_of_case_a_does_not_open_case_b():
    administration = make_administration()
    case_a = make_case(administration, email="amina@example.ma")
    case_b = make_case(administration, email="amina@example.ma")  # even the same requester's
    request = visitor()
    COMPLAINTS.remember(request, case_a)
    assert opens(COMPLAINTS, request, case_a)
    assert not opens(COMPLAINTS, request, case_b)


def test_a_proof_copied_onto_another_case_id_opens_nothing():
    case_a, case_b = make_case(), make_case()
    request = visitor()
    COMPLAINTS.remember(request, case_a)
    proofs = request.session[COMPLAINTS.session_key]
    request.session[COMPLAINTS.session_key] = {str(case_b.pk): proofs[str(case_a.pk)]}
    assert not opens(COMPLAINTS, request, case_b)


@pytest.mark.parametrize(("field", "new_value"), [("email", "someone.else@example.ma"), ("phone", "+212698765432")])
def test_a_proof_does_not_survive_a_changed_email_or_phone(field, new_value):
    case = make_case(email="amina@example.ma", phone="+212612345678")
    request = visitor()
    COMPLAINTS.remember(request, case)
    Case.objects.filter(pk=case.pk).update(**{field: new_value})
    assert not opens(COMPLAINTS, request, Case.objects.get(pk=case.pk))


def test_a_proof_does_not_survive_the_erasure_of_the_identity():
    user = UserFactory()
    case = make_case(requester_user=user)
    request = visitor()
    COMPLAINTS.remember(request, case)
    assert opens(COMPLAINTS, request, case)
    CasePersonalData().erase(user, actor=user)  # blanks email and phone, replaces the secret
    assert not opens(COMPLAINTS, request, Case.objects.get(pk=case.pk))


def test_a_proof_from_one_portal_is_not_accepted_on_another():
    case = make_case()  # a test_complaints case
    request = visitor()
    COMPLAINTS.remember(request, case)
    assert opens(COMPLAINTS, request, case)
    assert not opens(OTHER, request, case)


def test_another_portals_proof_does_not_open_this_portals_case():
    theirs = make_case(portal="test_other")
    ours = make_case()
    request = visitor()
    OTHER.remember(request, theirs)
    # Even written under this portal's key (a mix-up of keys), the other portal's proof opens nothing.
    request.session[COMPLAINTS.session_key] = {str(ours.pk): request.session[OTHER.session_key][str(theirs.pk)]}
    assert not opens(COMPLAINTS, request, ours)
    assert not opens(COMPLAINTS, request, theirs)


def test_a_portal_refuses_to_remember_another_portals_case():
    theirs = make_case(portal="test_other")
    request = visitor()
    with pytest.raises(ValueError):
        COMPLAINTS.remember(request, theirs)
    assert COMPLAINTS.session_key not in request.session


def test_the_signed_in_requester_opens_the_cases_of_the_account_on_their_portal_only():
    user = UserFactory()
    ours = make_case(requester_user=user)
    theirs = make_case(portal="test_other", requester_user=user)
    someone_elses = make_case(requester_user=UserFactory())
    request = visitor(user=user)
    assert opens(COMPLAINTS, request, ours)
    assert not opens(COMPLAINTS, request, theirs)
    assert not opens(COMPLAINTS, request, someone_elses)


def test_a_session_of_before_the_fingerprint_proves_nothing():
    case = make_case()
    request = visitor()
    request.session[COMPLAINTS.session_key] = [case.pk]  # the earlier format: bare case ids
    assert not COMPLAINTS.has(request, case)
    COMPLAINTS.remember(request, case)
    assert COMPLAINTS.has(request, case)


def test_a_proof_lives_in_the_stored_session():
    case = make_case()
    session = SessionStore()
    COMPLAINTS.remember(visitor(session=session), case)
    session.save()
    assert COMPLAINTS.has(visitor(session=SessionStore(session_key=session.session_key)), case)


def test_the_session_keeps_the_newest_proofs_within_the_bound():
    administration = make_administration()
    cases = [make_case(administration) for _ in range(MAX_PROVEN_PER_SESSION + 1)]
    request = visitor()
    for case in cases:
        COMPLAINTS.remember(request, case)
    COMPLAINTS.remember(request, cases[1])  # proven again: the newest
    assert len(request.session[COMPLAINTS.session_key]) == MAX_PROVEN_PER_SESSION
    assert not COMPLAINTS.has(request, cases[0])
    assert all(COMPLAINTS.has(request, case) for case in cases[1:])
