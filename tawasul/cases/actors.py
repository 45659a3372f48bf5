"""Who acts on a case, with which roles *for that case* (ARCHITECTURE.md §3.3 and §3.6).

An `Actor` is computed once per request by `actor_for(user, case)` (or `Actor.requester(case)`
for someone who proved the tracking secret, `Actor.system()` for the sweeps) and handed to the
services, which check it against the workflow table.
"""

from __future__ import annotations

from dataclasses import dataclass

from tawasul.accounts.permissions import memberships_in_force, roles_of
from tawasul.accounts.roles import NATIONAL_ROLES, SUBTREE_ROLES, Role
from tawasul.accounts.selectors import administrations_for

from .workflow import REQUESTER, SYSTEM

#: Roles that work on an administration's cases (decree 2-17-265: the unit's officer and deputy,
#: then the escalation chain of SPEC.md §1).
CASE_STAFF_ROLES: frozenset[str] = frozenset(
    {
        Role.OFFICER,
        Role.DEPUTY,
        Role.HEAD_OF_UNIT,
        Role.HIGHER_MANAGEMENT,
        Role.INFORMATION_OFFICER,
        Role.BODY_HEAD,
        Role.CDAI_AGENT,
        Role.CIVIL_STATUS_OFFICER,  # document orders (tawasul.documents; docs/adr/0027)
    }
)

#: When an actor holds several roles allowed by a transition, the event records the first of
#: these (the most specific one), so timelines are stable.
_ROLE_ORDER = (
    REQUESTER,
    Role.OFFICER,
    Role.DEPUTY,
    Role.INFORMATION_OFFICER,
    Role.HEAD_OF_UNIT,
    Role.BODY_HEAD,
    Role.HIGHER_MANAGEMENT,
    Role.CONTACT_AGENT,
    Role.NATIONAL_UNIT,
    SYSTEM,
)


@dataclass(frozen=True)
class Actor:
    user: object | None  # accounts.User or None (anonymous requester with the secret, system)
    roles: frozenset[str]

    @classmethod
    def requester(cls, case) -> Actor:
        """The person who filed: the account owner, or someone who proved the tracking secret."""
        return cls(user=case.requester_user, roles=frozenset({REQUESTER}))

    @classmethod
    def system(cls) -> Actor:
        return cls(user=None, roles=frozenset({SYSTEM}))

    @property
    def is_requester(self) -> bool:
        return REQUESTER in self.roles

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & CASE_STAFF_ROLES)

    def role_for(self, allowed: frozenset[str] | set[str]) -> str | None:
        """The role under which this actor may do something open to `allowed`, or None."""
        matching = self.roles & set(allowed)
        if not matching:
            return None
        return next((role for role in _ROLE_ORDER if role in matching), sorted(matching)[0])

    @property
    def main_role(self) -> str:
        return self.role_for(self.roles) or ""

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)


def actor_for(user, case) -> Actor:
    """The roles `user` holds for `case`: requester (own account), the membership roles held in
    the case's administration, and supervisor roles held above it in the tree. National roles
    give no power over a case's contents (accounts.roles.NATIONAL_ROLES)."""
    roles: set[str] = set()
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Actor(user=None, roles=frozenset())
    if case.requester_user_id is not None and case.requester_user_id == user.pk:
        roles.add(REQUESTER)
    roles |= roles_of(user, case.administration_id) - NATIONAL_ROLES
    held_above = {grant.role for grant in memberships_in_force(user)} & SUBTREE_ROLES
    for role in held_above - roles:
        if administrations_for(user, roles={role}).filter(pk=case.administration_id).exists():
            roles.add(role)
    return Actor(user=user, roles=frozenset(roles))
