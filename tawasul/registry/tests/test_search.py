"""Search folds Arabic letter variants, French accents and case (SPEC.md §1 "Languages")."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tawasul.registry.models import Administration
from tawasul.registry.selectors import (
    administration_ancestors,
    administration_descendants,
    administration_search,
    administration_subtree_ids,
    administrations_tree,
    commune_search,
)
from tawasul.registry.services import administration_save

from .factories import AdministrationFactory, CommuneFactory, ProvinceFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministries():
    interior = AdministrationFactory(
        code="interieur", name_ar="وزارة الداخلية", name_fr="Ministère de l'Intérieur", name_en="Ministry of Interior"
    )
    health = AdministrationFactory(
        code="sante",
        name_ar="وزارة الصحة والحماية الاجتماعية",
        name_fr="Ministère de la Santé et de la Protection sociale",
    )
    cnss = AdministrationFactory(
        code="cnss",
        acronym="CNSS",
        name_ar="الصندوق الوطني للضمان الاجتماعي",
        name_fr="Caisse nationale de sécurité sociale",
        kind=Administration.Kind.PUBLIC_ESTABLISHMENT,
        group=Administration.Group.PUBLIC_ESTABLISHMENTS,
    )
    return interior, health, cnss


def codes(qs):
    return [a.code for a in qs]


def test_arabic_query_without_hamza_and_ta_marbuta_finds_the_ministry(ministries):
    assert codes(administration_search("وزاره الداخليه")) == ["interieur"]


def test_short_word_without_article_finds_al_sihha(ministries):
    assert codes(administration_search("صحه")) == ["sante"]


def test_french_query_without_accent_finds_interieur(ministries):
    assert codes(administration_search("interieur")) == ["interieur"]
    assert codes(administration_search("INTÉRIEUR")) == ["interieur"]


def test_acronym_finds_the_establishment_first(ministries):
    AdministrationFactory(code="cnss-casa", name_ar="المديرية الجهوية CNSS", name_fr="Direction régionale CNSS")
    assert codes(administration_search("CNSS"))[0] == "cnss"
    assert codes(administration_search("cnss"))[0] == "cnss"


def test_every_word_must_match(ministries):
    assert codes(administration_search("وزارة الحماية")) == ["sante"]
    assert codes(administration_search("وزارة الضمان")) == []


def test_title_prefix_matches_come_first(ministries):
    AdministrationFactory(code="dir-interieur", name_fr="Direction du personnel de l'Intérieur", name_ar="مديرية")
    AdministrationFactory(code="interieur-bis", name_fr="Intérieur et territoires", name_ar="إدارة")
    assert codes(administration_search("interieur"))[0] == "interieur-bis"


def test_english_and_tifinagh_names_are_searched(ministries):
    AdministrationFactory(code="justice", name_ar="وزارة العدل", name_zgh="ⵜⴰⵎⴰⵡⴰⵙⵜ ⵏ ⵜⵏⵣⴰⵔⴼⵓⵜ")
    assert codes(administration_search("ministry of interior")) == ["interieur"]
    assert codes(administration_search("ⵜⵏⵣⴰⵔⴼⵓⵜ")) == ["justice"]


def test_filters_by_region_kind_and_group(ministries):
    region = RegionFactory(code="04", iso_code="MA-04")
    AdministrationFactory(code="cri-04", name_ar="المركز الجهوي للاستثمار", region=region, kind="public_establishment")
    assert codes(administration_search("", region="MA-04")) == ["cri-04"]
    assert codes(administration_search("", region="04")) == ["cri-04"]
    assert codes(administration_search("", region=region)) == ["cri-04"]
    assert set(codes(administration_search("", kind="ministry"))) == {"interieur", "sante"}
    assert codes(administration_search("", group="public_establishments")) == ["cnss"]


def test_administrations_not_on_the_platform_are_hidden_unless_asked(ministries):
    AdministrationFactory(code="gone", name_ar="إدارة الداخلية السابقة", left_on=dt.date(2020, 1, 1))
    AdministrationFactory(code="pending", name_ar="إدارة الداخلية الجديدة", joined_on=None)
    assert codes(administration_search("الداخلية")) == ["interieur"]
    assert set(codes(administration_search("الداخلية", joined_only=False))) == {"interieur", "gone", "pending"}


def test_limit_caps_the_results(ministries):
    for i in range(5):
        AdministrationFactory(code=f"dir-{i}", name_ar=f"مديرية {i}")
    assert len(administration_search("مديرية", limit=3)) == 3
    assert administration_search("مديرية", limit=None).count() == 5


def test_commune_search_folds_and_narrows_to_a_province():
    fes_province = ProvinceFactory(code="03.231")
    CommuneFactory(code="03.231.01.0", name_ar="فاس", name_fr="Fès", province=fes_province)
    CommuneFactory(code="01.511.01.0", name_ar="طنجة", name_fr="Tanger")
    CommuneFactory(code="07.351.01.0", name_ar="مراكش", name_fr="Marrakech")
    assert [c.code for c in commune_search("fes")] == ["03.231.01.0"]
    assert [c.code for c in commune_search("طنجه")] == ["01.511.01.0"]
    assert [c.code for c in commune_search("", province="03.231")] == ["03.231.01.0"]
    assert [c.code for c in commune_search("مراكش", province=fes_province)] == []


@pytest.fixture
def chain():
    ministry = AdministrationFactory(code="sante")
    regional = AdministrationFactory(code="drs-06", parent=ministry, kind="regional_delegation")
    provincial = AdministrationFactory(code="dps-06", parent=regional, kind="provincial_delegation")
    other = AdministrationFactory(code="drs-04", parent=ministry, kind="regional_delegation")
    stranger = AdministrationFactory(code="justice")
    return ministry, regional, provincial, other, stranger


def test_ancestors_run_from_the_root_down_to_the_parent(chain):
    ministry, regional, provincial, _, _ = chain
    assert administration_ancestors(provincial) == [ministry, regional]
    assert administration_ancestors(ministry) == []


def test_a_supervisor_sees_the_whole_chain_below(chain):
    ministry, regional, provincial, other, stranger = chain
    assert set(administration_descendants(ministry)) == {regional, provincial, other}
    assert administration_descendants(provincial) == []
    assert administration_subtree_ids(regional) == {regional.pk, provincial.pk}
    assert stranger.pk not in administration_subtree_ids(ministry)


def test_tree_nests_children_under_parents(chain):
    provincial = chain[2]
    roots = {node.administration.code: node for node in administrations_tree()}
    assert set(roots) == {"sante", "justice"}
    children = {n.administration.code: n for n in roots["sante"].children}
    assert set(children) == {"drs-06", "drs-04"}
    assert [n.administration for n in children["drs-06"].children] == [provincial]


def test_an_administration_cannot_be_placed_below_itself(chain):
    ministry, _, provincial, _, _ = chain
    ministry.parent = provincial
    with pytest.raises(ValidationError):
        administration_save(actor=None, administration=ministry)


def test_administration_save_refreshes_search_text(chain):
    ministry = chain[0]
    ministry.name_fr = "Ministère de la Santé"
    administration_save(actor=None, administration=ministry)
    assert codes(administration_search("sante")) == ["sante"]
