"""Reads of the complaints portal (ARCHITECTURE.md §3.2): the subject taxonomy offered by an
administration, the FAQ and the public statistics (DOMAIN.md R2 "Public statistics")."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tawasul.cases.models import Case, CaseEvent

from .models import FaqEntry, Subject
from .workflow import PORTAL

__all__ = ["faq_entries", "main_subjects_for", "public_statistics", "sub_subjects_for"]


def main_subjects_for(administration) -> QuerySet[Subject]:
    """The main subjects offered for `administration`: the national ones plus its own."""
    return Subject.objects.filter(
        Q(administration__isnull=True) | Q(administration=administration), parent__isnull=True, is_active=True
    ).order_by("administration_id", "position", "pk")


def sub_subjects_for(administration) -> QuerySet[Subject]:
    """The active sub-subjects of the main subjects offered for `administration`."""
    return (
        Subject.objects.filter(parent__in=main_subjects_for(administration), is_active=True)
        .select_related("parent")
        .order_by("parent__position", "parent_id", "position", "pk")
    )


def faq_entries() -> QuerySet[FaqEntry]:
    return FaqEntry.objects.all()


# --- Public statistics -------------------------------------------------------------------------

#: A case counts as processed once answered or closed (closed, inadmissible, duplicate, withdrawn).
_PROCESSED = Q(answered_at__isnull=False) | Q(closed_at__isnull=False)
#: Satisfied: a rating of 4 or 5 out of 5 (DOMAIN.md R2 "Satisfaction").
SATISFIED_MIN_RATING = 4
POSITIVE_OUTCOME = "positive"


def _aggregates() -> dict:
    """One set of database aggregates, used overall and per group, month and administration."""
    return {
        "received": Count("pk"),
        "processed": Count("pk", filter=_PROCESSED),
        "rated": Count("pk", filter=Q(complaint__satisfaction__isnull=False)),
        "satisfied": Count("pk", filter=Q(complaint__satisfaction__gte=SATISFIED_MIN_RATING)),
        "mean_rating": Avg("complaint__satisfaction"),
        "reopened": Count("pk", filter=Q(reopen_count__gt=0)),
        "avg_processing": Avg(
            ExpressionWrapper(F("answered_at") - F("received_at"), output_field=DurationField()),
            filter=Q(answered_at__isnull=False),
        ),
    }


def _answer_aggregates() -> dict:
    """Answered cases, and those whose answer event recorded a positive outcome (issue 4: the back
    office stores `{"outcome": "positive|negative|partial|informative"}` in the answer payload)."""
    return {
        "answered": Count("case", distinct=True),
        "positive": Count("case", distinct=True, filter=Q(payload__outcome=POSITIVE_OUTCOME)),
    }


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _row(values: dict, answers: dict | None) -> dict:
    answers = answers or {}
    duration = values.get("avg_processing")
    mean = values.get("mean_rating")
    return {
        "received": values["received"],
        "processed": values["processed"],
        "processed_pct": _percent(values["processed"], values["received"]),
        "answered": answers.get("answered", 0),
        "positive": answers.get("positive", 0),
        "positive_pct": _percent(answers.get("positive", 0), answers.get("answered", 0)),
        "rated": values["rated"],
        "satisfaction_pct": _percent(values["satisfied"], values["rated"]),
        "mean_rating": round(float(mean), 2) if mean is not None else None,
        "reopened": values["reopened"],
        "avg_processing_days": round(duration.total_seconds() / 86400, 1) if duration is not None else None,
    }


def _grouped(cases: QuerySet, answers: QuerySet, key: str, answer_key: str) -> list[tuple[object, dict]]:
    rows = cases.values(key).annotate(**_aggregates()).order_by(key)
    by_key = {
        a[answer_key]: a for a in answers.values(answer_key).annotate(**_answer_aggregates()).order_by(answer_key)
    }
    return [(row[key], _row(row, by_key.get(row[key]))) for row in rows]


def _month_start(day: date, months_back: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months_back
    return date(month_index // 12, month_index % 12 + 1, 1)


def public_statistics(*, group: str | None = None, year: int | None = None, month: int | None = None) -> dict:
    """The public statistics of the complaints portal (DOMAIN.md R2), computed in the database:

    - `overall`: received, processed (answered or closed) and its %, answered, % answered
      positively (of the answered), satisfaction (% of ratings >= 4, and the mean), reopened,
      average processing days (answered_at - received_at);
    - `by_group`: the same per group of administrations (`Administration.group`);
    - `by_month`: the same per month of receipt over the last 12 months (ignores `year`/`month`);
    - `ranked`: per administration, only those with at least `COMPLAINTS_RANKING_MIN_VOLUME`
      complaints (100, as Alaveteli does), best processed % first.
    """
    base = Case.objects.filter(portal=PORTAL)
    if group:
        base = base.filter(administration__group=group)
    cases = base
    if year:
        cases = cases.filter(received_at__year=year)
        if month:
            cases = cases.filter(received_at__month=month)
    answers = CaseEvent.objects.filter(action="answer", case__in=cases.values("pk"))

    overall_values = cases.aggregate(**_aggregates())
    overall_answers = answers.aggregate(**_answer_aggregates())
    overall = _row(overall_values, overall_answers)

    by_group = _grouped(cases, answers, "administration__group", "case__administration__group")

    today = timezone.localdate()
    since = _month_start(today, 11)
    recent = base.filter(received_at__date__gte=since)
    recent_answers = CaseEvent.objects.filter(action="answer", case__in=recent.values("pk"))
    by_month = _grouped(
        recent.annotate(month=TruncMonth("received_at")),
        recent_answers.annotate(month=TruncMonth("case__received_at")),
        "month",
        "month",
    )

    minimum = settings.COMPLAINTS_RANKING_MIN_VOLUME
    ranked_rows = (
        cases.values("administration", "administration__name_ar", "administration__name_fr", "administration__name_en")
        .annotate(**_aggregates())
        .filter(received__gte=minimum)
    )
    ranked_answers = {
        a["case__administration"]: a
        for a in answers.values("case__administration").annotate(**_answer_aggregates()).order_by()
    }
    ranked = sorted(
        (
            {
                "administration_id": row["administration"],
                "names": {
                    "ar": row["administration__name_ar"],
                    "fr": row["administration__name_fr"],
                    "en": row["administration__name_en"],
                },
                **_row(row, ranked_answers.get(row["administration"])),
            }
            for row in ranked_rows
        ),
        key=lambda r: (-r["processed_pct"], -r["received"], r["administration_id"]),
    )
    return {
        "overall": overall,
        "by_group": by_group,
        "by_month": by_month,
        "ranked": ranked,
        "ranking_min_volume": minimum,
    }
