"""Who sees which indicators (SPEC.md "People and roles"; docs/adr/0030).

The national unit sees every administration's figures; a head of unit (or higher management)
sees those of its own administration and the ones below it in the tree; nobody else any. Reports
to the head of government are the national unit's alone.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from tawasul.accounts.permissions import can_read_national_indicators
from tawasul.accounts.roles import Role
from tawasul.accounts.selectors import administrations_for

#: Roles that see their own administration's indicators.
HEAD_ROLES = frozenset({Role.HEAD_OF_UNIT, Role.HIGHER_MANAGEMENT})


def indicator_scope(user) -> frozenset[int] | None:
    """None: every administration (national unit); else the ids this user may see. Raises
    PermissionDenied for anyone who sees no indicators."""
    if can_read_national_indicators(user):
        return None
    ids = frozenset(administrations_for(user, roles=HEAD_ROLES).values_list("pk", flat=True))
    if not ids:
        raise PermissionDenied
    return ids


def require_national_unit(user) -> None:
    if not can_read_national_indicators(user):
        raise PermissionDenied
