"""Personas of the back office (ARCHITECTURE.md §4): administrations P > X, and Y beside them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tawasul.accounts.roles import Role
from tawasul.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from tawasul.cases.tests.factories import STAFF_SINCE
from tawasul.complaints.tests.factories import make_complaint
from tawasul.registry.tests.factories import AdministrationFactory


@dataclass
class World:
    parent: object
    x: object
    y: object
    officer_x: object
    officer_x2: object
    officer_y: object
    head_above_x: object
    national: object
    agent: object
    citizen: object
    case_x: object
    case_y: object


def member(administration, role):
    # Members since long ago: tests that travel back in time still find them in post.
    return MembershipFactory(administration=administration, role=role, user=UserFactory(), starts_on=STAFF_SINCE).user


@pytest.fixture
def world(db):
    parent = AdministrationFactory(code="ministry-p", name_fr="Ministère P", name_ar="وزارة ب")
    x = AdministrationFactory(code="dir-x", parent=parent, name_fr="Direction X", name_ar="مديرية س")
    y = AdministrationFactory(code="dir-y", name_fr="Direction Y", name_ar="مديرية ع")
    citizen = UserFactory()
    case_x = make_complaint(x, requester_user=citizen) if _accepts_requester_user() else make_complaint(x)
    return World(
        parent=parent,
        x=x,
        y=y,
        officer_x=member(x, Role.OFFICER),
        officer_x2=member(x, Role.DEPUTY),
        officer_y=member(y, Role.OFFICER),
        head_above_x=member(parent, Role.HEAD_OF_UNIT),
        national=member(parent, Role.NATIONAL_UNIT),
        agent=member(parent, Role.CONTACT_AGENT),
        citizen=citizen,
        case_x=case_x,
        case_y=make_complaint(y),
    )


def _accepts_requester_user() -> bool:
    import inspect

    from tawasul.complaints.services import complaint_submit

    return "requester_user" in inspect.signature(complaint_submit).parameters


@pytest.fixture
def login(client):
    def as_(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return as_


__all__ = ["PASSWORD", "World"]


@pytest.fixture(autouse=True)
def _no_forced_2fa(settings):
    """Staff 2FA is tested by the accounts app and by the browser journey here (which turns it
    back on); the view tests sign staff in with `force_login`."""
    settings.STAFF_2FA_REQUIRED = False
