"""GET /api/v1/administrations/ and GET /api/v1/complaint-subjects/."""

import pytest

from tawasul.complaints.models import Subject
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def test_administration_search_ignores_arabic_spelling_variants(client, administration, other_administration):
    response = client.get("/api/v1/administrations/", {"q": "المديريه العامه للضرائب"}, HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 200
    codes = [item["code"] for item in response.json()]
    assert codes[0] == "dgi-api" and "other-api" not in codes
    assert response.json()[0]["name"] == "المديرية العامة للضرائب"


def test_administration_names_follow_the_request_language(client, administration):
    (item,) = client.get("/api/v1/administrations/", {"q": "impots"}).json()

    assert item["name"] == "Direction générale des impôts"


def test_administration_list_is_bounded(client):
    for n in range(5):
        AdministrationFactory(code=f"many-{n}", name_fr=f"Agence {n}")

    response = client.get("/api/v1/administrations/", {"q": "agence", "limit": 3})

    assert len(response.json()) == 3


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 1000}, {"limit": "many"}, {"kind": "castle"}, {"q": "x" * 201}, {"other": 1}]
)
def test_bad_search_parameters_are_400(client, params):
    response = client.get("/api/v1/administrations/", params)

    assert response.status_code == 400
    assert response.json()["errors"]


def test_subjects_are_the_national_ones_and_the_administrations_own(
    client, administration, other_administration, subject, sub_subject
):
    Subject.objects.create(code="api-own", administration=administration, name_ar="خاص", name_fr="Propre")
    Subject.objects.create(code="api-foreign", administration=other_administration, name_ar="غيره")

    response = client.get("/api/v1/complaint-subjects/", {"administration": administration.code})

    assert response.status_code == 200
    by_code = {item["code"]: item for item in response.json()}
    assert "api-own" in by_code and "api-foreign" not in by_code
    assert by_code["api-delays"]["name"] == "Retards"
    assert by_code["api-delays"]["children"] == [{"code": "api-delays.documents", "name": "Documents"}]


def test_subjects_of_an_unknown_administration_is_400(client):
    response = client.get("/api/v1/complaint-subjects/", {"administration": "nope"})

    assert response.status_code == 400
    assert "administration" in response.json()["errors"]
