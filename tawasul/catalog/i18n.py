"""Per-language text with the Arabic fallback (DOMAIN.md R9: Arabic is the default language)."""

from __future__ import annotations

from django.utils.translation import get_language

LANGUAGES = ("ar", "fr", "zgh", "en")


def current_language(language: str | None = None) -> str:
    lang = (language or get_language() or "ar").split("-")[0]
    return lang if lang in LANGUAGES else "ar"


def localized(obj, field: str, language: str | None = None) -> str:
    """`obj.<field>_<language>` for the current (or given) language, else the Arabic value."""
    lang = current_language(language)
    return getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_ar", "") or ""


def localized_language(obj, field: str, language: str | None = None) -> str:
    """The language whose value `localized()` returns (to mark text shown in Arabic by fallback)."""
    lang = current_language(language)
    return lang if getattr(obj, f"{field}_{lang}", "") else "ar"
