"""Writes to the registry. Every change of an administration goes through `administration_save`,
which keeps `search_text` in step with the names and records who made the change (simple_history)."""

from __future__ import annotations

from django.db import transaction

from tawasul.core.text import normalize

from .models import Administration, Commune

# `search_text` holds one normalised name per line, with a newline before and after each, so the
# selectors can tell "a name starts with the query" (`"\n" + q`) from "a word of a name starts with
# it" (`" " + q`) with a plain LIKE on both SQLite and PostgreSQL.
SEARCH_LINE = "\n"


def build_search_text(*values: str) -> str:
    """`normalize()` of each non-empty value, one per line, each line framed by newlines."""
    lines = list(dict.fromkeys(n for n in (normalize(v) for v in values if v) if n))
    return SEARCH_LINE + SEARCH_LINE.join(lines) + SEARCH_LINE if lines else ""


def administration_search_text(administration: Administration) -> str:
    """The acronym (first, for exact acronym hits) and the names in every language, normalised."""
    a = administration
    return build_search_text(a.acronym, a.name_ar, a.name_fr, a.name_zgh, a.name_en)


def commune_search_text(commune: Commune) -> str:
    return build_search_text(commune.name_ar, commune.name_fr, commune.name_zgh, commune.name_en)


def administration_save(*, actor, administration: Administration) -> Administration:
    """Validate and save `administration` (new or changed), refreshing its search text.

    `actor` is the user making the change (recorded in the history), or None for imports and demo
    data run from the command line. Raises `ValidationError` when a field or constraint is wrong.
    """
    with transaction.atomic():
        administration.search_text = administration_search_text(administration)
        administration.full_clean()
        if actor is not None and getattr(actor, "is_authenticated", False):
            administration._history_user = actor
        administration.save()
    return administration
