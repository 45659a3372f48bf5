"""The divisions come from real data (DOMAIN.md §10.3–10.4, R10)."""

import re

import pytest

from tawasul.registry.divisions import divisions_import
from tawasul.registry.models import Commune, Province, Region

pytestmark = pytest.mark.django_db

TIFINAGH = re.compile(r"^[\u2D30-\u2D7F\s\-]+$")


def test_import_gives_12_regions_83_provinces_1503_communes(divisions):
    assert (Region.objects.count(), Province.objects.count(), Commune.objects.count()) == (12, 83, 1503)
    assert (divisions.regions, divisions.provinces, divisions.communes) == (12, 83, 1503)


def test_regions_carry_hcp_and_iso_codes_in_order(divisions):
    assert list(Region.objects.values_list("code", "iso_code")) == [(f"{i:02d}", f"MA-{i:02d}") for i in range(1, 13)]


def test_province_kinds_are_62_provinces_13_prefectures_8_prefectures_of_arrondissements(divisions):
    assert Province.objects.filter(kind=Province.Kind.PROVINCE).count() == 62
    assert Province.objects.filter(kind=Province.Kind.PREFECTURE).count() == 13
    assert Province.objects.filter(kind=Province.Kind.PREFECTURE_ARRONDISSEMENTS).count() == 8


def test_commune_kinds_are_242_urban_and_1261_rural(divisions):
    assert Commune.objects.filter(kind=Commune.Kind.URBAN).count() == 242
    assert Commune.objects.filter(kind=Commune.Kind.RURAL).count() == 1261


def test_nouaceur_is_in_casablanca_settat_not_where_pycountry_puts_it(divisions):
    nouaceur = Province.objects.get(name_fr="Nouaceur")
    assert nouaceur.region.iso_code == "MA-06"
    assert nouaceur.name_ar == "النواصر"


def test_chtouka_ait_baha_is_in_souss_massa_not_where_pycountry_puts_it(divisions):
    chtouka = Province.objects.get(name_fr__startswith="Chtouka")
    assert chtouka.region.iso_code == "MA-09"


def test_every_commune_sits_in_the_province_its_hcp_code_names(divisions):
    for code, province_code in Commune.objects.values_list("code", "province__code"):
        assert code.startswith(province_code + ".")


def test_casablanca_commune_has_its_2024_population(divisions):
    casablanca = Commune.objects.get(code="06.141.01.0")
    assert (casablanca.name_fr, casablanca.name_ar) == ("Casablanca", "الدار البيضاء")
    assert casablanca.population > 3_000_000


def test_no_name_shows_an_eh_suffix(divisions):
    for model in (Region, Province, Commune):
        for names in model.objects.values_list("name_ar", "name_fr", "name_en", "name_zgh"):
            assert not any("(EH" in name for name in names)


def test_regions_have_official_names_in_four_languages(divisions):
    tanger = Region.objects.get(code="01")
    assert tanger.name_fr == "Tanger-Tétouan-Al Hoceïma"
    assert Region.objects.get(code="02").name_fr == "L'Oriental"
    for region in Region.objects.all():
        assert region.name_ar and region.name_fr
        assert region.name_en == region.name_fr
        assert TIFINAGH.match(region.name_zgh), region.name_zgh


def test_division_without_tifinagh_name_falls_back_to_arabic(divisions):
    fes = Province.objects.get(code="03.231")
    assert fes.name_zgh == ""
    assert fes.name("zgh") == "فاس"
    assert fes.name("en") == "Fès"  # English falls back to French first


def test_import_is_idempotent(divisions):
    again = divisions_import()
    assert (again.created, again.updated) == (0, 0)
    assert Commune.objects.count() == 1503


def test_import_repairs_a_changed_name(divisions):
    Region.objects.filter(code="06").update(name_fr="Casa")
    counts = divisions_import()
    assert counts.updated == 1
    assert Region.objects.get(code="06").name_fr == "Casablanca-Settat"
