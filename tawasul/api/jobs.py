"""The public-jobs portal over JSON (DOMAIN.md R4; ADR 0025): published notices and their lists.

- `GET /api/v1/jobs/notices/`: published notices, newest first, with the web list's filters
  (kind, administration, open or closed, words), paginated.
- `GET /api/v1/jobs/notices/{id}/`: one published notice with what its web page shows.
- `GET /api/v1/jobs/notices/{id}/lists/{kind}/`: a published list: the same public fields as the
  web results page (position, name, application reference, speciality, struck). Never the CIN nor
  the date of birth: `ListEntry` does not hold them.

A draft (unpublished) notice and its lists answer the same 404 as an id that does not exist.

The notice and list answers are the results-day hot path, built as the web pages are (ADR 0025):
an `ETag` and `Last-Modified` from the notice's `version` stamp (one query), so a client that has
the current version gets a 304 for that one query; the body is built at most once per version,
open/closed state and language and kept in the cache (`tawasul.jobs.pages`), then the absolute
links of this request are added.
"""

from __future__ import annotations

import hashlib

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date, parse_http_date_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from tawasul.jobs import pages
from tawasul.jobs.models import ListKind, Notice, NoticeKind, PublishedList
from tawasul.jobs.selectors import notice_public_get, notice_public_stamp, notices_public, published_list_get

from .base import ApiView
from .errors import ErrorResponseSerializer
from .facilities import MAX_ID, MAX_OFFSET
from .fields import StrictSerializer
from .tracking import AdministrationRefSerializer

__all__ = ["JobListView", "JobNoticeListView", "JobNoticeView"]

NOTICES_MAX_PAGE = 50
NOTICES_DEFAULT_PAGE = 20

_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()


def _datetime(value) -> str | None:
    return _DATETIME.to_representation(value) if value is not None else None


def _date(value) -> str | None:
    return _DATE.to_representation(value) if value is not None else None


# --- The list of notices ------------------------------------------------------------------------


class NoticeQuerySerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=NoticeKind.choices, required=False, allow_blank=True)
    administration = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="Code of the administration."
    )
    state = serializers.ChoiceField(
        choices=[("open", "open"), ("closed", "closed")],
        required=False,
        allow_blank=True,
        help_text="`open`: the application deadline has not passed; `closed`: it has.",
    )
    q = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="Words of the title, grade or speciality."
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=NOTICES_MAX_PAGE,
        default=NOTICES_DEFAULT_PAGE,
        help_text=f"Notices per page (default {NOTICES_DEFAULT_PAGE}, maximum {NOTICES_MAX_PAGE}).",
    )
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0, help_text="Notices to skip.")


class NoticeSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="Kind of notice (the `kind` filter's values).")
    kind_label = serializers.CharField()
    title = serializers.CharField(help_text="French title outside Arabic when there is one, else the Arabic.")
    title_ar = serializers.CharField()
    title_fr = serializers.CharField(allow_blank=True)
    administration = AdministrationRefSerializer()
    grade = serializers.CharField(allow_blank=True)
    scale = serializers.IntegerField(allow_null=True)
    posts_total = serializers.IntegerField()
    deadline_at = serializers.DateTimeField(help_text="Application deadline (with its time).")
    is_open = serializers.BooleanField(help_text="The deadline has not passed.")
    exam_date = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    application_channel = serializers.CharField(help_text="`portal`, `external_site`, `email`, `post`, `hand_deposit`.")
    application_channel_label = serializers.CharField()
    web_url = serializers.CharField(help_text="The notice's page on the portal.")


class NoticePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Notices matching the query (all pages).")
    next_offset = serializers.IntegerField(allow_null=True, help_text="Offset of the next page, or null.")
    results = NoticeSummarySerializer(many=True)


def _summary(notice: Notice, now, language: str) -> dict:
    return {
        "id": int(notice.pk),
        "kind": str(notice.kind),
        "kind_label": str(notice.get_kind_display()),
        "title": str(notice.title),
        "title_ar": notice.title_ar,
        "title_fr": notice.title_fr,
        "administration": {"code": notice.administration.code, "name": notice.administration.name(language)},
        "grade": notice.grade,
        "scale": notice.scale,
        "posts_total": int(notice.posts_total),
        "deadline_at": _datetime(notice.deadline_at),
        "is_open": now < notice.deadline_at,
        "exam_date": _date(notice.exam_date),
        "published_at": _datetime(notice.published_at),
        "application_channel": str(notice.application_channel),
        "application_channel_label": str(notice.get_application_channel_display()),
    }


def _web_url(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


_ERRORS = {
    400: OpenApiResponse(ErrorResponseSerializer, description="Invalid parameter."),
    429: OpenApiResponse(ErrorResponseSerializer, description="Too many requests from this client."),
}


class JobNoticeListView(ApiView):
    throttle_scope = "lookup"

    @extend_schema(
        operation_id="jobs_notice_list",
        summary="Published job notices, newest first",
        description="The filters of the portal's list page. Drafts never appear.",
        parameters=[NoticeQuerySerializer],
        responses={200: NoticePageSerializer, **_ERRORS},
        tags=["jobs"],
    )
    def get(self, request):
        query = NoticeQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        now = timezone.now()
        notices = notices_public(
            kind=params.get("kind") or "",
            administration=params.get("administration") or "",
            state=params.get("state") or "",
            words=params.get("q") or "",
            now=now,
        )
        limit, offset = params["limit"], params["offset"]
        count = notices.count()
        language = translation.get_language()
        results = []
        if offset < count:
            for notice in notices[offset : offset + limit]:
                summary = _summary(notice, now, language)
                summary["web_url"] = _web_url(request, "jobs:notice", notice.pk)
                results.append(summary)
        return Response(
            {"count": count, "next_offset": offset + limit if offset + limit < count else None, "results": results}
        )


# --- One notice, one list: conditional GETs ------------------------------------------------------

#: The notice's id (drf-spectacular names the `pk` of the URL `id`), with the bounds the view enforces.
PK_PARAM = OpenApiParameter(
    "id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, OpenApiParameter.PATH, description="Notice id."
)
CONDITIONAL = [
    OpenApiParameter(
        "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False, description="An earlier ETag."
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=False,
        description="An earlier Last-Modified (HTTP date).",
    ),
]
_CONDITIONAL_RESPONSES = {
    304: OpenApiResponse(description="Not modified: the client's copy (its ETag or date) is current."),
    404: OpenApiResponse(ErrorResponseSerializer, description="No published notice (or list) with this id."),
    429: _ERRORS[429],
}


def _etag(*parts) -> str:
    raw = "-".join(str(part) for part in ("api", *parts, translation.get_language()))
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:20] + '"'


def _not_modified(request, etag: str, last_change) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")]
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return since is not None and int(last_change.timestamp()) <= since


def _conditional(request, pk: int, page: str, build, links) -> Response:
    """The answer about notice `pk`: 304 when the client has this version; else the body from the
    cache (built by `build()` at most once per version, state and language) with `links(body)`
    added for this request. The same validators as the web pages (`tawasul.jobs.views`)."""
    if not 1 <= pk <= MAX_ID:
        raise exceptions.NotFound()
    stamp = notice_public_stamp(pk)
    if stamp is None:
        raise exceptions.NotFound()
    version, updated_at, deadline_at = stamp
    is_open = timezone.now() < deadline_at
    last_change = updated_at if is_open else max(updated_at, deadline_at)
    etag = _etag(page, pk, version, int(is_open))
    if _not_modified(request, etag, last_change):
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        body = dict(pages.cached_body(pages.cache_key(f"api-{page}", pk, version, is_open), build))
        links(body)
        response = Response(body)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_change.timestamp())
    response["Cache-Control"] = "public, no-cache"
    return response


class LineSerializer(serializers.Serializer):
    speciality = serializers.CharField()
    posting_place = serializers.CharField(allow_blank=True)
    posts = serializers.IntegerField()


class TestSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="`written`, `oral` or `practical`.")
    type_label = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    coefficient = serializers.IntegerField()


class ListRefSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Kind of list (the `kind` of its address).")
    label = serializers.CharField()
    published_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="This API's address of the list.")


class NoticeFilesSerializer(serializers.Serializer):
    notice = serializers.CharField(allow_null=True, help_text="The notice (PDF), or null.")
    opening_order = serializers.CharField(allow_null=True, help_text="The opening order (PDF), or null.")


class NoticeDetailSerializer(NoticeSummarySerializer):
    application_target = serializers.CharField(allow_blank=True, help_text="Web address, email or postal address.")
    takes_portal_applications = serializers.BooleanField(help_text="Candidates apply on the portal (with an account).")
    age_min = serializers.IntegerField()
    age_max = serializers.IntegerField(allow_null=True, help_text="On 1 January of the year; null: no upper limit.")
    age_extension_for_prior_service = serializers.BooleanField()
    age_limit_waived_for_civil_servants = serializers.BooleanField()
    quota_veterans_percent = serializers.IntegerField()
    quota_disability_percent = serializers.IntegerField()
    diplomas = serializers.ListField(child=serializers.CharField())
    conditions = serializers.CharField(allow_blank=True)
    lines = LineSerializer(many=True)
    exam_centres = serializers.ListField(child=serializers.CharField())
    tests = TestSerializer(many=True)
    required_documents = serializers.ListField(child=serializers.CharField())
    files = NoticeFilesSerializer()
    lists = ListRefSerializer(many=True, help_text="The published lists, in R4's order.")


def _notice_body(pk: int) -> dict:
    try:
        notice = notice_public_get(pk)
    except Notice.DoesNotExist as exc:
        raise exceptions.NotFound() from exc
    language = translation.get_language()
    body = _summary(notice, timezone.now(), language)
    body.update(
        {
            "application_target": notice.application_target,
            "takes_portal_applications": notice.takes_portal_applications,
            "age_min": int(notice.age_min),
            "age_max": notice.age_max,
            "age_extension_for_prior_service": notice.age_extension_for_prior_service,
            "age_limit_waived_for_civil_servants": notice.age_limit_waived_for_civil_servants,
            "quota_veterans_percent": int(notice.quota_veterans_percent),
            "quota_disability_percent": int(notice.quota_disability_percent),
            "diplomas": notice.diploma_list(),
            "conditions": notice.conditions,
            "lines": [
                {"speciality": line.speciality, "posting_place": line.posting_place, "posts": int(line.posts)}
                for line in notice.lines.all()
            ],
            "exam_centres": [centre.name for centre in notice.centres.all()],
            "tests": [
                {
                    "type": str(test.type),
                    "type_label": str(test.get_type_display()),
                    "duration_minutes": int(test.duration_minutes),
                    "coefficient": int(test.coefficient),
                }
                for test in notice.tests.all()
            ],
            "required_documents": [document.name for document in notice.documents.all()],
            "has_files": {"notice": bool(notice.notice_pdf), "order": bool(notice.opening_order_pdf)},
            "lists": [
                {
                    "kind": str(lst.kind),
                    "label": str(lst.get_kind_display()),
                    "published_at": _datetime(lst.published_at),
                }
                for lst in sorted(notice.lists.all(), key=lambda lst: lst.order)
            ],
        }
    )
    return body


class JobNoticeView(ApiView):
    throttle_scope = "lookup"

    @extend_schema(
        operation_id="jobs_notice_detail",
        summary="One published job notice",
        parameters=[PK_PARAM, *CONDITIONAL],
        responses={200: NoticeDetailSerializer, **_CONDITIONAL_RESPONSES},
        tags=["jobs"],
    )
    def get(self, request, pk: int):
        def links(body: dict) -> None:
            has_files = body.pop("has_files")
            body["web_url"] = _web_url(request, "jobs:notice", pk)
            body["files"] = {
                "notice": _web_url(request, "jobs:notice_file", pk, "notice") if has_files["notice"] else None,
                "opening_order": _web_url(request, "jobs:notice_file", pk, "order") if has_files["order"] else None,
            }
            body["lists"] = [
                {**lst, "url": request.build_absolute_uri(reverse("api:jobs_list", args=[pk, lst["kind"]]))}
                for lst in body["lists"]
            ]

        return _conditional(request, pk, "notice", lambda: _notice_body(pk), links)


class ListEntrySerializer(serializers.Serializer):
    position = serializers.IntegerField()
    full_name = serializers.CharField()
    reference = serializers.CharField(allow_blank=True, help_text="The application's reference.")
    speciality = serializers.CharField(allow_blank=True)
    struck = serializers.BooleanField(help_text="Main list: withdrew; waiting list: called to the main list.")
    note = serializers.CharField(allow_blank=True, help_text="What `struck` means on this list, or empty.")


class NoticeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    administration = AdministrationRefSerializer()


class PublishedListSerializer(serializers.Serializer):
    notice = NoticeRefSerializer()
    kind = serializers.CharField(help_text="Kind of list (the `kind` of its address).")
    label = serializers.CharField()
    published_at = serializers.DateTimeField()
    entries = ListEntrySerializer(many=True)
    web_url = serializers.CharField(help_text="The list's page on the portal.")


def _struck_note(kind: str, struck: bool) -> str:
    if not struck:
        return ""
    if kind == ListKind.FINAL_MAIN:
        return translation.gettext("Withdrew")
    if kind == ListKind.FINAL_WAITING:
        return translation.gettext("Called to the main list")
    return ""


def _list_body(pk: int, kind: str) -> dict:
    try:
        lst = published_list_get(pk, kind)
    except PublishedList.DoesNotExist as exc:
        raise exceptions.NotFound() from exc
    notice = lst.notice
    language = translation.get_language()
    return {
        "notice": {
            "id": int(notice.pk),
            "title": str(notice.title),
            "administration": {"code": notice.administration.code, "name": notice.administration.name(language)},
        },
        "kind": str(lst.kind),
        "label": str(lst.get_kind_display()),
        "published_at": _datetime(lst.published_at),
        # The web results page's columns, and nothing else.
        "entries": [
            {
                "position": int(entry.position),
                "full_name": entry.full_name,
                "reference": entry.reference,
                "speciality": entry.speciality,
                "struck": entry.struck,
                "note": _struck_note(lst.kind, entry.struck),
            }
            for entry in lst.entries.all()
        ],
    }


class JobListView(ApiView):
    throttle_scope = "lookup"

    @extend_schema(
        operation_id="jobs_list_detail",
        summary="A published list of a notice (convoked, results, waiting list...)",
        description="The public columns of the portal's results page: position, name, application reference, "
        "speciality. Never the CIN nor the date of birth.",
        parameters=[
            PK_PARAM,
            OpenApiParameter("kind", {"type": "string", "enum": list(ListKind.values)}, OpenApiParameter.PATH),
            *CONDITIONAL,
        ],
        responses={200: PublishedListSerializer, **_CONDITIONAL_RESPONSES},
        tags=["jobs"],
    )
    def get(self, request, pk: int, kind: str):
        if kind not in ListKind.values:
            raise exceptions.NotFound()

        def links(body: dict) -> None:
            body["web_url"] = _web_url(request, "jobs:list", pk, kind)

        return _conditional(request, pk, f"list-{kind}", lambda: _list_body(pk, kind), links)
