"""Who may do what in the reception program (brief "reception", docs/adr/0032).

- The national unit (`Role.NATIONAL_UNIT`) runs the program: every site, every activity, the
  "model site" label, every result.
- The head of unit (and higher management) of an administration manages the sites and updates
  the activities of their administration and of the administrations below it; they never see
  another administration's sites, activities or results.
- Everyone else (officers included) has no staff page here; visitors answer the public survey.
"""

from __future__ import annotations

from django.db.models import QuerySet

from tawasul.accounts.permissions import has_role
from tawasul.accounts.roles import SUBTREE_ROLES, Role
from tawasul.accounts.selectors import administrations_for
from tawasul.registry.models import Administration

#: The roles that manage an administration's reception sites (SPEC.md "Supervisor": head of unit,
#: then higher management, with the sub-tree below them).
MANAGER_ROLES = SUBTREE_ROLES


def is_national_unit(user) -> bool:
    return has_role(user, Role.NATIONAL_UNIT)


def managed_administrations(user) -> QuerySet[Administration]:
    """The administrations whose sites and activities `user` manages (national unit: all)."""
    if is_national_unit(user):
        return Administration.objects.all()
    return administrations_for(user, roles=MANAGER_ROLES)


def is_reception_staff(user) -> bool:
    return is_national_unit(user) or has_role(user, *MANAGER_ROLES)


def can_manage(user, administration_id: int) -> bool:
    return is_national_unit(user) or managed_administrations(user).filter(pk=administration_id).exists()
