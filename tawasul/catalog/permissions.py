"""Who may do what in the catalog (SPEC.md §5, issue 6).

Catalog editors (`Role.CATALOG_EDITOR`) of an administration write that administration's
procedures; the national unit (`Role.NATIONAL_UNIT`) reviews, publishes and archives every
administration's procedures. The public sees published procedures only.
"""

from __future__ import annotations

from tawasul.accounts.permissions import has_role, roles_of
from tawasul.accounts.roles import Role

from .models import Procedure

EDITABLE_STATUSES = frozenset({Procedure.Status.DRAFT})


def is_editor_of(user, administration) -> bool:
    return has_role(user, Role.CATALOG_EDITOR, administration=administration)


def is_national_unit(user) -> bool:
    return has_role(user, Role.NATIONAL_UNIT)


def is_catalog_staff(user) -> bool:
    return bool(roles_of(user) & {Role.CATALOG_EDITOR, Role.NATIONAL_UNIT})


def can_edit(user, procedure: Procedure) -> bool:
    """Editors of the procedure's administration, while it is a draft."""
    return procedure.status in EDITABLE_STATUSES and is_editor_of(user, procedure.administration_id)


def can_submit(user, procedure: Procedure) -> bool:
    return procedure.status == Procedure.Status.DRAFT and is_editor_of(user, procedure.administration_id)


def can_publish(user, procedure: Procedure) -> bool:
    return procedure.status == Procedure.Status.IN_REVIEW and is_national_unit(user)


def can_return_to_draft(user, procedure: Procedure) -> bool:
    """The national unit sends a procedure back from review (or takes a published one down for
    a revision); an editor withdraws their own from review or reopens a published one."""
    if procedure.status not in (Procedure.Status.IN_REVIEW, Procedure.Status.PUBLISHED):
        return False
    return is_national_unit(user) or is_editor_of(user, procedure.administration_id)


def can_archive(user, procedure: Procedure) -> bool:
    return procedure.status != Procedure.Status.ARCHIVED and is_national_unit(user)


def can_see_history(user, procedure: Procedure) -> bool:
    return is_national_unit(user) or is_editor_of(user, procedure.administration_id)
