"""A complaint filed through the API outside any transaction, on PostgreSQL: one statement takes
its number and keys (ADR 0054) and writes its five rows, and it is the whole transaction (ADR
0049). The tests run outside the test's own transaction (`transaction=True`), as a request does."""

import itertools
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from tawasul.cases.models import Case, CaseEvent
from tawasul.complaints.models import Complaint
from tawasul.core.references import check_character, parse_reference
from tawasul.notifications.models import Notification

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement per filing on PostgreSQL only"),
]

URL = "/api/v1/complaints/"
ROWS = (Case, CaseEvent, Complaint, Notification)


def _counts():
    return {model.__name__: model.objects.count() for model in ROWS}


def test_a_filing_sends_its_number_and_its_rows_and_no_transaction_commands(client, payload):
    client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="one-statement-0")  # the look-ups, remembered
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="one-statement-1")

    assert response.status_code == 201
    (sent,) = [query["sql"] for query in queries]
    assert sent.startswith('WITH "k" AS (SELECT core_reference_issue(')
    assert '"w0" AS (INSERT INTO "cases_case"' in sent
    case = Case.objects.get(reference=response.json()["reference"])
    email = Notification.objects.get(subject_ref=case.reference)
    assert CaseEvent.objects.filter(case=case, action="submitted").count() == 1
    assert Complaint.objects.filter(case=case).count() == 1
    assert email.status == "pending" and email.next_attempt_at is not None  # its own job (ADR 0060)
    assert DBTaskResult.objects.count() == 0


def test_the_values_the_statement_took_are_in_every_row_and_in_the_answer(client, payload):
    """The number and the keys are taken by the rows' statement: the case's reference, its email's
    context and tracking link and the API's answer all hold the same ones."""
    response = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="one-statement-values")

    body = response.json()
    case = Case.objects.get(reference=body["reference"])
    assert parse_reference(case.reference) is not None
    assert CaseEvent.objects.get(case=case).action == "submitted"
    assert Complaint.objects.get(case=case).case_id == case.pk
    email = Notification.objects.get(subject_ref=case.reference)
    assert email.context["reference"] == case.reference
    link = urlsplit(email.context["tracking_url"])
    assert case.reference in link.path and body["tracking_token"] in link.path
    assert link.path.rstrip("/").split("/")[-2:] == [case.reference, body["tracking_token"]]


def test_consecutive_filings_take_consecutive_numbers(client, payload):
    references = [
        parse_reference(
            client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY=f"one-statement-n{i}").json()["reference"]
        )
        for i in range(6)  # under the API's rate of filings
    ]
    numbers = [reference.sequence for reference in references]
    assert numbers == sorted(numbers) and len(set(numbers)) == 6
    for before, after in itertools.pairwise(numbers):  # only numbers without a check symbol are skipped
        assert all(
            check_character(references[0].prefix, references[0].year, skipped) is None
            for skipped in range(before + 1, after)
        )


def test_a_retry_with_the_same_key_writes_nothing_more(client, payload):
    first = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="one-statement-2")
    before = _counts()

    again = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="one-statement-2")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]
    assert _counts() == before == dict.fromkeys(before, 1)
    assert DBTaskResult.objects.count() == 0


def test_a_filing_that_fails_after_taking_its_number_writes_no_row(client, payload, monkeypatch):
    from tawasul.cases import services

    def broken(*args, **kwargs):
        raise RuntimeError("the outbox is broken")

    monkeypatch.setattr(services, "_notify_requester", broken)
    client.raise_request_exception = False

    response = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="one-statement-3")

    assert response.status_code == 500
    assert _counts() == dict.fromkeys(_counts(), 0)
    monkeypatch.undo()
    assert client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="one-statement-3").status_code == 201
