"""The OpenAPI schema validates and the docs are served without any CDN."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_generates_and_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    text = out.read_text()
    for path in ("/api/v1/complaints/", "/api/v1/track/", "/api/v1/cases/{reference}/reopen/"):
        assert path in text


def test_schema_endpoint_serves_openapi(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
    assert "trackingProof" in response.json()["components"]["securitySchemes"]


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_are_served_offline(client, url):
    response = client.get(url, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r"""(?:src|href)=["'](?:https?:)?//[^"']+""", html)
    assert external == []
    for host in ("cdn.", "jsdelivr", "unpkg", "googleapis", "cloudflare"):
        assert host not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


# --- The schema states the bounds the code enforces (schemathesis `positive_data_acceptance`) ---


def _schema(client) -> dict:
    return client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def _parameter(schema: dict, path: str, name: str, method: str = "get") -> dict:
    (parameter,) = (p for p in schema["paths"][path][method]["parameters"] if p["name"] == name)
    return parameter["schema"]


def _states(schema: dict, value: str) -> bool:
    """Whether a string parameter's schema allows `value` (JSON Schema, ECMA `^...$`: whole value)."""
    options = schema.get("oneOf") or [schema]
    for option in options:
        pattern = option.get("pattern")
        if option.get("minLength", 0) <= len(value) <= option.get("maxLength", len(value)) and (
            pattern is None or re.fullmatch(pattern.removeprefix("^").removesuffix("$"), value)
        ):
            return True
    return False


NEAR = {"lat": 34.0, "lon": -6.85}
#: (path, parameter, the other parameters it needs, lowest accepted, highest accepted or None)
PAGING = [
    ("/api/v1/facilities/", "limit", {}, 1, 500),
    ("/api/v1/facilities/", "offset", {}, 0, 2**31 - 1),
    ("/api/v1/facilities/", "administration", {}, 1, 2**63 - 1),  # an id: no overflow (a 500 before)
    ("/api/v1/facilities/nearest/", "administration", NEAR, 1, 2**63 - 1),
    ("/api/v1/facilities/nearest/", "n", NEAR, 1, 50),
    ("/api/v1/administrations/", "limit", {}, 1, 50),
]


@pytest.mark.parametrize("path, name, other, low, high", PAGING, ids=[f"{p} {n}" for p, n, *_ in PAGING])
def test_paging_parameters_state_the_bounds_the_api_enforces(client, path, name, other, low, high):
    bounds = _parameter(_schema(client), path, name)
    assert (bounds["type"], bounds["minimum"], bounds.get("maximum")) == ("integer", low, high)
    assert client.get(path, {**other, name: low}).status_code == 200
    refused = client.get(path, {**other, name: low - 1})
    assert refused.status_code == 400 and list(refused.json()["errors"]) == [name]
    if high is not None:
        assert client.get(path, {**other, name: high}).status_code == 200
        refused = client.get(path, {**other, name: high + 1})
        assert refused.status_code == 400 and list(refused.json()["errors"]) == [name]


def test_the_page_size_maximum_follows_its_setting(client, settings):
    settings.FACILITIES_API_PAGE_SIZE = 20
    assert _parameter(_schema(client), "/api/v1/facilities/", "limit")["maximum"] == 20
    assert client.get("/api/v1/facilities/", {"limit": 20}).status_code == 200
    assert client.get("/api/v1/facilities/", {"limit": 21}).status_code == 400


#: Text filters: a blank value (an empty form field) means "no filter"; the schema allows it.
BLANK_FILTERS = (
    [("/api/v1/facilities/", name, {}) for name in ("type", "region", "province", "commune", "service", "bbox")]
    + [("/api/v1/facilities/nearest/", name, NEAR) for name in ("type", "region", "province", "commune", "service")]
    + [("/api/v1/administrations/", name, {}) for name in ("q", "region")]
)


@pytest.mark.parametrize("path, name, other", BLANK_FILTERS, ids=[f"{p} {n}" for p, n, _ in BLANK_FILTERS])
def test_a_blank_filter_is_allowed_by_the_schema_and_means_no_filter(client, administration, path, name, other):
    assert _states(_parameter(_schema(client), path, name), "")
    unfiltered = client.get(path, other)
    blank = client.get(path, {**other, name: ""})
    assert blank.status_code == unfiltered.status_code == 200
    assert blank.json() == unfiltered.json()


@pytest.mark.parametrize("path, name, other", BLANK_FILTERS, ids=[f"{p} {n}" for p, n, _ in BLANK_FILTERS])
def test_a_filter_longer_than_the_schema_says_is_refused(client, path, name, other):
    longest = _parameter(_schema(client), path, name)
    longest = max(option["maxLength"] for option in longest.get("oneOf") or [longest])
    refused = client.get(path, {**other, name: "a" * (longest + 1)})
    assert refused.status_code == 400 and list(refused.json()["errors"]) == [name]


KEYS = ["", "a", "a" * 128, "a" * 129, "a b", "é", "a\n", "\t", "x-\x7f", *(chr(code) for code in range(0x80))]


@pytest.mark.parametrize("path", ["/api/v1/complaints/", "/api/v1/information-requests/"])
def test_the_idempotency_key_schema_accepts_exactly_the_keys_the_api_accepts(client, path):
    from rest_framework.exceptions import ValidationError

    from tawasul.api.complaints import _check_idempotency_key

    bounds = _parameter(_schema(client), path, "Idempotency-Key", method="post")
    assert (bounds["minLength"], bounds["maxLength"]) == (1, 128)
    for key in KEYS:
        try:
            accepted = _check_idempotency_key(key) == key
        except ValidationError:
            accepted = False
        assert _states(bounds, key) == accepted, repr(key)


def test_an_idempotency_key_one_past_the_schemas_length_is_refused(client, payload):
    assert client.post("/api/v1/complaints/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k" * 128).status_code == 201
    refused = client.post("/api/v1/complaints/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k" * 129)
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["Idempotency-Key"]
