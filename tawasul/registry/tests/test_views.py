"""The public directory and the JSON pickers, in Arabic and French."""

import json

import pytest
from django.test import override_settings

from .factories import AdministrationFactory, CommuneFactory, ProvinceFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    region = RegionFactory(code="04", iso_code="MA-04", name_ar="الرباط-سلا-القنيطرة", name_fr="Rabat-Salé-Kénitra")
    province = ProvinceFactory(code="04.421", region=region, name_ar="الرباط", name_fr="Rabat")
    CommuneFactory(code="04.421.01.0", province=province, name_ar="الرباط", name_fr="Rabat")
    ministry = AdministrationFactory(
        code="interieur", name_ar="وزارة الداخلية", name_fr="Ministère de l'Intérieur", phone="+212537000000"
    )
    AdministrationFactory(
        code="dgct",
        parent=ministry,
        name_ar="المديرية العامة للجماعات الترابية",
        name_fr="Direction générale des collectivités territoriales",
        kind="directorate",
        region=region,
    )
    return ministry


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_directory_answers_in_arabic_and_french(client, registry, lang):
    response = client.get(f"/{lang}/registry/")
    assert response.status_code == 200
    name = "وزارة الداخلية" if lang == "ar" else "Ministère de l&#x27;Intérieur"
    assert name in response.content.decode()


def test_directory_search_works_without_javascript(client, registry):
    response = client.get("/fr/registry/", {"q": "interieur"})
    body = response.content.decode()
    assert "/fr/registry/interieur/" in body
    assert "/fr/registry/dgct/" not in body


def test_directory_filters_by_region(client, registry):
    body = client.get("/ar/registry/", {"region": "04"}).content.decode()
    assert "/ar/registry/dgct/" in body
    assert "/ar/registry/interieur/" not in body


@override_settings(REGISTRY_DIRECTORY_PAGE_SIZE=2)
def test_directory_is_paginated_and_keeps_the_filters(client, registry):
    for i in range(3):
        AdministrationFactory(code=f"m-{i}", name_fr=f"Ministère {i}")
    body = client.get("/fr/registry/", {"kind": "ministry"}).content.decode()
    assert "kind=ministry&amp;page=2" in body
    assert client.get("/fr/registry/", {"kind": "ministry", "page": 2}).status_code == 200


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_detail_page_shows_names_contact_parent_and_children(client, registry, lang):
    body = client.get(f"/{lang}/registry/interieur/").content.decode()
    assert "وزارة الداخلية" in body and "Intérieur" in body
    assert "+212537000000" in body
    assert f"/{lang}/registry/dgct/" in body
    child = client.get(f"/{lang}/registry/dgct/").content.decode()
    assert f"/{lang}/registry/interieur/" in child


def test_unknown_administration_is_404(client, registry):
    assert client.get("/fr/registry/nothing-here/").status_code == 404


def test_provinces_json_lists_a_regions_provinces_by_hcp_or_iso_code(client, registry):
    for code in ("04", "MA-04"):
        data = json.loads(client.get("/fr/registry/provinces.json", {"region": code}).content)
        assert data == {"results": [{"code": "04.421", "name": "Rabat"}]}


def test_communes_json_names_follow_the_language_and_keep_arabic_unescaped(client, registry):
    response = client.get("/ar/registry/communes.json", {"province": "04.421"})
    assert response["Content-Type"] == "application/json"
    assert "الرباط" in response.content.decode()
    assert json.loads(client.get("/ar/registry/communes.json").content) == {"results": []}
