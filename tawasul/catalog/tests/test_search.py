"""Search across languages (issue 6): one normalize() on documents and queries, title first,
typo tolerance for short queries, filters, and only published procedures."""

import pytest

from tawasul.catalog.models import Procedure, Theme
from tawasul.catalog.search import edit_distance, rebuild_index, search
from tawasul.catalog.tests.factories import document, make_procedure
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cnie():
    return make_procedure(
        code="cnie",
        title_ar="الحصول على البطاقة الوطنية للتعريف الإلكترونية",
        title_fr="Obtention de la carte nationale d'identité électronique",
        documents=[document("شهادة الإقامة", "Certificat de résidence")],
    )


@pytest.fixture
def licence():
    return make_procedure(
        code="permis",
        theme=Theme.objects.get(slug="transport"),
        title_ar="رخصة السياقة",
        title_fr="Permis de conduire",
        audiences=["citizen", "mre"],
        documents=[document("شهادة طبية", "Certificat médical")],
    )


def codes(result):
    return [p.code for p in result.procedures]


@pytest.mark.parametrize(
    "query",
    [
        "البطاقة الوطنية",  # as written
        "بطاقه وطنيه",  # ة typed as ه, no article
        "البِطَاقَة الوَطَنِيَّة",  # with harakat
        "الوطنيـــة",  # tatweel
        "التعريف",
        "تعريف",  # without the article
        "الالكترونية",  # إ typed as ا
    ],
)
def test_arabic_spelling_variants_find_the_id_card(cnie, licence, query):
    assert codes(search(query, language="ar")) == ["cnie"]


def test_alef_maqsura_and_ya_meet():
    make_procedure(code="moussa", title_ar="طلب موسى", title_fr="Demande Moussa")
    assert codes(search("موسي", language="ar")) == ["moussa"]


@pytest.mark.parametrize("query", ["permis de conduire", "PERMIS DE CONDUÏRE", "Permis", "conduire"])
def test_french_accents_and_case_are_folded(cnie, licence, query):
    assert codes(search(query, language="fr")) == ["permis"]


def test_french_accented_document_matches_unaccented_query(cnie, licence):
    assert codes(search("identite electronique", language="fr")) == ["cnie"]


def test_words_match_as_prefixes(cnie, licence):
    assert codes(search("بطاق", language="ar")) == ["cnie"]


def test_a_word_in_the_documents_finds_the_procedure(cnie, licence):
    assert codes(search("résidence", language="fr")) == ["cnie"]


def test_typo_in_a_short_query_is_corrected(cnie, licence):
    result = search("permsi", language="fr")
    assert codes(result) == ["permis"]
    assert result.corrected == [("permsi", "permis")]


def test_arabic_typo_is_corrected(cnie, licence):
    result = search("السياقه رخصه", language="ar")
    assert codes(result) == ["permis"]
    result = search("السيافة", language="ar")
    assert codes(result) == ["permis"]
    assert result.corrected


def test_long_queries_are_not_fuzzed(cnie, licence):
    assert search("permsi de conduire vite", language="fr").total == 0


def test_title_matches_rank_before_body_matches():
    body_only = make_procedure(
        code="body-only",
        title_fr="Attestation de travail",
        title_ar="شهادة العمل",
        summary_fr="Pour un passeport, un permis, une carte grise.",
    )
    titled = make_procedure(code="titled", title_fr="Passeport biométrique", title_ar="جواز السفر البيومتري")
    result = search("passeport", language="fr")
    assert codes(result) == [titled.code, body_only.code]


def test_result_says_in_which_language_the_title_matched(cnie):
    result = search("carte identité", language="ar")
    assert result.matched_languages[cnie.pk] == "fr"


def test_filters_by_theme_audience_and_administration(cnie, licence):
    assert codes(search("", theme="transport")) == ["permis"]
    assert codes(search("", audience="mre")) == ["permis"]
    assert codes(search("", administration=cnie.administration.code)) == ["cnie"]
    assert search("permis", theme="identite-voyage").total == 0


def test_drafts_and_archived_procedures_are_never_found():
    make_procedure(code="draft", title_fr="Passeport brouillon", status=Procedure.Status.DRAFT)
    make_procedure(code="review", title_fr="Passeport en revue", status=Procedure.Status.IN_REVIEW)
    make_procedure(code="old", title_fr="Passeport ancien", status=Procedure.Status.ARCHIVED)
    assert search("passeport").total == 0
    assert search("").total == 0


def test_pagination(cnie):
    for i in range(5):
        make_procedure(code=f"extrait-{i}", title_fr=f"Extrait {i} de naissance", title_ar=f"نسخة {i} من رسم الولادة")
    first = search("naissance", limit=3, offset=0)
    second = search("naissance", limit=3, offset=3)
    assert first.total == 5 and len(first.procedures) == 3 and len(second.procedures) == 2
    assert not set(codes(first)) & set(codes(second))


def test_rebuild_index_in_one_pass_keeps_results(cnie, licence):
    rebuild_index()
    assert codes(search("رخصة", language="ar")) == ["permis"]


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("permsi", "permis", 2) == 1
    assert edit_distance("abc", "xyzabc", 1) == 2


def test_administration_name_is_searchable():
    adm = AdministrationFactory(name_fr="Caisse nationale de sécurité sociale", acronym="CNSS")
    make_procedure(code="immatriculation", administration=adm, title_fr="Immatriculation")
    assert codes(search("cnss")) == ["immatriculation"]


def test_typo_vocabulary_follows_new_publications(django_capture_on_commit_callbacks):
    make_procedure(code="permis", title_fr="Permis de conduire")
    assert search("pasport").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        make_procedure(code="passeport", title_fr="Passeport biométrique")
    assert codes(search("pasport")) == ["passeport"]


def test_numbers_are_not_typo_corrected():
    make_procedure(code="formulaire", title_fr="Formulaire 2041")
    assert search("2014").total == 0


def test_pages_run_through_the_title_matches_then_the_others():
    for i in range(3):
        make_procedure(code=f"title-{i}", title_fr=f"Passeport {i}", title_ar=f"جواز {i}")
        make_procedure(code=f"body-{i}", title_fr=f"Attestation {i}", summary_fr="Pour un passeport.")
    whole = codes(search("passeport", limit=10))
    assert sorted(whole[:3]) == ["title-0", "title-1", "title-2"]
    assert sorted(whole[3:]) == ["body-0", "body-1", "body-2"]
    pages = [search("passeport", limit=2, offset=offset) for offset in (0, 2, 4, 6)]
    assert [c for page in pages for c in codes(page)] == whole
    assert {page.total for page in pages} == {6}


def test_counting_stops_at_the_cap(settings):
    settings.CATALOG_SEARCH_MAX_COUNT = 3
    for i in range(2):
        make_procedure(code=f"title-{i}", title_fr=f"Passeport {i}")
    for i in range(2):
        make_procedure(code=f"body-{i}", title_fr=f"Attestation {i}", summary_fr="Pour un passeport.")
    result = search("passeport", limit=10)
    assert (result.total, result.total_is_capped, len(result.procedures)) == (3, True, 4)
    for i in range(2, 4):
        make_procedure(code=f"title-{i}", title_fr=f"Passeport {i}")
    result = search("passeport", limit=2, offset=2)  # more titles than the cap, a full page of them
    assert (result.total, result.total_is_capped, codes(result)) == (3, True, ["title-2", "title-3"])
