"""The bodies of the public notice and list pages, rendered once per publication (ADR 0025).

A body is cached under (page, notice, version, open?, language): `Notice.version` is bumped by
every publication, so a new list is a new key and nothing has to be deleted. After each
publication `tasks.warm_public_pages` renders the new version in every language, so the first
readers of a results day find it ready; a reader who comes first renders it (`cached_body`).

The whole page, shell included, is the same for every reader who sends no cookie (no session:
anonymous, no flash message): it is kept under the body's key and the page's full path
(`page_key`, with the host), as the first such reader got it, and the next ones get that text (ADR 0059).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language

from .models import Notice, PublishedList
from .selectors import notice_public_get, published_list_get

#: Seconds a rendered body stays in the cache (a new version is a new key anyway).
BODY_CACHE_SECONDS = 24 * 3600


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def cache_key(page: str, pk: int, version: int, is_open: bool, language: str | None = None) -> str:
    return f"jobs:page:{page}:{pk}:{version}:{int(is_open)}:{language or _language()}"


def notice_body(pk: int) -> dict:
    """{"title", "body"} of a published notice's page, in the active language."""
    try:
        notice = notice_public_get(pk)
    except Notice.DoesNotExist as exc:
        raise Http404 from exc
    lists = sorted(notice.lists.all(), key=lambda lst: lst.order)
    body = render_to_string("jobs/includes/notice_body.html", {"notice": notice, "lists": lists, "now": timezone.now()})
    return {"title": notice.title, "body": body}


def list_body(pk: int, kind: str) -> dict:
    """{"title", "body"} of a published list's page, in the active language."""
    try:
        lst = published_list_get(pk, kind)
    except PublishedList.DoesNotExist as exc:
        raise Http404 from exc
    body = render_to_string("jobs/includes/list_body.html", {"list": lst, "notice": lst.notice})
    return {"title": f"{lst.get_kind_display()} · {lst.notice.title}", "body": body}


def page_key(page: str, pk: int, version: int, is_open: bool, path: str) -> str:
    """The whole page of a reader without cookies, by its host and full path (its language, its
    query)."""
    digest = hashlib.sha256(path.encode()).hexdigest()[:24]
    return f"{cache_key(page, pk, version, is_open)}:page:{digest}"


def cached_body(key: str, build: Callable[[], dict]) -> dict:
    cached = cache.get(key)
    if cached is None:
        cached = build()
        cache.set(key, cached, BODY_CACHE_SECONDS)
    return cached


def warm(notice_id: int) -> int:
    """Render the current version of a notice's pages in every language; returns how many."""
    row = Notice.objects.filter(pk=notice_id, status=Notice.Status.PUBLISHED).values("version", "deadline_at").first()
    if row is None:
        return 0
    is_open = timezone.now() < row["deadline_at"]
    kinds = list(PublishedList.objects.filter(notice_id=notice_id).values_list("kind", flat=True))
    count = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            pages = [("notice", lambda: notice_body(notice_id))]
            pages += [(f"list-{k}", lambda k=k: list_body(notice_id, k)) for k in kinds]
            for page, build in pages:
                cache.set(cache_key(page, notice_id, row["version"], is_open, language), build(), BODY_CACHE_SECONDS)
                count += 1
    return count
