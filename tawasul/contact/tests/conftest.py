"""Personas of the contact center (ARCHITECTURE.md §4) and the clean-up after browser tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tawasul.accounts.roles import Role
from tawasul.accounts.tests.factories import MembershipFactory, UserFactory
from tawasul.cases.tests.factories import STAFF_SINCE
from tawasul.registry.tests.factories import AdministrationFactory


def member(administration, role):
    return MembershipFactory(administration=administration, role=role, user=UserFactory(), starts_on=STAFF_SINCE).user


@dataclass
class People:
    ministry: object  # the ministry that runs the contact center
    x: object  # another administration, where complaints are filed
    agent: object
    agent2: object
    supervisor: object  # head of unit of the contact center's administration
    national: object
    officer_x: object
    head_x: object  # a head of unit elsewhere: not a supervisor of the agents
    citizen: object


@pytest.fixture
def people(db):
    ministry = AdministrationFactory(code="mtnra", name_fr="Ministère de la Transition", name_ar="وزارة الانتقال")
    x = AdministrationFactory(code="adm-x", name_fr="Direction X", name_ar="مديرية س")
    return People(
        ministry=ministry,
        x=x,
        agent=member(ministry, Role.CONTACT_AGENT),
        agent2=member(ministry, Role.CONTACT_AGENT),
        supervisor=member(ministry, Role.HEAD_OF_UNIT),
        national=member(ministry, Role.NATIONAL_UNIT),
        officer_x=member(x, Role.OFFICER),
        head_x=member(x, Role.HEAD_OF_UNIT),
        citizen=UserFactory(),
    )


@pytest.fixture
def login(client):
    def as_(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return as_


@pytest.fixture(autouse=True)
def _no_forced_2fa(settings):
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture(autouse=True)
def _clear_search_index_after_flush(request, django_db_blocker):
    """As the catalog's tests do: a transactional test's flush does not reach the search index
    tables (FTS5 on SQLite, the titles table on PostgreSQL); empty them too."""
    yield
    if not {"transactional_db", "live_server"} & set(request.fixturenames) and not (
        (marker := request.node.get_closest_marker("django_db")) and marker.kwargs.get("transaction")
    ):
        return
    from django.db import connection

    from tawasul.catalog.search import FTS_TABLE, TITLE_TABLE

    table = {"sqlite": FTS_TABLE, "postgresql": TITLE_TABLE}.get(connection.vendor)
    if table:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
