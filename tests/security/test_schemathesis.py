"""Schemathesis against the OpenAPI schema (issue 8 item 2): no 5xx, every response matches the schema.

Two tests, the counts in `test-artifacts/security/schemathesis.json` (one key each):

- `test_the_schemathesis_cli_finds_no_5xx_and_no_schema_mismatch_on_gunicorn` (`cli`): the
  `schemathesis run` command, as a CI job would run it, against gunicorn serving the platform as
  deployed (DEBUG off) on the test's own SQLite file, migrated in the test. Every phase (coverage,
  fuzzing, stateful), `SCHEMATHESIS_EXAMPLES` examples per operation (25), seed
  `SCHEMATHESIS_SEED` (fixed, so that CI is reproducible), every check but the three below (turned
  off in its `schemathesis.toml`). The tracked-case operations get a real case and its proof
  (`Authorization: Tracking ...`), so that the fuzzer reaches their logic instead of a 404. Its
  JUnit XML and NDJSON reports are parsed and kept in `test-artifacts/security/schemathesis-cli/`.
  It needs no test database (it brings its own server), so it is marked `processes`: it runs once
  per `make test` (see the Makefile).
  Checks left out, and why:
    - `positive_data_acceptance`: the schema cannot say that an administration code must exist,
      that the email or phone must be the one given at filing, and so on: such schema-valid
      requests get a documented 400.
    - `ignored_auth`, `missing_required_header` (tracked-case operations only): a missing or wrong
      proof answers 404, like an unknown reference, on purpose (nothing reveals whether a case
      exists; `tests/security/test_access_matrix.py`), where these checks want a 401.
- `test_the_api_never_answers_5xx_and_matches_its_schema` (`in_process`): schemathesis's
  hypothesis strategies against Django's live server, so on the test database: it is the one that
  runs against PostgreSQL in the PostgreSQL pass (a NUL byte, for instance, fails only there).
  Checks: no 5xx, status codes and content types documented, responses valid against the schema.

Both marked `slow`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
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

from .servers import Gunicorn, prepare_database

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "security" / "schemathesis.json"
REPORTS = ARTIFACT.parent / "schemathesis-cli"
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
SEED = int(os.environ.get("SCHEMATHESIS_SEED", "20260801"))
TALLY: Counter = Counter()
FIGURES: dict = {}

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module", autouse=True)
def _record():
    yield
    if TALLY:
        FIGURES["in_process"] = dict(TALLY)
    if FIGURES:
        ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
        try:
            previous = json.loads(ARTIFACT.read_text())
        except (OSError, ValueError):
            previous = {}
        previous = {key: value for key, value in previous.items() if key in ("cli", "in_process")}
        ARTIFACT.write_text(json.dumps({**previous, **FIGURES}, indent=2, sort_keys=True))


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


# --- The CLI against gunicorn ----------------------------------------------------------------------

UNLIMITED = "1000000/min"
#: Disabled on the operations that need the tracking proof: they answer 404, not 401, without it.
PROOF_CHECKS_OFF = "checks = { ignored_auth = { enabled = false }, missing_required_header = { enabled = false } }"


def _file(base_url: str, path: str, body: dict) -> tuple[str, str]:
    import requests

    response = requests.post(f"{base_url}{path}", json=body, headers={"Accept-Language": "fr"}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["reference"], response.json()["tracking_token"]


def _config(base_url: str, subject: str) -> str:
    """schemathesis.toml: a real complaint and information request, and their proofs."""
    person = {"first_name": "Amina", "last_name": "El Idrissi", "id_number": "AB123456", "consent": True}
    complaint = _file(
        base_url,
        "/api/v1/complaints/",
        {
            **person,
            "administration": "fault-x",
            "kind": "complaint",
            "subject": subject,
            "description": "Mon dossier de permis déposé en janvier n'a reçu aucune réponse.",
            "id_type": "cin",
            "email": "amina@example.ma",
        },
    )
    request = _file(
        base_url,
        "/api/v1/information-requests/",
        {
            **person,
            "administration": "fault-x",
            "subject": "Marchés publics 2025",
            "description": "La liste des marchés publics attribués par la commune en 2025.",
            "period_from": "2025-01-01",
            "period_to": "2025-12-31",
            "document_kinds": ["report"],
            "delivery_mode": "email",
            "requester_type": "ma_citizen",
            "address": "Hay Riad, Rabat",
            "email": "amina@example.ma",
            "lawful_use_undertaking": True,
        },
    )
    # Every check is on unless turned off here (checks named on the command line would override the
    # per-operation settings below).
    blocks = ['headers = { "Accept-Language" = "en" }\n\n[checks]\npositive_data_acceptance = { enabled = false }']
    for selector, (reference, token) in (
        ('include-path-regex = "^/api/v1/cases/"', complaint),
        ('include-path = "/api/v1/information-requests/{reference}/recourse/"', request),
    ):
        blocks.append(
            f"[[operations]]\n{selector}\nparameters = {{ reference = {json.dumps(reference)} }}\n"
            f"headers = {{ Authorization = {json.dumps(f'Tracking {reference}:{token}')} }}\n{PROOF_CHECKS_OFF}"
        )
    return "\n\n".join(blocks) + "\n"


def _ndjson_figures(path: Path) -> dict:
    cases = requests_sent = server_errors = 0
    statuses: Counter = Counter()
    examples_5xx: list[str] = []
    for line in path.read_text().splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished.get("recorder") or {}
        cases += len(recorder.get("cases") or {})
        for interaction in (recorder.get("interactions") or {}).values():
            response = interaction.get("response") or {}
            code = response.get("status_code")
            if code is None:
                continue
            requests_sent += 1
            statuses[code // 100 * 100] += 1
            if code >= 500:
                server_errors += 1
                request = interaction.get("request") or {}
                examples_5xx.append(f"{code} {request.get('method')} {request.get('uri')}")
    return {
        "test_cases": cases,
        "responses": requests_sent,
        "responses_by_class": {f"{code // 100}xx": count for code, count in sorted(statuses.items())},
        "5xx": server_errors,
        "5xx_examples": examples_5xx[:10],
    }


@pytest.mark.processes
def test_the_schemathesis_cli_finds_no_5xx_and_no_schema_mismatch_on_gunicorn(tmp_path):
    database = f"sqlite:///{tmp_path / 'api.sqlite3'}"
    subject = prepare_database(database)
    server = Gunicorn(
        database,
        workers=1,
        threads=4,
        log=tmp_path / "gunicorn.log",
        **{f"API_THROTTLE_{scope}": UNLIMITED for scope in ("SUBMIT", "TRACK", "REQUESTER", "LOOKUP")},
    )
    shutil.rmtree(REPORTS, ignore_errors=True)
    REPORTS.mkdir(parents=True)
    junit, ndjson = REPORTS / "junit.xml", REPORTS / "events.ndjson"
    try:
        server.start()
        config = tmp_path / "schemathesis.toml"
        config.write_text(_config(server.url, subject))
        cmd = [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(config),
            "run",
            f"{server.url}/api/v1/schema/?format=json",
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            str(SEED),
            "--request-timeout",
            "30",
            "--workers",
            "1",
            "--no-color",
            "--report",
            "junit,ndjson",
            "--report-junit-path",
            str(junit),
            "--report-ndjson-path",
            str(ndjson),
        ]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    finally:
        server.stop()
    output = run.stdout[-6000:] + run.stderr[-2000:]
    (REPORTS / "output.txt").write_text(run.stdout + run.stderr)
    assert junit.exists() and ndjson.exists(), f"schemathesis wrote no report ({run.returncode}):\n{output}"
    suite = ET.parse(junit).getroot()
    figures = {
        "schemathesis_version": _version(),
        "server": "gunicorn (config.wsgi, DEBUG off), SQLite",
        "max_examples_per_operation": EXAMPLES,
        "seed": SEED,
        "junit_testcases": len(suite.findall(".//testcase")),  # one per operation, one for the stateful phase
        "failures": int(suite.get("failures", 0)),
        "errors": int(suite.get("errors", 0)),
        "exit_code": run.returncode,
        **_ndjson_figures(ndjson),
    }
    FIGURES["cli"] = figures
    assert figures["responses"] > 0, output
    assert figures["5xx"] == 0, output
    assert figures["failures"] == 0 and figures["errors"] == 0, output
    assert run.returncode == 0, output


def _version() -> str:
    from importlib.metadata import version

    return version("schemathesis")
