"""One text normalisation for search: documents and queries go through the same `normalize()`.

Arabic is written with optional short vowels (harakat), optional stretching (tatweel) and letters
that people type interchangeably (أ/إ/آ/ا, ى/ي, ة/ه); French is typed with or without accents;
digits come in three scripts. Folding all of these lets "بِطاقة التَّعريف" find "بطاقه تعريف" and
"Fès" find "fes" (ARCHITECTURE.md §1, "Arabic search"). Tifinagh passes through unchanged apart
from case folding and whitespace.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize", "normalize_tokens"]

# Harakat and Quranic marks U+064B–U+065F, superscript alef U+0670, tatweel U+0640.
_ARABIC_MARKS = dict.fromkeys([*range(0x064B, 0x0660), 0x0670, 0x0640])

# Letters typed interchangeably, folded to one form.
_ARABIC_FOLDS = {
    ord("أ"): "ا",
    ord("إ"): "ا",
    ord("آ"): "ا",
    ord("ٱ"): "ا",
    ord("ى"): "ي",
    ord("ة"): "ه",
    ord("ؤ"): "و",
    ord("ئ"): "ي",
}

# Arabic-Indic (U+0660–0669) and Eastern Arabic-Indic / Persian (U+06F0–06F9) digits → ASCII.
_DIGITS = {cp: str(i) for base in (0x0660, 0x06F0) for i, cp in enumerate(range(base, base + 10))}

_TABLE = str.maketrans({**_ARABIC_MARKS, **_ARABIC_FOLDS, **_DIGITS})

# Anything that is not a letter or a digit separates words (punctuation, symbols, whitespace,
# Arabic comma/semicolon/question mark...), except the Tifinagh consonant joiner, which is part
# of its word. `\w` also keeps `_`: treat it as punctuation too.
_SEPARATORS = re.compile(r"(?:[^\w\u2d7f]|_)+")

_ARTICLE = "ال"
# The article is dropped only when more than 3 letters remain after it (the agreed rule: "الرباط"
# matches "رباط"), so short words that merely begin with ال ("الم" pain, "الف" thousand, "الله")
# and short defined nouns ("الدار") are kept whole rather than risk a false match.
_MIN_STEM_AFTER_ARTICLE = 4


# Marks that belong to the word and are not accents: the Tifinagh consonant joiner.
_KEPT_MARKS = frozenset({"\u2d7f"})


def _strip_latin_accents(text: str) -> str:
    """é → e, ç → c: decompose and drop combining marks of non-Arabic, non-Tifinagh letters.

    Only marks (category Mn) are dropped; base letters of every script survive. Arabic marks were
    already removed by the translation table, and NFKC recomposes what is left.
    """
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn" or ch in _KEPT_MARKS)
    return unicodedata.normalize("NFC", kept)


def _drop_article(word: str) -> str:
    if word.startswith(_ARTICLE) and len(word) - len(_ARTICLE) >= _MIN_STEM_AFTER_ARTICLE:
        return word[len(_ARTICLE) :]
    return word


def normalize_tokens(text: str) -> list[str]:
    """The normalised words of `text`, in order (see the module docstring for what is folded)."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TABLE)
    text = _strip_latin_accents(text)
    text = text.casefold()
    # Some casefolds (e.g. "İ") produce combining marks again; strip them once more.
    text = _strip_latin_accents(text)
    return [_drop_article(word) for word in _SEPARATORS.split(text) if word]


def normalize(text: str) -> str:
    """`text` folded for search: one space between words, no leading/trailing space."""
    return " ".join(normalize_tokens(text))
