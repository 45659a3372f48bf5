"""Any JSON in any field gets a 4xx answer or a filed case, never a 500 (issue 3: "never 500").

Hypothesis replaces one field of a valid complaint (or the whole body) with arbitrary JSON; the
answer must be 201 or 400 in the API's error shape, and a 400 must not have stored a case.
"""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tawasul.cases.models import Case

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)
FIELDS = [
    "administration",
    "kind",
    "subject",
    "sub_subject",
    "description",
    "first_name",
    "last_name",
    "complainant_type",
    "id_type",
    "id_number",
    "email",
    "phone",
    "is_confidential",
    "region",
    "province",
    "commune",
    "place_address",
    "language",
    "consent",
]
FUZZ = hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    settings.API_THROTTLE_RATES = dict.fromkeys(settings.API_THROTTLE_RATES, "100000/min")


def _check(response, before):
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert isinstance(response.json()["errors"], dict)
        assert Case.objects.count() == before


@FUZZ
@given(field=st.sampled_from(FIELDS), value=json_values)
def test_any_value_in_any_field_is_never_a_500(client, payload, field, value):
    before = Case.objects.count()
    _check(client.post("/api/v1/complaints/", {**payload, field: value}, format="json"), before)


@FUZZ
@given(body=json_values)
def test_any_json_body_is_never_a_500(client, body, payload):
    before = Case.objects.count()
    _check(client.post("/api/v1/complaints/", body, format="json"), before)


@FUZZ
@given(body=json_values)
def test_any_json_body_on_track_is_400_or_404(client, body):
    response = client.post("/api/v1/track/", body, format="json")
    assert response.status_code in (400, 404), response.content
    assert response.json()["errors"]
