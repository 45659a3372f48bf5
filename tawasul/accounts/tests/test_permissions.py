"""The permission helpers, attacked from every side: whoever has no membership in force gets nothing."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tawasul.accounts.permissions import (
    can_read_national_indicators,
    has_role,
    is_staff_member,
    roles_of,
    staff_scope_filter,
)
from tawasul.accounts.roles import ESCALATION_LEVELS, Role
from tawasul.accounts.selectors import administrations_for, escalation_contacts
from tawasul.accounts.services import membership_end, membership_grant
from tawasul.registry.models import Administration

from .factories import MembershipFactory, UserFactory, make_administration

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def tree():
    """ministry → directorate → division; and another ministry."""
    ministry = make_administration("ministry-x")
    directorate = make_administration("directorate-x", parent=ministry, kind="directorate")
    division = make_administration("division-x", parent=directorate, kind="division")
    other = make_administration("ministry-y")
    return ministry, directorate, division, other


def fresh(user):
    """The same person as a new request would see them (no memo)."""
    return type(user).objects.get(pk=user.pk)


def test_officer_of_x_never_gets_y(tree):
    ministry, _, _, other = tree
    officer = MembershipFactory(administration=ministry, role=Role.OFFICER).user
    assert list(administrations_for(officer)) == [ministry]
    assert not has_role(officer, Role.OFFICER, administration=other)
    assert roles_of(officer, other) == set()
    assert other not in Administration.objects.filter(staff_scope_filter(officer, field="pk"))


def test_officer_does_not_see_the_tree_below(tree):
    ministry, directorate, _, _ = tree
    officer = MembershipFactory(administration=ministry, role=Role.OFFICER).user
    assert directorate not in administrations_for(officer)


def test_supervisors_see_the_sub_tree_below_only(tree):
    ministry, directorate, division, other = tree
    head = MembershipFactory(administration=directorate, role=Role.HEAD_OF_UNIT).user
    assert set(administrations_for(head)) == {directorate, division}
    boss = MembershipFactory(administration=ministry, role=Role.HIGHER_MANAGEMENT).user
    assert set(administrations_for(boss)) == {ministry, directorate, division}
    assert set(administrations_for(boss, include_descendants=False)) == {ministry}
    assert other not in administrations_for(boss)


def test_a_membership_that_ended_gives_nothing(tree):
    ministry = tree[0]
    yesterday = TODAY() - datetime.timedelta(days=1)
    user = MembershipFactory(
        administration=ministry,
        role=Role.HEAD_OF_UNIT,
        starts_on=yesterday - datetime.timedelta(days=30),
        ends_on=yesterday,
    ).user
    assert not is_staff_member(user)
    assert roles_of(user) == set()
    assert not administrations_for(user).exists()
    assert not Administration.objects.filter(staff_scope_filter(user, field="pk")).exists()


def test_a_membership_is_in_force_on_its_last_day(tree):
    user = MembershipFactory(administration=tree[0], ends_on=TODAY()).user
    assert is_staff_member(user)


def test_an_inactive_or_future_membership_gives_nothing(tree):
    off = MembershipFactory(administration=tree[0], is_active=False).user
    future = MembershipFactory(administration=tree[0], starts_on=TODAY() + datetime.timedelta(days=1)).user
    for user in (off, future):
        assert not is_staff_member(user)
        assert not has_role(user, Role.OFFICER)
        assert not administrations_for(user).exists()


def test_a_deactivated_user_gets_nothing(tree):
    user = MembershipFactory(administration=tree[0]).user
    user.is_active = False
    user.save()
    assert not is_staff_member(fresh(user))


def test_an_anonymous_user_gets_nothing(tree):
    anonymous = AnonymousUser()
    assert not is_staff_member(anonymous)
    assert roles_of(anonymous) == set()
    assert not has_role(anonymous, *Role.values)
    assert not administrations_for(anonymous).exists()
    assert not can_read_national_indicators(anonymous)
    assert not Administration.objects.filter(staff_scope_filter(anonymous, field="pk")).exists()
    assert not is_staff_member(None)


def test_a_citizen_gets_nothing(tree):
    citizen = UserFactory()
    assert not is_staff_member(citizen)
    assert not administrations_for(citizen).exists()


def test_national_unit_reads_indicators_but_no_case_contents(tree):
    ministry = tree[0]
    member = MembershipFactory(administration=ministry, role=Role.NATIONAL_UNIT).user
    assert can_read_national_indicators(member)
    assert is_staff_member(member)
    assert not administrations_for(member).exists()
    with pytest.raises(ValueError):
        administrations_for(member, roles=[Role.NATIONAL_UNIT])


def test_national_unit_member_with_a_local_role_sees_that_administration_only(tree):
    ministry, _, _, other = tree
    member = MembershipFactory(administration=ministry, role=Role.NATIONAL_UNIT).user
    MembershipFactory(user=member, administration=other, role=Role.OFFICER)
    member = fresh(member)
    assert list(administrations_for(member)) == [other]


def test_contact_agent_has_no_case_scope(tree):
    agent = MembershipFactory(administration=tree[0], role=Role.CONTACT_AGENT).user
    assert not administrations_for(agent).exists()
    assert not can_read_national_indicators(agent)


def test_roles_narrow_administrations(tree):
    ministry, _, _, other = tree
    user = MembershipFactory(administration=ministry, role=Role.RECRUITER).user
    MembershipFactory(user=user, administration=other, role=Role.OFFICER)
    user = fresh(user)
    assert list(administrations_for(user, roles=[Role.RECRUITER])) == [ministry]
    assert set(administrations_for(user)) == {ministry, other}
    assert roles_of(user) == {Role.RECRUITER, Role.OFFICER}
    assert roles_of(user, ministry) == {Role.RECRUITER}
    assert has_role(user, Role.OFFICER, Role.DEPUTY, administration=other.pk)


def test_checks_cost_one_query_per_request(tree):
    user = fresh(MembershipFactory(administration=tree[1], role=Role.HEAD_OF_UNIT).user)
    with CaptureQueriesContext(connection) as queries:
        is_staff_member(user)
        roles_of(user)
        has_role(user, Role.OFFICER)
        can_read_national_indicators(user)
        scoped = list(Administration.objects.filter(staff_scope_filter(user, field="pk")))
    assert len(queries) == 2  # the memberships, then the scoped query itself
    assert set(scoped) == {tree[1], tree[2]}


def test_staff_scope_filter_spans_relations(tree):
    """The filter narrows any queryset through any path to an administration."""
    from tawasul.accounts.models import Membership

    ministry, _, _, other = tree
    officer = MembershipFactory(administration=ministry).user
    MembershipFactory(administration=other)
    visible = Membership.objects.filter(staff_scope_filter(officer, field="administration"))
    assert {m.administration for m in visible} == {ministry}


def test_ending_a_membership_through_the_service_takes_effect_at_once(tree):
    membership = membership_grant(
        actor=None,
        user=UserFactory(),
        administration=tree[0],
        role=Role.OFFICER,
        starts_on=TODAY() - datetime.timedelta(days=10),
    )
    user = membership.user
    assert is_staff_member(user)
    membership_end(actor=None, membership=membership)
    assert not is_staff_member(user)
    assert not administrations_for(user).exists()


def test_grants_keep_who_did_what_when(tree):
    admin = UserFactory()
    membership = membership_grant(actor=admin, user=UserFactory(), administration=tree[0], role=Role.DEPUTY)
    membership_end(actor=admin, membership=membership, ends_on=TODAY())
    history = list(membership.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert all(h.history_user == admin for h in history)
    assert history[-1].ends_on == TODAY()


class TestEscalationContacts:
    def test_level_one_is_officers_and_deputies(self, tree):
        ministry = tree[0]
        officer = MembershipFactory(administration=ministry, role=Role.OFFICER).user
        deputy = MembershipFactory(administration=ministry, role=Role.DEPUTY).user
        MembershipFactory(administration=ministry, role=Role.HEAD_OF_UNIT)
        assert set(escalation_contacts(ministry, 1)) == {officer, deputy}
        assert ESCALATION_LEVELS[1] == {Role.OFFICER, Role.DEPUTY}

    def test_nobody_at_a_level_walks_up_to_the_parent(self, tree):
        ministry, directorate, division, _ = tree
        head = MembershipFactory(administration=directorate, role=Role.HEAD_OF_UNIT).user
        boss = MembershipFactory(administration=ministry, role=Role.HIGHER_MANAGEMENT).user
        MembershipFactory(administration=division, role=Role.OFFICER)
        assert escalation_contacts(division, 2) == [head]
        assert escalation_contacts(division, 3) == [boss]

    def test_ended_memberships_are_skipped(self, tree):
        ministry, directorate, _, _ = tree
        yesterday = TODAY() - datetime.timedelta(days=1)
        MembershipFactory(
            administration=directorate,
            role=Role.HEAD_OF_UNIT,
            starts_on=yesterday - datetime.timedelta(days=5),
            ends_on=yesterday,
        )
        parent_head = MembershipFactory(administration=ministry, role=Role.HEAD_OF_UNIT).user
        assert escalation_contacts(directorate, 2) == [parent_head]

    def test_nobody_anywhere_is_an_empty_list(self, tree):
        assert escalation_contacts(tree[2], 3) == []

    def test_unknown_level_is_refused(self, tree):
        with pytest.raises(ValueError):
            escalation_contacts(tree[0], 4)
