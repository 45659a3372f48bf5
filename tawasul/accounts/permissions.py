"""Who is staff, with which roles, where: the checks every view uses before it shows data.

All of them read the user's memberships in force today once per user object (one query), then
answer from memory. A request's `request.user` is a fresh object per request, so the memo lives
exactly one request; code that changes memberships calls `forget_memberships(user)`.

An anonymous user, an inactive user, a membership switched off, not started yet or ended gives
nothing: these helpers return empty sets and `False`, never raise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from .roles import Role

_MEMO_ATTRIBUTE = "_tawasul_memberships"


@dataclass(frozen=True, slots=True)
class Grant:
    """One membership in force: the role held in one administration."""

    administration_id: int
    role: str


def memberships_in_force(user) -> tuple[Grant, ...]:
    """The user's memberships in force today, memoised on the user object (one query)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    memo = getattr(user, _MEMO_ATTRIBUTE, None)
    if memo is None:
        from .models import Membership

        memo = tuple(
            Grant(administration_id=adm_id, role=role)
            for adm_id, role in Membership.objects.active().filter(user=user).values_list("administration_id", "role")
        )
        setattr(user, _MEMO_ATTRIBUTE, memo)
    return memo


def forget_memberships(user) -> None:
    """Drop the memo, so the next check reads the memberships again."""
    if user is not None and hasattr(user, _MEMO_ATTRIBUTE):
        delattr(user, _MEMO_ATTRIBUTE)


def _administration_id(administration) -> int | None:
    if administration is None:
        return None
    return administration if isinstance(administration, int) else administration.pk


def is_staff_member(user) -> bool:
    """Whether the user holds any membership in force (any role, any administration)."""
    return bool(memberships_in_force(user))


def roles_of(user, administration=None) -> set[str]:
    """The roles the user holds, in one administration (instance or id) or anywhere."""
    adm_id = _administration_id(administration)
    return {g.role for g in memberships_in_force(user) if adm_id is None or g.administration_id == adm_id}


def has_role(user, *roles: str, administration=None) -> bool:
    """Whether the user holds one of `roles` (in `administration` when given)."""
    return bool(roles_of(user, administration) & set(roles))


def can_read_national_indicators(user) -> bool:
    """The national unit sees every administration's indicators (SPEC.md "People and roles"),
    not their cases' contents: that is what `administrations_for` leaves out."""
    return has_role(user, Role.NATIONAL_UNIT)


def staff_scope_filter(user, field: str = "administration", *, roles: Iterable[str] | None = None) -> Q:
    """A `Q` narrowing any queryset with an administration foreign key (`field`, which may span
    relations: "case__administration") to the administrations whose data the user may see.

    `Case.objects.filter(staff_scope_filter(request.user))`. Matches nothing for anyone without
    a membership in force.
    """
    from .selectors import administrations_for

    if not memberships_in_force(user):
        return Q(**{f"{field}__in": []})
    return Q(**{f"{field}__in": administrations_for(user, roles=roles)})
