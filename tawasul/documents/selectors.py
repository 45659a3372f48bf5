"""Reads of the civil-status documents window (ARCHITECTURE.md §3.2)."""

from __future__ import annotations

from django.db.models import QuerySet

from tawasul.cases.models import Case

from .models import CivilStatusOffice, OfficeKind
from .workflow import PORTAL


def offices_joined() -> QuerySet[CivilStatusOffice]:
    """The offices a citizen may order from: only those that joined (DOMAIN.md §3, R3 "Scope")."""
    return CivilStatusOffice.objects.filter(joined=True).order_by("kind", "name_ar", "pk")


def office_choices(language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The picker's options, grouped (communes' offices, then consulates), by name in `language`."""
    groups: dict[str, list[tuple[str, str]]] = {OfficeKind.BEC: [], OfficeKind.CONSULATE: []}
    for office in offices_joined():
        groups[office.kind].append((office.code, office.name(language)))
    return [
        (str(OfficeKind(kind).label), sorted(options, key=lambda o: o[1]))
        for kind, options in groups.items()
        if options
    ]


def orders_for_requester(user) -> QuerySet[Case]:
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(portal=PORTAL, requester_user=user).order_by("-received_at")
