"""Reads about staff: which administrations a user may see, who sits at an escalation level.

The administration tree is walked in the database with a recursive CTE (`WITH RECURSIVE`, the same
SQL on SQLite and PostgreSQL), so a sub-tree or a chain of parents costs one query however deep.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from tawasul.registry.models import Administration

from .models import Membership, User
from .permissions import memberships_in_force
from .roles import ESCALATION_LEVELS, LOCAL_ROLES, NATIONAL_ROLES, SUBTREE_ROLES


def _tree_sql(direction: str, root_ids: list[int]) -> tuple[str, list[int]]:
    """SQL selecting `id, depth` of the roots and of their descendants ("down") or ancestors ("up")."""
    table = connection.ops.quote_name(Administration._meta.db_table)
    placeholders = ", ".join(["%s"] * len(root_ids))
    join = "a.parent_id = t.id" if direction == "down" else "a.id = t.parent_id"
    # Only the quoted table name and "%s" placeholders are formatted in; the ids are parameters.
    sql = (
        f"WITH RECURSIVE t(id, parent_id, depth) AS ("  # noqa: S608
        f"SELECT id, parent_id, 0 FROM {table} WHERE id IN ({placeholders}) "
        f"UNION ALL SELECT a.id, a.parent_id, t.depth + 1 FROM {table} a JOIN t ON {join} "
        # The tree is kept acyclic by Administration.clean(); the depth bound guards bad data.
        f"WHERE t.depth < 64) SELECT id FROM t"
    )
    return sql, list(root_ids)


def administrations_for(
    user, *, roles: Iterable[str] | None = None, include_descendants: bool = True
) -> QuerySet[Administration]:
    """The administrations whose work (cases, ...) this user may see.

    - the administration of each membership in force (of the given `roles`; default: every role
      except the national ones);
    - with `include_descendants`, for heads of unit and higher management, every administration
      below theirs in the tree.

    National roles (national unit, contact agent) reach no administration here: their scope is
    national but limited to indicators (`can_read_national_indicators`) or to filing for a caller.
    Asking for them is a programming error (ValueError).
    """
    wanted = set(LOCAL_ROLES if roles is None else roles)
    if wanted & NATIONAL_ROLES:
        raise ValueError(f"administrations_for() does not scope national roles: {sorted(wanted & NATIONAL_ROLES)}")
    grants = [g for g in memberships_in_force(user) if g.role in wanted]
    if not grants:
        return Administration.objects.none()
    direct = sorted({g.administration_id for g in grants})
    condition = Q(pk__in=direct)
    if include_descendants:
        roots = sorted({g.administration_id for g in grants if g.role in SUBTREE_ROLES})
        if roots:
            condition |= Q(pk__in=RawSQL(*_tree_sql("down", roots)))  # noqa: S611 - ids are parameters
    return Administration.objects.filter(condition)


def ancestor_chain(administration: Administration) -> list[int]:
    """The ids of the administration and of its parents, nearest first (one query)."""
    table = connection.ops.quote_name(Administration._meta.db_table)
    sql = (
        f"WITH RECURSIVE t(id, parent_id, depth) AS ("  # noqa: S608 - table name quoted, id a parameter
        f"SELECT id, parent_id, 0 FROM {table} WHERE id = %s "
        f"UNION ALL SELECT a.id, a.parent_id, t.depth + 1 FROM {table} a JOIN t ON a.id = t.parent_id "
        f"WHERE t.depth < 64) SELECT id FROM t ORDER BY depth"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [administration.pk])
        return [row[0] for row in cursor.fetchall()]


def escalation_contacts(
    administration: Administration, level: int, *, roles: Iterable[str] | None = None
) -> list[User]:
    """The people at escalation `level` (1 officer/deputy, 2 head of unit, 3 higher management,
    SPEC.md §1) of an administration — or holding `roles`, when a portal's ladder names other
    roles (law 31-13: information officer, then the head of the body). When it has nobody at that
    level, the nearest parent administration that has someone answers (DOMAIN.md §7,
    fixmystreet's body → parent)."""
    if level not in ESCALATION_LEVELS:
        raise ValueError(f"unknown escalation level {level!r}; levels are {sorted(ESCALATION_LEVELS)}")
    chain = ancestor_chain(administration)
    rows = (
        Membership.objects.active()
        .filter(administration_id__in=chain, role__in=list(roles or ESCALATION_LEVELS[level]))
        .select_related("user")
        .order_by("user_id")
    )
    by_administration: dict[int, list[User]] = {}
    for membership in rows:
        people = by_administration.setdefault(membership.administration_id, [])
        if membership.user not in people:
            people.append(membership.user)
    for adm_id in chain:
        if by_administration.get(adm_id):
            return by_administration[adm_id]
    return []


def members_of(administration: Administration, *, roles: Iterable[str] | None = None) -> QuerySet[Membership]:
    """The memberships in force in one administration (optionally of some roles), with their users."""
    qs = Membership.objects.active().filter(administration=administration).select_related("user")
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return qs
