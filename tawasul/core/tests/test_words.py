"""The words index helpers (core.words): queries a user cannot turn into syntax, and the database's
fold of a text equal to `normalize_tokens` (SQLite calls it; PostgreSQL rewrites it in SQL)."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tawasul.core.text import normalize, normalize_tokens
from tawasul.core.words import MAX_QUERY_WORDS, PG_WORDS_FUNCTION, fts5_query, query_words, tsquery


def test_every_word_is_quoted_and_long_words_match_as_prefixes():
    assert fts5_query(query_words("Permis de conduire")) == '"permis"* "de" "conduire"*'
    assert tsquery(query_words("Permis de conduire")) == "'permis':* & 'de' & 'conduire':*"


def test_query_syntax_typed_by_a_user_stays_words():
    words = query_words('retard OR "x" NOT permis* subject:eau \' | !')
    assert words == ["retard", "or", "x", "not", "permis", "subject", "eau"]
    assert fts5_query(words).count('"') == 2 * len(words)
    assert all(part.startswith("'") for part in tsquery(words).split(" & "))


def test_a_query_keeps_its_first_words_only():
    assert len(query_words(" ".join(f"w{i}" for i in range(20)))) == MAX_QUERY_WORDS


@pytest.mark.django_db
def test_sqlite_connections_know_normalize():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's triggers call Python; PostgreSQL has its own function")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tawasul_normalize(%s), tawasul_normalize(NULL)", ["بِطاقة التَّعريف É"])
        assert cursor.fetchone() == (normalize("بِطاقة التَّعريف É"), "")


# --- PostgreSQL: tawasul_words() folds as normalize_tokens() does ------------------------------

SAMPLES = [
    "بِطاقة التَّعريف الوطنية",
    "رخصة البناء في الرباط",
    "أإآٱ ى ة ؤ ئ ـــ",
    "الم الدار الله المدرسة",
    "٢٠٢٦ ۱۲۳ 2026",
    "Électricité, ÉCOLE; hôpital — Fès / l'eau",
    "Œuvre ÆON straße İstanbul",
    "e-mail foo_bar 3.5 x@y.ma",
    "ماء، طريق؟ كهرباء؛ مستشفى!",
    "ⵜⴰⵎⴰⵣⵉⵖⵜ ⵜⵉ⵿ⵏ ⴰⵎⴰⵣⵉⵖ",
    "  spaces\tand\nlines  ",
    "",
]

ALPHABET = (
    "ابتثجحخدذرسشصضطظعغفقكلمنهوي" + "أإآٱىةؤئ" + "\u064b\u064e\u0650\u0651\u0652\u0670\u0640"
    "٠١٢٣٤٥٦٧٨٩" + "abcdeéèêëàâçîïôöùûüÉÈÀÇÔŒœ" + "ABCXYZ" + "0123456789"
    "ⴰⴱⴳⴷⵜⵎ\u2d7f" + " ,.;:!?'\"-_/()«»،؛؟" + "\t\n"
)


def _lexemes(text: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(tsvector_to_array(tawasul_words(%s)), '{}')", [text])
        return set(cursor.fetchone()[0])


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("text", SAMPLES)
def test_postgres_words_are_the_normalized_words(text):
    assert _lexemes(text) == set(normalize_tokens(text))


@pytest.mark.postgres
@pytest.mark.django_db
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_postgres_words_match_normalize_on_arabic_french_and_tifinagh(text):
    assert _lexemes(text) == set(normalize_tokens(text))


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_words_function_keeps_its_plan_across_rows():
    """PL/pgSQL plans its statement once per connection; an SQL function with a sub-select is
    parsed and planned again for every row written (issue 7)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.lanname, p.provolatile FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
            "WHERE p.proname = %s",
            [PG_WORDS_FUNCTION],
        )
        assert cursor.fetchall() == [("plpgsql", "i")]


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_words_need_no_search_path():
    """pg_restore fills the generated columns with an empty search_path."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL search_path = ''")
        cursor.execute(f"SELECT pg_catalog.tsvector_to_array(public.{PG_WORDS_FUNCTION}(%s))", ["Les ÉCOLES، المدارس"])
        words = set(cursor.fetchone()[0])
    assert words == set(normalize_tokens("Les ÉCOLES، المدارس"))
