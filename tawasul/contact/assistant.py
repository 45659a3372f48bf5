"""The assistant (SPEC.md §8: "answers common questions from the catalog and the FAQ, cites its
source page, and hands over to a complaint or to an agent when it cannot answer").

No language model: the question is folded with the project's one `normalize()` (so Arabic with or
without harakat, hamza variants, French with or without accents all meet), its question words are
dropped, and what is left is matched against

- the complaints portal's FAQ (`tawasul.complaints.selectors.faq_entries`), every language of
  every entry, by word overlap (Dice coefficient; words match whole, as a prefix of 3+ letters,
  or sharing a stem of 4+ letters, which absorbs Arabic suffixes: شكايتي / شكاية);
- the published catalog through its own `search()` (`tawasul.catalog.search`): a procedure whose
  title holds every word is an answer; when nothing holds every word, the search is tried again
  without one word, which lowers the confidence.

Below `CONFIDENT` the assistant says it is not sure, still shows what it found (with links), and
offers the hand-over: file a complaint, call 3737, or ask to be called back. ADR 0029.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.urls import reverse
from django.utils import translation

from tawasul.catalog.i18n import localized
from tawasul.catalog.search import STOP_WORDS as CATALOG_STOP_WORDS
from tawasul.catalog.search import search
from tawasul.complaints.selectors import faq_entries
from tawasul.core.text import normalize_tokens

from .models import Category

#: An answer is given as such from this score up (0–1); below, the assistant hands over.
CONFIDENT = 0.5
#: A source below this score is not shown at all.
SHOWN = 0.3
#: Words of a question kept for matching (a longer question is cut: it is not a search query).
MAX_WORDS = 8

_QUESTION_WORDS = """
كيف ما ماذا هل من متى أين اين لماذا لما كم هو هي هذا هذه ذلك تلك في على عن إلى الى مع أو او و أن ان إن
لا لم لن كل أي اي التي الذي الذين يمكن يمكنني يمكنه يمكنها ممكن أريد اريد أود نريد أنا انا نحن لي لدي عندي
أحصل احصل الحصول أستطيع استطيع أفعل افعل يجب علي عليا بعد قبل عند
comment quel quelle quels quelles qui que quoi qu est ce c cette ces je j me m mon ma mes ai a as avons
puis peut peux pouvez dois doit faut faire fait il elle on nous vous votre vos y ne n pas se s si ou où
dans avec obtenir veux voudrais besoin sera seront sont etre ete suis
how what which who whom when where why do does did i my me can could should is are was the a an to of
for in on at and or it be am get want need please from with about
"""


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    words = set(normalize_tokens(_QUESTION_WORDS))
    words |= {token for word in CATALOG_STOP_WORDS for token in normalize_tokens(word)}
    return frozenset(words)


_COMPLAINT_WORDS = ("شكايه", "شكايات", "شكوي", "تظلم", "reclamation", "plainte", "complaint", "grievance")
_THANKS_WORDS = ("شكرا", "تحيه", "merci", "remercie", "thank", "thanks", "bravo", "ⵜⴰⵏⵎⵎⵉⵔⵜ")


def content_words(question: str) -> list[str]:
    """The normalised words of `question` that say what it is about."""
    stop = _stop_words()
    words = []
    for token in normalize_tokens(question):
        if token not in stop and token not in words and (len(token) > 1 or token.isdigit()):
            words.append(token)
    return words[:MAX_WORDS]


def words_match(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and long.startswith(short):
        return True
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(short))
    return common >= 4 and common >= 0.75 * len(short)


def overlap(query: list[str], document: list[str]) -> float:
    """Dice coefficient of two word lists, with `words_match` as equality."""
    if not query or not document:
        return 0.0
    matched_query = sum(1 for q in query if any(words_match(q, d) for d in document))
    matched_document = sum(1 for d in document if any(words_match(q, d) for q in query))
    return (matched_query + matched_document) / (len(query) + len(document))


@dataclass
class Source:
    kind: str  # "faq" or "procedure"
    title: str
    text: str
    url: str
    score: float
    title_language: str = ""


@dataclass
class Answer:
    question: str
    words: list[str]
    category: str
    sources: list[Source] = field(default_factory=list)

    @property
    def best(self) -> Source | None:
        return self.sources[0] if self.sources else None

    @property
    def confident(self) -> bool:
        return self.best is not None and self.best.score >= CONFIDENT

    @property
    def others(self) -> list[Source]:
        return self.sources[1:] if self.confident else self.sources


def _faq_sources(words: list[str]) -> list[Source]:
    url = reverse("complaints:faq")
    found = []
    for entry in faq_entries():
        score = 0.0
        for lang in ("ar", "fr", "zgh", "en"):
            text = getattr(entry, f"question_{lang}", "")
            if text:
                entry_words = content_words(text)
                score = max(score, overlap(words, entry_words))
        if score >= SHOWN:
            found.append(Source("faq", entry.question(), entry.answer(), url, round(score, 3)))
    return found


def _excerpt(text: str, limit: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _procedure_sources(words: list[str], *, language: str | None = None) -> list[Source]:
    if not words:
        return []
    attempts = [words]
    if len(words) > 1:
        # Without one word, the longest words kept first (they carry the meaning).
        attempts += [[w for w in words if w != dropped] for dropped in sorted(words, key=len)]
    for used in attempts:
        result = search(" ".join(used), language=language, limit=3)
        if not result.procedures:
            continue
        coverage = (len(used) / len(words)) ** 2
        sources = []
        for procedure in result.procedures:
            title_hit = procedure.pk in result.matched_languages
            score = coverage if title_hit else 0.45 * coverage
            if score < SHOWN:
                continue
            sources.append(
                Source(
                    "procedure",
                    procedure.title(language),
                    _excerpt(localized(procedure, "summary", language)),
                    reverse("catalog:detail", kwargs={"code": procedure.code}),
                    round(score, 3),
                    result.matched_languages.get(procedure.pk, ""),
                )
            )
        return sources
    return []


def _has_any(words: list[str], vocabulary) -> bool:
    return any(words_match(w, v) for w in words for v in vocabulary)


def guess_category(words: list[str], best: Source | None, confident: bool) -> str:
    if confident and best is not None:
        return Category.GENERAL_GUIDANCE if best.kind == "faq" else Category.PROCEDURE_INFO
    if _has_any(words, _COMPLAINT_WORDS):
        return Category.COMPLAINT
    if _has_any(words, _THANKS_WORDS):
        return Category.THANKS_REMARKS
    return Category.OTHER


def answer(question: str, *, language: str | None = None, limit: int = 4) -> Answer:
    """The assistant's answer to `question`: sources best first, and the guessed category."""
    words = content_words(question)
    with translation.override(language or translation.get_language()):  # the FAQ's texts too
        sources = sorted(
            [*_faq_sources(words), *_procedure_sources(words, language=language)],
            key=lambda s: (-s.score, s.kind != "faq"),
        )[:limit]
    result = Answer(question=question, words=words, category=Category.OTHER, sources=sources)
    result.category = guess_category(words, result.best, result.confident)
    return result
