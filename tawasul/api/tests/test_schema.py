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
