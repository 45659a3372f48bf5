"""Query budgets of the hot endpoints (issue 7: "query-count budgets in the test suite for every
hot endpoint"; BENCHMARKING.md: deterministic budgets here, timings only in `bench/`).

A budget is the number measured when it was set: a change that adds a query to one of these
paths fails here and has to say why (or find another way). No query may touch the cache table:
rate limits count in their own cache (`tawasul.api.throttles`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tawasul.complaints.models import Subject
from tawasul.complaints.selectors import public_statistics
from tawasul.complaints.tests.factories import make_complaint
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

#: Administration look-up; subject and sub-subject in one (ADR 0033); case_create's savepoint (2:
#: this test runs inside a transaction; a real filing has none, ADR 0021); the reference number (one
#: statement); INSERTs of the case, its event, the notification, the sending task's row (written in
#: the filing's transaction since ADR 0033: before, it came after commit and was not counted here,
#: a test's transaction never reaching it), the complaint. (11 from ADR 0037 to ADR 0043: an UPDATE
#: wrote the number over a stand-in reference; the number is now taken before the case's INSERT.)
SUBMISSION_BUDGET = 10
#: The case joined to its administration and complaint details, its public events, messages and
#: files read by subqueries of the same SELECT (ADR 0056; 2 with ADR 0024's UNION ALL; was 5).
TRACKING_BUDGET = 1
#: The watermark with the newest event's id; the counters summed per administration, and per
#: month (nothing changed since the last refresh).
STATISTICS_BUDGET = 3


@pytest.fixture
def client():
    return APIClient(HTTP_ACCEPT_LANGUAGE="fr")


@pytest.fixture
def payload(db):
    administration = AdministrationFactory(code="budget-adm")
    subject = Subject.objects.create(code="budget-delays", name_ar="التأخر", name_fr="Retards", position=1)
    sub = Subject.objects.create(code="budget-delays.docs", parent=subject, name_ar="الوثائق", name_fr="Documents")
    return {
        "administration": administration.code,
        "kind": "complaint",
        "subject": subject.code,
        "sub_subject": sub.code,
        "description": "لم أتوصل بشهادة الإقامة رغم مرور شهرين على إيداع الطلب.",
        "first_name": "أمينة",
        "last_name": "الإدريسي",
        "id_type": "cin",
        "id_number": "ab123456",
        "email": "amina@example.ma",
        "consent": True,
    }


def _queries(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    sql = [query["sql"] for query in captured.captured_queries]
    assert not [q for q in sql if "tawasul_cache" in q], "the throttle must not use the database cache"
    return response, len(sql)


def test_submission_stays_within_its_query_budget(client, payload):
    client.post("/api/v1/complaints/", payload, format="json", HTTP_IDEMPOTENCY_KEY="warm-up")

    response, count = _queries(
        lambda: client.post("/api/v1/complaints/", payload, format="json", HTTP_IDEMPOTENCY_KEY="budget-1")
    )

    assert response.status_code == 201
    assert count <= SUBMISSION_BUDGET


def test_a_retry_with_the_same_key_files_nothing_more(client, payload):
    first = client.post("/api/v1/complaints/", payload, format="json", HTTP_IDEMPOTENCY_KEY="retry-1").json()

    retry, count = _queries(
        lambda: client.post("/api/v1/complaints/", payload, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    )

    assert retry.status_code == 200 and retry.json()["reference"] == first["reference"]
    assert count <= SUBMISSION_BUDGET + 2  # the rolled-back attempt, then the earlier case


def test_tracking_stays_within_its_query_budget(client, payload):
    filed = client.post("/api/v1/complaints/", payload, format="json").json()
    body = {"reference": filed["reference"], "email": payload["email"]}

    response, count = _queries(lambda: client.post("/api/v1/track/", body, format="json"))

    assert response.status_code == 200 and response.json()["details"]["subject"] == "Retards"
    assert count <= TRACKING_BUDGET


def test_a_wrong_contact_costs_one_query(client, payload):
    filed = client.post("/api/v1/complaints/", payload, format="json").json()
    body = {"reference": filed["reference"], "email": "someone@else.ma"}

    response, count = _queries(lambda: client.post("/api/v1/track/", body, format="json"))

    assert response.status_code == 404
    assert count == 1


def test_statistics_read_the_counters_not_the_complaints(settings):
    for _ in range(3):
        make_complaint()
    public_statistics()  # builds the counters

    _stats, count = _queries(public_statistics)

    assert count <= STATISTICS_BUDGET
