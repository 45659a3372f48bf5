"""The recourse routes of law 31-13 and their last dates (DOMAIN.md §1.6 and R1).

A request is refused explicitly (a refusal, or a partial answer: R1 "a refusal (full or
partial)") or implicitly (its answer deadline passed without an answer). Then:

1. complaint to the head of the body: until `(answered_at or answer_due_at) + 20 wd`
   (art. 19); the head answers within 15 days [M] (the complaint case's own deadline);
2. complaint to the CDAI: until `(head answered_at or head deadline) + 30 d`; the CDAI answers
   within 30 days (the complaint case's own deadline);
3. the administrative court: `(CDAI answered_at or CDAI deadline) + 60 d` (shown, not tracked).

Reads only: nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from tawasul.cases.models import Case
from tawasul.core.calendar import add_days, add_working_days, end_of_day, local_date
from tawasul.registry.models import Administration

from .models import InfoRequest, Kind, Outcome

__all__ = [
    "Recourse",
    "can_file_cdai_complaint",
    "can_file_head_complaint",
    "cdai_administration",
    "recourse_for",
    "refusal_kind",
]


def cdai_administration() -> Administration | None:
    """The Commission's administration (registry code `INFORMATION_CDAI_CODE`)."""
    return Administration.objects.filter(code=settings.INFORMATION_CDAI_CODE).first()


def refusal_kind(case: Case, info: InfoRequest | None = None, *, now: datetime | None = None) -> str:
    """ "refused", "partial", "implicit" (deadline passed without answer) or "" (no refusal)."""
    now = now or timezone.now()
    info = info if info is not None else InfoRequest.objects.filter(case_id=case.pk).first()
    if info is None:
        return ""
    if case.answered_at is not None:
        if info.outcome == Outcome.PARTIAL:
            return "partial"
        if info.refusal_ground and not info.outcome:
            return "refused"
        return ""
    if case.answer_due_at is not None and case.answer_due_at < now and case.closed_at is None:
        return "implicit"
    return ""


def _child(info: InfoRequest, kind: str) -> Case | None:
    child = info.complaints.filter(case__kind=kind).select_related("case").order_by("case__received_at").first()
    return child.case if child is not None else None


@dataclass(frozen=True)
class Recourse:
    """The routes open after a refusal, with their last dates (all "end of day" in Morocco)."""

    refusal: str  # refused | partial | implicit
    opened_at: datetime  # the answer, or the end of the answer deadline
    head_until: datetime
    head_case: Case | None
    head_due: datetime | None
    cdai_until: datetime | None
    cdai_case: Case | None
    cdai_due: datetime | None
    court_until: datetime | None
    can_file_head: bool
    can_file_cdai: bool

    # The numbers of the law, for the sentences that show them (settings, DOMAIN.md §1.6).
    @property
    def head_answer_days(self) -> int:
        return settings.INFORMATION_HEAD_ANSWER_DAYS

    @property
    def cdai_complaint_days(self) -> int:
        return settings.INFORMATION_CDAI_COMPLAINT_DAYS

    @property
    def cdai_answer_days(self) -> int:
        return settings.INFORMATION_CDAI_ANSWER_DAYS

    @property
    def court_days(self) -> int:
        return settings.INFORMATION_COURT_DAYS


def _cdai_until(head_case: Case) -> datetime | None:
    base = head_case.answered_at or head_case.answer_due_at
    if base is None:
        return None
    return end_of_day(add_days(local_date(base), settings.INFORMATION_CDAI_COMPLAINT_DAYS))


def _cdai_open(head_case: Case, now: datetime) -> bool:
    """After the head's answer or silence, until its last date."""
    until = _cdai_until(head_case)
    decided = head_case.answered_at is not None or (head_case.answer_due_at and head_case.answer_due_at < now)
    return bool(decided and until and now <= until)


def recourse_for(case: Case, *, now: datetime | None = None) -> Recourse | None:
    """The recourse routes of a request (normal or urgent) that was refused; None otherwise."""
    now = now or timezone.now()
    if case.kind not in (Kind.REQUEST, Kind.URGENT_REQUEST):
        return None
    info = InfoRequest.objects.filter(case_id=case.pk).first()
    refusal = refusal_kind(case, info, now=now)
    if not refusal:
        return None
    opened_at = case.answered_at or case.answer_due_at
    head_until = end_of_day(add_working_days(local_date(opened_at), settings.INFORMATION_HEAD_COMPLAINT_WORKING_DAYS))
    head_case = _child(info, Kind.COMPLAINT_TO_HEAD)
    cdai_case = _child(head_case.info_request, Kind.COMPLAINT_TO_CDAI) if head_case is not None else None
    cdai_until = _cdai_until(head_case) if head_case is not None else None
    court_until = None
    if cdai_case is not None:
        base = cdai_case.answered_at or cdai_case.answer_due_at
        court_until = end_of_day(add_days(local_date(base), settings.INFORMATION_COURT_DAYS))
    return Recourse(
        refusal=refusal,
        opened_at=opened_at,
        head_until=head_until,
        head_case=head_case,
        head_due=head_case.answer_due_at if head_case else None,
        cdai_until=cdai_until,
        cdai_case=cdai_case,
        cdai_due=cdai_case.answer_due_at if cdai_case else None,
        court_until=court_until,
        can_file_head=head_case is None and now <= head_until,
        can_file_cdai=(
            head_case is not None
            and cdai_case is None
            and _cdai_open(head_case, now)
            and cdai_administration() is not None
        ),
    )


def can_file_head_complaint(case: Case, *, now: datetime | None = None) -> bool:
    recourse = recourse_for(case, now=now)
    return bool(recourse and recourse.can_file_head)


def can_file_cdai_complaint(head_case: Case, *, now: datetime | None = None) -> bool:
    """`head_case` is the complaint to the head of the body."""
    now = now or timezone.now()
    if head_case.kind != Kind.COMPLAINT_TO_HEAD:
        return False
    info = InfoRequest.objects.filter(case_id=head_case.pk).first()
    if info is None or _child(info, Kind.COMPLAINT_TO_CDAI) is not None:
        return False
    return _cdai_open(head_case, now)
