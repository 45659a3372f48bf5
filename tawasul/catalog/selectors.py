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

from .models import Procedure, RequiredDocument, SubTheme, Theme
from .services import EDITABLE_FIELDS


def themes_with_counts() -> QuerySet[Theme]:
    return Theme.objects.annotate(
        published=Count("procedures", filter=Q(procedures__status=Procedure.Status.PUBLISHED))
    ).order_by("position")


def subthemes_with_counts(theme: Theme) -> QuerySet[SubTheme]:
    """The theme's sub-themes, each with `published`: its count of published procedures."""
    return theme.subthemes.annotate(
        published=Count("procedures", filter=Q(procedures__status=Procedure.Status.PUBLISHED))
    ).order_by("position", "id")


def unclassified_count(theme: Theme) -> int:
    """Published procedures of the theme that have no sub-theme yet."""
    return Procedure.objects.filter(theme=theme, subtheme__isnull=True, status=Procedure.Status.PUBLISHED).count()


def subtheme_get(theme: Theme, slug: str) -> SubTheme:
    try:
        return theme.subthemes.get(slug=slug)
    except SubTheme.DoesNotExist as exc:
        raise Http404 from exc


def subtheme_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Every sub-theme grouped by theme, for the editor's select (one optgroup per theme)."""
    groups: dict[int, tuple[str, list]] = {}
    for sub in SubTheme.objects.select_related("theme").order_by("theme__position", "position", "id"):
        groups.setdefault(sub.theme_id, (sub.theme.name(), []))[1].append((sub.pk, sub.name()))
    return list(groups.values())


def deposit_place_choices(*, q: str = "", commune: str = "", exclude=(), limit: int = 20):
    """Active facilities an editor may add as deposit places: every word of `q` in a name (any
    language, normalize()d) or `q` equal to a facility code, in the communes whose name holds
    `commune`. Nothing when both are empty. Returns (facilities, more_than_limit)."""
    from tawasul.core.text import normalize
    from tawasul.registry.models import Commune

    q, commune = (q or "").strip(), (commune or "").strip()
    if not q and not commune:
        return [], False
    qs = facility_list(q=q)
    if q and not qs.exists():
        qs = facility_list().filter(code=q.lower())
    if commune:
        words = normalize(commune)
        if not words:
            return [], False
        communes = Commune.objects.filter(search_text__contains=words).values("pk")
        qs = qs.filter(commune__in=communes)
    qs = qs.exclude(pk__in=list(exclude)).order_by("name_ar", "id")
    found = list(qs[: limit + 1])
    return found[:limit], len(found) > limit


def public_procedures() -> QuerySet[Procedure]:
    return Procedure.objects.filter(status=Procedure.Status.PUBLISHED).select_related("theme", "administration")


def public_procedure_get(code: str) -> Procedure:
    """A published procedure with everything its page shows, or Http404 (drafts are invisible)."""
    try:
        return (
            public_procedures()
            .select_related("subtheme", "theme")
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
    places_added: list[str] = field(default_factory=list)
    places_removed: list[str] = field(default_factory=list)


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
    # Not editable, so diff_against() skips it: the places of each version, compared here.
    before, after = set(old.deposit_place_codes.split()), set(new.deposit_place_codes.split())
    if before != after:
        names = _facility_names(before ^ after)
        diff.places_added = [names[c] for c in sorted(after - before)]
        diff.places_removed = [names[c] for c in sorted(before - after)]
    for change in delta.changes:
        label = str(Procedure._meta.get_field(change.field).verbose_name)
        old_value, new_value = change.old, change.new
        if change.field in ("theme", "subtheme"):  # ids in the history rows: show names
            model = Theme if change.field == "theme" else SubTheme
            names = {o.pk: o.name() for o in model.objects.filter(pk__in=[v for v in (old_value, new_value) if v])}
            old_value, new_value = names.get(old_value, old_value), names.get(new_value, new_value)
        diff.fields.append(FieldChange(change.field, label, _text(old_value), _text(new_value)))
    before, after = _documents_of_version(procedure, old), _documents_of_version(procedure, new)
    diff.documents_added = [d for d in after if d not in before]
    diff.documents_removed = [d for d in before if d not in after]
    return diff


def _facility_names(codes) -> dict[str, str]:
    """ "Name (code)" of each facility code; the bare code of a facility since deleted."""
    from tawasul.facilities.models import Facility

    names = {code: code for code in codes}
    for facility in Facility.objects.filter(code__in=list(codes)):
        names[facility.code] = f"{facility.name()} ({facility.code})"
    return names


def _text(value) -> str:
    return "" if value is None else str(value)
