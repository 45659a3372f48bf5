"""Who may do what on the jobs portal: the recruiting unit of the notice's administration
(`Role.RECRUITER`, a membership like an officer's; SPEC.md "People and roles")."""

from __future__ import annotations

from tawasul.accounts.permissions import memberships_in_force
from tawasul.accounts.roles import Role


def recruiter_administration_ids(user) -> set[int]:
    """The administrations in which the user is a recruiter today (nothing for anyone else)."""
    return {g.administration_id for g in memberships_in_force(user) if g.role == Role.RECRUITER}


def is_recruiter(user) -> bool:
    return bool(recruiter_administration_ids(user))


def can_manage_notice(user, notice) -> bool:
    return notice.administration_id in recruiter_administration_ids(user)
