"""The requester's secret tracking link, sent once in the acknowledgement email."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import NoReverseMatch, reverse
from django.utils import translation


def tracking_url_builder(request, url_name: str) -> Callable[[object, str], str]:
    """`case_create`'s `tracking_url_builder`: the absolute link `url_name` (a portal's
    `track_link`, taking the reference and the raw token) in the case's language, whatever the
    language of the page or call that filed it (an agent may file in French for a caller who reads
    Arabic); "" where that portal's pages are not installed."""

    def build(case, token: str) -> str:
        try:
            with translation.override(case.language):
                path = reverse(url_name, kwargs={"reference": case.reference, "token": token})
        except NoReverseMatch:
            return ""
        return request.build_absolute_uri(path)

    return build
