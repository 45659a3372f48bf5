"""The requester's secret tracking link, sent once in the acknowledgement email."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation

#: Values that `reverse` writes into a path as they are: a reference and a URL-safe token.
_PLAIN = re.compile(r"[A-Za-z0-9_-]+")
_REFERENCE_MARK, _TOKEN_MARK = "ReferenceMark0", "TokenMark1"


def tracking_url_builder(request, url_name: str) -> Callable[[object, str], str]:
    """`case_create`'s `tracking_url_builder`: the absolute link `url_name` (a portal's
    `track_link`, taking the reference and the raw token) in the case's language, whatever the
    language of the page or call that filed it (an agent may file in French for a caller who reads
    Arabic); "" where that portal's pages are not installed."""

    def build(case, token: str) -> str:
        path = _tracking_path(url_name, case.language, case.reference, token)
        return request.build_absolute_uri(path) if path else ""

    return build


def _tracking_path(url_name: str, language: str, reference: str, token: str) -> str:
    """`reverse(url_name, kwargs={"reference": ..., "token": ...})` in `language` ("" when the
    name is not installed). The path of plain values (letters, digits, `-` and `_`, which reverse
    neither quotes nor refuses in a `str` segment) is the language's template with the values put
    in (issue 7: reversing cost ~3 % of a filing); any other value is reversed."""
    template = _path_template(url_name, language, get_urlconf(), get_script_prefix())
    if template is not None and _PLAIN.fullmatch(reference) and _PLAIN.fullmatch(token):
        return template.replace(_REFERENCE_MARK, reference, 1).replace(_TOKEN_MARK, token, 1)
    try:
        with translation.override(language):
            return reverse(url_name, kwargs={"reference": reference, "token": token})
    except NoReverseMatch:
        return ""


@functools.lru_cache(maxsize=64)
def _path_template(url_name: str, language: str, urlconf, script_prefix: str) -> str | None:
    """The path of `url_name` in `language` with marks for its values, or None when the marks
    would not come back unchanged (a pattern stricter than `str`) or the name is not installed."""
    try:
        with translation.override(language):
            path = reverse(url_name, kwargs={"reference": _REFERENCE_MARK, "token": _TOKEN_MARK}, urlconf=urlconf)
    except NoReverseMatch:
        return None
    if path.count(_REFERENCE_MARK) != 1 or path.count(_TOKEN_MARK) != 1:
        return None
    return path


@receiver(setting_changed)
def _forget_templates(**kwargs) -> None:
    _path_template.cache_clear()  # a test that changes the URLs or the languages
