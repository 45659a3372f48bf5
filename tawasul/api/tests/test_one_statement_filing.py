"""A complaint filed through the API outside any transaction, on PostgreSQL: its number and keys
in one statement, its five rows in another, which is the whole transaction (ADR 0049). The tests
run outside the test's own transaction (`transaction=True`), as a request does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from tawasul.cases.models import Case, CaseEvent
from tawasul.complaints.models import Complaint
from tawasul.notifications.models import Notification

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement per filing on PostgreSQL only"),
]

URL = "/api/v1/complaints/"
ROWS = (Case, CaseEvent, Complaint, Notification, DBTaskResult)


def _counts():
    return {model.__name__: model.objects.count() for model in ROWS}


def test_a_filing_sends_its_number_and_its_rows_and_no_transaction_commands(client, payload):
    client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="one-statement-0")  # the look-ups, remembered
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="one-statement-1")

    assert response.status_code == 201
    sent = [query["sql"] for query in queries]
    assert sent[0].startswith("SELECT core_reference_next(")
    assert sent[-1].startswith('WITH "w0" AS (INSERT INTO "cases_case"')
    assert len(sent) == 2 or all(sql.startswith("SELECT core_reference_next(") for sql in sent[1:-1])  # skipped numbers
    assert not {"BEGIN", "COMMIT", "ROLLBACK"} & set(sent)
    case = Case.objects.get(reference=response.json()["reference"])
    email = Notification.objects.get(subject_ref=case.reference)
    assert CaseEvent.objects.filter(case=case, action="submitted").count() == 1
    assert Complaint.objects.filter(case=case).count() == 1
    assert DBTaskResult.objects.filter(args_kwargs={"args": [email.pk], "kwargs": {}}).count() == 1


def test_a_retry_with_the_same_key_writes_nothing_more(client, payload):
    first = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="one-statement-2")
    before = _counts()

    again = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="one-statement-2")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]
    assert _counts() == before == dict.fromkeys(before, 1)


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
