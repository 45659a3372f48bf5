"""POST /api/v1/information-requests/ (same contract as complaints) and tracking through the
portal-generic POST /api/v1/track/; the endpoint is in the OpenAPI schema."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from tawasul.cases.models import Case
from tawasul.information.models import InfoRequest
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/information-requests/"


@pytest.fixture
def client():
    return APIClient(HTTP_ACCEPT_LANGUAGE="fr")


@pytest.fixture
def payload():
    body = AdministrationFactory(code="commune-api", name_ar="جماعة", name_fr="Commune")
    return {
        "administration": body.code,
        "subject": "Marchés publics 2025",
        "description": "La liste des marchés publics attribués par la commune en 2025.",
        "period_from": "2025-01-01",
        "period_to": "2025-12-31",
        "document_kinds": ["report"],
        "delivery_mode": "email",
        "requester_type": "ma_citizen",
        "first_name": "Youssef",
        "last_name": "Benali",
        "id_number": "bk445566",
        "address": "Hay Riad, Rabat",
        "email": "Youssef@Example.ma",
        "lawful_use_undertaking": True,
        "consent": True,
    }


def test_filing_answers_201_with_the_inf_reference_and_the_legal_date(client, payload):
    response = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get()
    assert body["reference"] == case.reference and body["reference"].startswith("INF-")
    assert dt.date.fromisoformat(body["answer_due"]) and body["tracking_token"]
    assert case.channel == "mobile_app" and case.id_number == "BK445566" and case.kind == "request"
    assert InfoRequest.objects.get(case=case).document_kinds == ["report"]
    again = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and "tracking_token" not in again.json()
    assert Case.objects.count() == 1
    payload["email"] = "someone.else@example.ma"
    assert client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1").status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lawful_use_undertaking": False}, "lawful_use_undertaking"),
        ({"consent": False}, "consent"),
        ({"id_number": "12"}, "id_number"),
        ({"email": ""}, "email"),
        ({"delivery_mode": "pigeon"}, "delivery_mode"),
        ({"is_urgent": True}, "urgency_reason"),
        ({"period_to": "2024-01-01"}, "period_to"),
        ({"administration": "nowhere"}, "administration"),
    ],
)
def test_bad_input_answers_400_and_stores_nothing(client, payload, change, field):
    payload.update(change)
    response = client.post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert not Case.objects.exists()


def test_urgent_request_over_the_api(client, payload):
    payload.update(is_urgent=True, urgency_reason="Une personne détenue a besoin de ce document.")
    assert client.post(URL, payload, format="json").status_code == 201
    assert Case.objects.get().kind == "urgent_request"


def test_tracking_with_the_contact_returns_the_public_view_and_a_wrong_one_404(client, payload):
    body = client.post(URL, payload, format="json").json()
    tracked = client.post(
        "/api/v1/track/", {"reference": body["reference"], "email": "youssef@example.ma"}, format="json"
    )
    assert tracked.status_code == 200
    assert tracked.json()["portal"] == "information" and tracked.json()["status"] == "submitted"
    wrong = client.post("/api/v1/track/", {"reference": body["reference"], "email": "x@example.ma"}, format="json")
    assert wrong.status_code == 404


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    assert "/api/v1/information-requests/" in schema and "information_request_create" in schema


def test_recourse_dates_over_the_api_with_the_tracking_secret(client, payload):
    from tawasul.information.services import info_request_refuse

    from .factories import staff_actor

    body = client.post(URL, payload, format="json").json()
    proof = {"HTTP_AUTHORIZATION": f"Tracking {body['reference']}:{body['tracking_token']}"}
    url = f"/api/v1/information-requests/{body['reference']}/recourse/"
    assert client.get(url, **proof).status_code == 204  # not refused
    case = Case.objects.get(reference=body["reference"])
    info_request_refuse(case=case, actor=staff_actor(case), ground="private_life", note="Données de tiers.")
    response = client.get(url, **proof)
    assert response.status_code == 200
    data = response.json()
    assert data["refusal"] == "refused" and data["can_file_head_complaint"] is True
    dt.date.fromisoformat(data["head_complaint_until"])
    assert client.get(url).status_code == 404  # no proof: the same 404 as an unknown reference
