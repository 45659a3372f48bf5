"""Reads of the jobs portal (ARCHITECTURE.md §3.2): each narrows to what its reader may see."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from tawasul.core.prepared import PreparedQuery
from tawasul.core.text import normalize

from .models import Application, ListEntry, Notice, PublishedList
from .permissions import recruiter_administration_ids


def notices_public(
    *, kind: str = "", administration: str = "", state: str = "", words: str = "", now=None
) -> QuerySet[Notice]:
    """Published notices, newest first, with the filters of the list page."""
    now = now or timezone.now()
    queryset = Notice.objects.filter(status=Notice.Status.PUBLISHED).select_related("administration")
    if kind:
        queryset = queryset.filter(kind=kind)
    if administration:
        queryset = queryset.filter(administration__code=administration)
    if state == "open":
        queryset = queryset.filter(deadline_at__gt=now)
    elif state == "closed":
        queryset = queryset.filter(deadline_at__lte=now)
    for word in normalize(words).split()[:8]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset.order_by("-published_at", "-pk")


#: Compiled once per process: every page view and every reload of a results day asks (issue 7,
#: scenario 8: building the ORM query was half of a reload's CPU).
_STAMP = PreparedQuery(
    lambda pk: (
        Notice.objects.filter(pk=pk, status=Notice.Status.PUBLISHED)
        .order_by()
        .values_list("version", "updated_at", "deadline_at")[:1]
    ),
    int,
)


def notice_public_stamp(pk: int) -> tuple[int, object, object] | None:
    """(version, updated_at, deadline_at) of a published notice: all a conditional GET needs
    (one query on the primary key)."""
    rows = _STAMP.rows(pk)
    return rows[0] if rows else None


def notice_public_get(pk: int) -> Notice:
    """A published notice with everything its page shows (raises Notice.DoesNotExist)."""
    return (
        Notice.objects.select_related("administration")
        .prefetch_related("lines", "centres", "tests", "documents", "lists")
        .get(pk=pk, status=Notice.Status.PUBLISHED)
    )


def published_list_get(notice_pk: int, kind: str) -> PublishedList:
    return (
        PublishedList.objects.select_related("notice", "notice__administration")
        .prefetch_related(Prefetch("entries", queryset=ListEntry.objects.order_by("position")))
        .get(notice_id=notice_pk, notice__status=Notice.Status.PUBLISHED, kind=kind)
    )


def applications_of(user) -> QuerySet[Application]:
    """The candidate's own applications (nobody else's, ever)."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return Application.objects.filter(candidate=user).select_related("notice", "notice__administration", "line")


def application_for_candidate(user, reference: str) -> Application:
    """One of the candidate's own applications (DoesNotExist for anyone else's or an unknown one)."""
    return applications_of(user).select_related("centre").prefetch_related("documents").get(reference=reference)


def notices_for_recruiter(user) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(administration_id__in=recruiter_administration_ids(user))
        .select_related("administration")
        .order_by("-created_at", "-pk")
    )


def notice_for_recruiter(user, pk: int) -> Notice:
    return notices_for_recruiter(user).get(pk=pk)


def application_for_recruiter(user, reference: str) -> Application:
    return (
        Application.objects.filter(notice__administration_id__in=recruiter_administration_ids(user))
        .select_related("notice", "line", "centre", "candidate", "candidate__candidate_profile")
        .prefetch_related("documents", "documents__required")
        .get(reference=reference)
    )
