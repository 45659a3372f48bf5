"""Reads of the catalog, narrowed to what the user may see: the public sees published
procedures; editors see their administrations' procedures; the national unit the review queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tawasul.accounts.permissions import memberships_in_force
from tawasul.accounts.roles import Role
from tawasul.facilities.selectors import commune_centroid, facilities_nearest, facility_list

from .models import Procedure, RequiredDocument, Theme
from .services import EDITABLE_FIELDS


def themes_with_counts() -> QuerySet[Theme]:
    return Theme.objects.annotate(
        published=Count("procedures", filter=Q(procedures__status=Procedure.Status.PUBLISHED))
    ).order_by("position")


def public_procedures() -> QuerySet[Procedure]:
    return Procedure.objects.filter(status=Procedure.Status.PUBLISHED).select_related("theme", "administration")


def public_procedure_get(code: str) -> Procedure:
    """A published procedure with everything its page shows, or Http404 (drafts are invisible)."""
    try:
        return (
            public_procedures()
            .select_related("subtheme")
            .prefetch_related("documents", "steps", "forms")
            .get(code=code)
        )
    except Procedure.DoesNotExist as exc:
        raise Http404 from exc


def where_to_go(procedure: Procedure, *, lat: float | None = None, lon: float | None = None, commune=None, limit=10):
    """The procedure's deposit places, nearest first from (lat, lon) or from a typed commune;
    by name when no position is known. Returns [(facility, distance_km or None)]."""
    ids = list(procedure.deposit_places.values_list("pk", flat=True))
    if not ids:
        return []
    if (lat is None or lon is None) and commune is not None:
        centre = commune_centroid(commune)
        if centre:
            lat, lon = centre
    if lat is not None and lon is not None:
        return facilities_nearest(lat=lat, lon=lon, limit=limit, ids=ids)
    return [(f, None) for f in facility_list(ids=ids)[:limit]]


def editor_procedures(user) -> QuerySet[Procedure]:
    """The procedures of the administrations where the user is a catalog editor."""
    adm_ids = [g.administration_id for g in memberships_in_force(user) if g.role == Role.CATALOG_EDITOR]
    return Procedure.objects.filter(administration_id__in=adm_ids).select_related("theme", "administration")


def review_queue() -> QuerySet[Procedure]:
    return Procedure.objects.filter(status=Procedure.Status.IN_REVIEW).select_related("theme", "administration")


def procedure_versions(procedure: Procedure):
    """Every saved version of the procedure, newest first, with who and why."""
    return list(procedure.history.select_related("history_user").order_by("-history_date", "-history_id"))


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class ProcedureDiff:
    fields: list[FieldChange] = field(default_factory=list)
    documents_added: list[str] = field(default_factory=list)
    documents_removed: list[str] = field(default_factory=list)


def _documents_of_version(procedure: Procedure, version) -> list[str]:
    """The document rows as they stood while `version` was the current one. A service saves the
    procedure first and replaces its rows just after, so a version's rows are those in force
    just before the next version was saved (or today's rows for the newest version)."""
    newer = procedure.history.filter(history_date__gt=version.history_date).order_by("history_date").first()
    if newer is None:
        rows = RequiredDocument.objects.filter(procedure_id=procedure.pk)
    else:
        rows = RequiredDocument.history.as_of(newer.history_date - timedelta(microseconds=1)).filter(
            procedure_id=procedure.pk
        )
    return [f"{d.name_ar}" + (f" ×{d.copies}" if d.copies != 1 else "") for d in sorted(rows, key=lambda d: d.position)]


def procedure_diff(procedure: Procedure, *, old, new) -> ProcedureDiff:
    """What changed between two historical versions: fields, and documents added or removed."""
    delta = new.diff_against(old, included_fields=[*EDITABLE_FIELDS, "status"])
    diff = ProcedureDiff()
    for change in delta.changes:
        label = str(Procedure._meta.get_field(change.field).verbose_name)
        diff.fields.append(FieldChange(change.field, label, _text(change.old), _text(change.new)))
    before, after = _documents_of_version(procedure, old), _documents_of_version(procedure, new)
    diff.documents_added = [d for d in after if d not in before]
    diff.documents_removed = [d for d in before if d not in after]
    return diff


def _text(value) -> str:
    return "" if value is None else str(value)
