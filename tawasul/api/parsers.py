"""The API's JSON parser, stricter than DRF's (ARCHITECTURE.md §1, "strict JSON parsers").

A body is refused with 400 — before any serializer sees it — when it is larger than
`API_MAX_JSON_BYTES`, not UTF-8 (RFC 8259 §8.1), not JSON, uses `NaN`/`Infinity`, repeats a key
in one object (which value would win is parser-dependent), or holds a lone UTF-16 surrogate
(`"\\ud800"`: valid JSON, but no database can store it, so it would end as a 500).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

__all__ = ["StrictJSONParser"]


class _Refused(ValueError):
    pass


def _no_duplicate_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(_("The same key appears twice in one object."))
        result[key] = value
    return result


def _no_constants(name):
    raise _Refused(_("NaN and Infinity are not valid JSON numbers."))


def _check_strings(value) -> None:
    """Refuse lone surrogates anywhere in the document (keys included)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            item.encode("utf-8")  # UnicodeEncodeError on a lone surrogate
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class StrictJSONParser(JSONParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_JSON_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(_("The request body is too large."), code="too_large")
        try:
            text = raw.decode("utf-8")
            data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
            _check_strings(data)
        except _Refused as exc:
            raise ParseError(exc.args[0], code="parse_error") from None
        except (ValueError, RecursionError):  # UnicodeDecodeError, UnicodeEncodeError, JSONDecodeError
            raise ParseError(_("The request body is not valid JSON."), code="parse_error") from None
        return data
