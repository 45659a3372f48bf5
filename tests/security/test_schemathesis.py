"""Schemathesis against the OpenAPI schema, on the live server (issue 8 item 2).

Bounded: `SCHEMATHESIS_EXAMPLES` examples per operation (25). Checks: no 5xx, status codes and
content types documented, responses valid against the schema. Marked `slow`. The counts go to
`test-artifacts/security/schemathesis.json`.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "security" / "schemathesis.json"
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
TALLY: Counter = Counter()

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module", autouse=True)
def _record():
    yield
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps(dict(TALLY), indent=2, sort_keys=True))


@pytest.fixture
def live_api(live_server, settings, transactional_db):
    settings.API_THROTTLE_RATES = dict.fromkeys(settings.API_THROTTLE_RATES, "1000000/min")
    from tawasul.registry.tests.factories import AdministrationFactory

    AdministrationFactory(code="dgi-fuzz")
    return live_server.url


def _runner(operation, base_url: str, checks, failures: list[str]):
    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def run(case):
        response = case.call(base_url=base_url, headers={"Accept-Language": "fr"})
        TALLY["examples"] += 1
        if response.status_code >= 500:
            TALLY["5xx"] += 1
        try:
            case.validate_response(response, checks=checks)
        except Exception as error:
            failures.append(f"{operation.label}: {str(error)[:500]}")
            raise

    return run


def test_the_api_never_answers_5xx_and_matches_its_schema(live_api):
    schema = schemathesis.openapi.from_url(f"{live_api}/api/v1/schema/?format=json")
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        TALLY["operations"] += 1

        run = _runner(operation, live_api, checks, failures)
        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - reported below
            if not failures or not failures[-1].startswith(operation.label):
                failures.append(f"{operation.label}: could not run: {type(error).__name__}: {str(error)[:500]}")
    TALLY.setdefault("5xx", 0)
    assert not failures, "\n\n".join(failures)
