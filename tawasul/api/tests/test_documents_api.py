"""The civil-status documents window over JSON: offices, prices, placing an order (R3) and
following it (`tawasul.api.documents`)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tawasul.cases.models import Case
from tawasul.documents.models import Payment
from tawasul.documents.tests.factories import make_office, order_fields, pay
from tawasul.registry.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db

OFFICES = "/api/v1/documents/offices/"
PRICES = "/api/v1/documents/prices/"
ORDERS = "/api/v1/documents/orders/"
TRACK = "/api/v1/documents/orders/track/"
ORDER_FIELDS = {*order_fields(), "office"}


@pytest.fixture(autouse=True)
def _default_prices():
    from tawasul.documents.pricing import install_default_prices

    install_default_prices()


@pytest.fixture
def office(db):
    return make_office(code="bec-rabat-hassan", name_fr="Bureau d'état civil de Hassan", commune=CommuneFactory())


@pytest.fixture
def order_body(office):
    """A valid order, as the mobile app sends it (JSON types)."""
    fields = order_fields(email="amina@example.ma")
    fields.pop("language")
    return {**fields, "office": office.code, "holder_birth_date": "1990-05-17"}


def place(client, body, **headers):
    response = client.post(ORDERS, body, format="json", **headers)
    assert response.status_code == 201, response.content
    return response.json()


# --- Offices ------------------------------------------------------------------------------------


def test_only_offices_that_joined_are_listed(client, office):
    make_office(code="bec-not-joined", joined=False)

    body = client.get(OFFICES).json()

    assert [row["code"] for row in body["results"]] == ["bec-rabat-hassan"]
    assert body["count"] == 1 and body["next_offset"] is None
    assert body["results"][0]["name"] == "Bureau d'état civil de Hassan"
    assert body["results"][0]["commune"] == office.commune.code


def test_offices_filter_by_commune_and_by_consulate_country(client, office):
    make_office(code="bec-elsewhere", commune=CommuneFactory())
    make_office(code="consulate-paris", kind="consulate", country="FR")
    make_office(code="consulate-madrid", kind="consulate", country="ES")

    by_commune = client.get(OFFICES, {"commune": office.commune.code}).json()
    consulates = client.get(OFFICES, {"kind": "consulate"}).json()
    in_france = client.get(OFFICES, {"kind": "consulate", "country": "fr"}).json()

    assert [row["code"] for row in by_commune["results"]] == ["bec-rabat-hassan"]
    assert {row["code"] for row in consulates["results"]} == {"consulate-paris", "consulate-madrid"}
    assert [row["code"] for row in in_france["results"]] == ["consulate-paris"]


def test_offices_are_paged(client, office):
    make_office(code="bec-second")

    first = client.get(OFFICES, {"limit": 1}).json()
    second = client.get(OFFICES, {"limit": 1, "offset": first["next_offset"]}).json()

    assert first["count"] == 2 and first["next_offset"] == 1 and second["next_offset"] is None
    assert {first["results"][0]["code"], second["results"][0]["code"]} == {"bec-rabat-hassan", "bec-second"}


def test_a_blank_filter_means_no_filter_and_a_bad_one_is_400(client, office):
    assert client.get(OFFICES, {"commune": "", "kind": ""}).json() == client.get(OFFICES).json()

    refused = client.get(OFFICES, {"kind": "embassy", "limit": 0})

    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"kind", "limit"}


def test_the_office_list_keeps_its_query_budget(client, office, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the count and the page
        assert client.get(OFFICES, {"commune": office.commune.code}).status_code == 200


# --- Prices -------------------------------------------------------------------------------------


def test_the_price_table_and_a_quote_for_abroad(client):
    body = client.get(PRICES, {"copies": 2, "country": "FR"}).json()

    assert body["currency"] == "MAD"
    assert {item["code"]: item["amount"] for item in body["items"]} == {
        "base": "20.00",
        "per_copy": "5.00",
        "postage_ma": "0.00",
        "postage_abroad": "30.00",
    }
    assert body["quote"] == {
        "copies": 2,
        "destination": "abroad",
        "base": "20.00",
        "per_copy": "5.00",
        "copies_amount": "10.00",
        "postage": "30.00",
        "total": "60.00",
    }
    assert client.get(PRICES).json()["quote"] is None


def test_a_quote_for_more_copies_than_allowed_is_400(client):
    refused = client.get(PRICES, {"copies": 11})

    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["copies"]


def test_the_price_table_keeps_its_query_budget(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert client.get(PRICES, {"copies": 1}).status_code == 200


# --- Placing an order -----------------------------------------------------------------------------


def test_an_order_answers_its_reference_price_and_payment_page(client, order_body):
    body = place(client, order_body)

    case = Case.objects.get(reference=body["reference"])
    assert case.portal == "documents" and case.channel == "mobile_app" and case.status == "awaiting_payment"
    assert body["reference"].startswith("DOC-") and body["tracking_token"]
    assert body["price"] == {
        "currency": "MAD",
        "base": "20.00",
        "per_copy": "5.00",
        "copies": 1,
        "postage": "0.00",
        "destination": "ma",
        "total": "25.00",
    }
    payment = Payment.objects.get(order_id=case.pk)
    assert body["payment_url"].startswith("http://testserver/") and payment.token in body["payment_url"]
    assert body["payment_is_demo"] is True
    assert case.document_order.holder_first_name_latin == "Amina" and case.phone == "+212612345678"


def test_the_payment_page_of_the_api_pays_the_order(client, order_body):
    body = place(client, order_body)

    page = client.post(body["payment_url"].removeprefix("http://testserver"))

    assert page.status_code == 302
    assert Case.objects.get(reference=body["reference"]).status == "transmitted"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"holder_first_name_ar": "Amina"}, "holder_first_name_ar"),  # not in Arabic letters
        ({"holder_last_name_latin": "العلوي"}, "holder_last_name_latin"),
        ({"act_number": "12A"}, "act_number"),
        ({"postal_code": "1000"}, "postal_code"),  # Morocco: five digits
        ({"phone": "12"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"office": "bec-not-joined"}, "office"),
        ({"copies": 0}, "copies"),
        ({"copies": "2"}, "copies"),  # a JSON string is not a number
        ({"holder_birth_date": "2999-01-01", "act_year": 2026}, "holder_birth_date"),
        ({"act_year": 1985}, "act_year"),  # before the birth
        ({"holder_birth_date": "2015-03-01", "act_year": 2015}, "orderer_relation"),  # a minor, not by a parent
        ({"orderer_relation": "parent"}, "orderer_relation"),  # an adult holder
        ({"doc_type": "birth_full_copy", "orderer_relation": "other"}, "orderer_relation"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_the_web_forms_rules_are_400_on_their_field_and_store_nothing(client, order_body, changes, field):
    make_office(code="bec-not-joined", joined=False)

    response = client.post(ORDERS, {**order_body, **changes}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert not Case.objects.exists()


def test_a_minors_record_ordered_by_a_parent_and_a_delivery_abroad(client, order_body):
    body = place(
        client,
        {
            **order_body,
            "holder_birth_date": "2015-03-01",
            "act_year": 2015,
            "orderer_relation": "parent",
            "country": "FR",
            "postal_code": "75011",
        },
    )

    assert body["price"]["destination"] == "abroad" and body["price"]["total"] == "55.00"


def test_messages_are_in_the_language_of_the_request(client, order_body):
    response = client.post(ORDERS, {**order_body, "holder_first_name_ar": "Amina"}, format="json")
    arabic = client.post(
        ORDERS, {**order_body, "holder_first_name_ar": "Amina"}, format="json", HTTP_ACCEPT_LANGUAGE="ar"
    )

    assert response.json()["errors"]["holder_first_name_ar"] != arabic.json()["errors"]["holder_first_name_ar"]


def test_the_same_idempotency_key_gives_the_same_order_and_payment_page(client, order_body):
    key = str(uuid.uuid4())
    first = place(client, order_body, HTTP_IDEMPOTENCY_KEY=key)

    again = client.post(ORDERS, order_body, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert again.status_code == 200
    assert again.json()["reference"] == first["reference"]
    assert again.json()["payment_url"] == first["payment_url"]
    assert "tracking_token" not in again.json()
    assert Case.objects.count() == 1 and Payment.objects.count() == 1


def test_the_same_key_with_another_contact_is_409_and_reveals_nothing(client, order_body):
    key = str(uuid.uuid4())
    first = place(client, order_body, HTTP_IDEMPOTENCY_KEY=key)

    other = client.post(ORDERS, {**order_body, "email": "someone@example.ma"}, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert other.status_code == 409 and list(other.json()["errors"]) == ["detail"]
    assert first["reference"] not in other.content.decode()


def test_a_paid_order_retried_has_no_payment_page(client, order_body):
    key = str(uuid.uuid4())
    first = place(client, order_body, HTTP_IDEMPOTENCY_KEY=key)
    pay(Case.objects.get(reference=first["reference"]))

    again = client.post(ORDERS, order_body, format="json", HTTP_IDEMPOTENCY_KEY=key).json()

    assert again["payment_url"] is None and again["status"] == "transmitted"


def test_a_malformed_idempotency_key_is_400(client, order_body):
    refused = client.post(ORDERS, order_body, format="json", HTTP_IDEMPOTENCY_KEY="a b")

    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["Idempotency-Key"]


# --- Following an order ---------------------------------------------------------------------------


def test_tracking_shows_the_status_price_and_timeline(client, order_body):
    placed = place(client, order_body)
    pay(Case.objects.get(reference=placed["reference"]))

    response = client.post(TRACK, {"reference": placed["reference"], "email": "Amina@Example.ma"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "transmitted" and body["status_label"]
    assert body["office"]["code"] == "bec-rabat-hassan" and body["price"]["total"] == "25.00"
    assert body["paid_at"] and body["expected_by"] and body["is_open"] and not body["awaiting_payment"]
    assert [entry["action"] for entry in body["timeline"]] == ["submitted", "confirm_payment", "transmit"]
    assert body["timeline"][0]["label"] and all(entry["by"] in ("requester", "system") for entry in body["timeline"])


def test_tracking_with_the_phone_works_too(client, order_body):
    placed = place(client, order_body)

    response = client.post(TRACK, {"reference": placed["reference"], "phone": "06 12 34 56 78"}, format="json")

    assert response.status_code == 200


def test_tracking_shows_no_personal_data(client, order_body):
    placed = place(client, order_body)

    text = client.post(TRACK, {"reference": placed["reference"], "email": "amina@example.ma"}, format="json")
    text = text.content.decode()

    for personal in ("amina@example.ma", "+212612345678", "Alaoui", "العلوي", "1990-05-17", "Mohammed V", "1234"):
        assert personal not in text
    assert "tracking_token" not in text


def test_wrong_email_reveals_nothing(client, order_body, file_complaint):
    placed = place(client, order_body)
    complaint = file_complaint()
    answers = [
        client.post(TRACK, {"reference": placed["reference"], "email": "someone@example.ma"}, format="json"),
        client.post(TRACK, {"reference": "DOC-2026-9999999-0", "email": "amina@example.ma"}, format="json"),
        # A reference of another portal, with its right email: not an order.
        client.post(TRACK, {"reference": complaint["reference"], "email": "amina@example.ma"}, format="json"),
    ]

    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1
    assert placed["reference"] not in answers[0].content.decode()


def test_tracking_needs_exactly_one_contact(client):
    response = client.post(TRACK, {"reference": "DOC-2026-0000001-0"}, format="json")

    assert response.status_code == 400 and list(response.json()["errors"]) == ["email"]


def test_tracking_keeps_its_query_budget_and_a_wrong_contact_costs_one_query(client, order_body):
    placed = place(client, order_body)
    with CaptureQueriesContext(connection) as found:
        response = client.post(TRACK, {"reference": placed["reference"], "email": "amina@example.ma"}, format="json")
    assert response.status_code == 200
    counts = []
    for body in (
        {"reference": placed["reference"], "email": "x@example.ma"},
        {"reference": "DOC-2026-9999999-0", "email": "amina@example.ma"},
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.post(TRACK, body, format="json").status_code == 404
        counts.append(len(queries))

    assert len(found) <= 2  # the order with its office; its public timeline
    assert counts == [1, 1]


def test_the_tracking_view_is_what_its_serializer_makes_of_it(client, order_body):
    from tawasul.api.documents import DocumentOrderReceiptSerializer, DocumentOrderViewSerializer

    placed = place(client, order_body)
    body = client.post(TRACK, {"reference": placed["reference"], "email": "amina@example.ma"}, format="json").json()

    assert body == dict(DocumentOrderViewSerializer(body).data)
    assert placed == dict(DocumentOrderReceiptSerializer(placed).data)


# --- The schema -----------------------------------------------------------------------------------


def test_the_schema_documents_the_endpoints(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert set(schema["paths"][OFFICES]) == {"get"}
    assert set(schema["paths"][PRICES]) == {"get"}
    assert set(schema["paths"][ORDERS]) == {"post"}
    assert set(schema["paths"][TRACK]) == {"post"}
    create = schema["paths"][ORDERS]["post"]
    assert {"201", "200", "400", "409", "429"} <= set(create["responses"])
    assert [p["name"] for p in create["parameters"]] == ["Idempotency-Key"]


# --- Any JSON ----------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)
FUZZ = hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(field=st.sampled_from(sorted(ORDER_FIELDS)), value=json_values)
def test_any_value_in_any_field_of_an_order_is_201_or_400_never_500(client, settings, order_body, field, value):
    settings.API_THROTTLE_RATES = dict.fromkeys(settings.API_THROTTLE_RATES, "100000/min")
    before = Case.objects.count()

    response = client.post(ORDERS, {**order_body, field: value}, format="json")

    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert isinstance(response.json()["errors"], dict) and Case.objects.count() == before


# --- Paying again ---------------------------------------------------------------------------------


def _payment(client, reference, token):
    return client.post(
        f"/api/v1/documents/orders/{reference}/payment/", HTTP_AUTHORIZATION=f"Tracking {reference}:{token}"
    )


def test_an_unpaid_order_gets_its_payment_page_again_with_its_tracking_secret(client, order_body):
    placed = place(client, order_body)

    again = _payment(client, placed["reference"], placed["tracking_token"])

    assert again.status_code == 200, again.content
    assert again.json()["payment_url"] == placed["payment_url"]  # the pending payment, not a second one
    assert Payment.objects.filter(order__case__reference=placed["reference"]).count() == 1


def test_a_paid_order_has_no_payment_page_to_give(client, order_body):
    placed = place(client, order_body)
    pay(Case.objects.get(reference=placed["reference"]))

    refused = _payment(client, placed["reference"], placed["tracking_token"])

    assert refused.status_code == 409


def test_paying_again_needs_the_order_own_secret(client, order_body):
    placed = place(client, order_body)
    other = place(client, {**order_body, "email": "someone@example.ma"})

    wrong_token = _payment(client, placed["reference"], other["tracking_token"])
    no_proof = client.post(f"/api/v1/documents/orders/{placed['reference']}/payment/")

    assert wrong_token.status_code == no_proof.status_code == 404
    assert wrong_token.json() == no_proof.json()
