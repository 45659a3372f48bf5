"""Reads of the access-to-information portal (ARCHITECTURE.md §3.2): the public register of
answered requests, the proactive-publication registers and the public statistics per body.
Everything here is public: no requester identity ever leaves these functions."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from tawasul.cases.models import Case
from tawasul.registry.models import Administration

from .models import REQUEST_KINDS, InfoRequest, ProactiveCategory, ProactiveEntry, RefusalGround
from .workflow import PORTAL

__all__ = [
    "bodies_with_register",
    "proactive_register",
    "public_statistics",
    "published_request",
    "published_requests",
]


def published_requests(*, administration: Administration | None = None) -> QuerySet[InfoRequest]:
    """Answered requests published in the register (opt-in and redacted), newest first."""
    qs = InfoRequest.objects.filter(published_at__isnull=False, case__portal=PORTAL).select_related(
        "case", "case__administration"
    )
    if administration is not None:
        qs = qs.filter(case__administration=administration)
    return qs.order_by("-published_at")


def published_request(reference: str) -> InfoRequest | None:
    return published_requests().filter(case__reference=reference).first()


def bodies_with_register() -> QuerySet[Administration]:
    """The bodies that keep a proactive-publication register, with their number of entries."""
    return (
        Administration.objects.filter(proactive_entries__isnull=False)
        .annotate(entries=Count("proactive_entries"))
        .order_by("name_ar")
    )


@dataclass(frozen=True)
class RegisterSection:
    category: ProactiveCategory
    entries: list[ProactiveEntry]


def proactive_register(administration: Administration) -> list[RegisterSection]:
    """A body's register, by category (art. 10 list, DOMAIN.md §1.10 [M]); empty ones left out."""
    by_category: dict[int, list[ProactiveEntry]] = {}
    for entry in ProactiveEntry.objects.filter(administration=administration).select_related("category"):
        by_category.setdefault(entry.category_id, []).append(entry)
    return [
        RegisterSection(category=category, entries=by_category[category.pk])
        for category in ProactiveCategory.objects.all()
        if category.pk in by_category
    ]


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def public_statistics(*, year: int | None = None) -> dict:
    """Per body: requests received, answered in time, extended, refused (by ground) and the
    recourse rate (requests followed by a complaint to the head). Two aggregate queries."""
    requests = Case.objects.filter(portal=PORTAL, kind__in=REQUEST_KINDS)
    if year is not None:
        requests = requests.filter(received_at__year=year)
    rows = (
        requests.values("administration_id", "administration__code")
        .annotate(
            received=Count("pk", distinct=True),
            answered=Count("pk", distinct=True, filter=Q(answered_at__isnull=False)),
            answered_in_time=Count("pk", distinct=True, filter=Q(answered_at__lte=F("answer_due_at"))),
            extended=Count("pk", distinct=True, filter=Q(extension_days__gt=0)),
            refused=Count(
                "pk",
                distinct=True,
                filter=Q(answered_at__isnull=False) & ~Q(info_request__refusal_ground=""),
            ),
            with_recourse=Count("pk", distinct=True, filter=Q(info_request__complaints__isnull=False)),
        )
        .order_by("-received")
    )
    grounds = (
        InfoRequest.objects.filter(case__in=requests.filter(answered_at__isnull=False))
        .exclude(refusal_ground="")
        .values("case__administration_id", "refusal_ground")
        .annotate(count=Count("pk"))
    )
    by_ground: dict[int, list[tuple[str, int]]] = {}
    labels = dict(RefusalGround.choices)
    for row in grounds:
        by_ground.setdefault(row["case__administration_id"], []).append(
            (str(labels.get(row["refusal_ground"], row["refusal_ground"])), row["count"])
        )
    names = {a.pk: a for a in Administration.objects.filter(pk__in=[r["administration_id"] for r in rows])}
    bodies = []
    totals = {"received": 0, "answered": 0, "answered_in_time": 0, "extended": 0, "refused": 0, "with_recourse": 0}
    for row in rows:
        for key in totals:
            totals[key] += row[key]
        bodies.append(
            {
                **row,
                "administration": names.get(row["administration_id"]),
                "in_time_percent": _percent(row["answered_in_time"], row["received"]),
                "recourse_percent": _percent(row["with_recourse"], row["received"]),
                "grounds": sorted(by_ground.get(row["administration_id"], []), key=lambda g: -g[1]),
                "ranked": row["received"] >= settings.INFORMATION_RANKING_MIN_VOLUME,
            }
        )
    totals["in_time_percent"] = _percent(totals["answered_in_time"], totals["received"])
    totals["recourse_percent"] = _percent(totals["with_recourse"], totals["received"])
    return {"bodies": bodies, "totals": totals, "year": year}
