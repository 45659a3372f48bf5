"""The two hot paths of issue 7 (filing, tracking): query budgets and the hand-built JSON.

Budgets are deterministic stand-ins for speed in the test suite (BENCHMARKING.md). A filing with
an `Idempotency-Key` and a sub-subject, once its administration and subject are remembered (ADR
45), runs in a test's transaction case_create's savepoint and its release, the reference number's
statement and its rows: on PostgreSQL one statement for all of them (ADR 44), 4 queries; on SQLite
one INSERT each (case, event, complaint, email, the email's task), 8. Outside a test's transaction
BEGIN replaces the savepoint pair. (16 + 1 before issue 7, 12 before ADR 0021, 11 between ADR 0037
and ADR 0043, 10 before ADR 44 and 45.) A tracking look-up runs 1: the case, with its public
events, messages and files read by subqueries of the same SELECT (ADR 0056; 2 before), whatever
the case holds, and a wrong contact the same one query as an unknown reference. The public view
and the receipt are built as plain values: they must equal what their documented serializers
make of them.
"""

import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from tawasul.api.complaints import ComplaintReceiptSerializer
from tawasul.api.tracking import PublicCaseSerializer
from tawasul.cases.actors import Actor
from tawasul.cases.models import Case, Message
from tawasul.cases.services import case_add_message, case_transition

pytestmark = pytest.mark.django_db

OFFICER = Actor(user=None, roles=frozenset({"officer"}))


def png_file(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 30)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_a_filing_keeps_its_query_budget(client, payload, file_complaint, django_assert_max_num_queries):
    file_complaint()  # the counter row of the year exists, as on any day after the first filing
    with django_assert_max_num_queries(4 if connection.vendor == "postgresql" else 8):
        response = client.post("/api/v1/complaints/", payload, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert response.status_code == 201, response.content


def test_a_tracking_look_up_keeps_its_query_budget(client, file_complaint, django_assert_max_num_queries):
    filed = file_complaint()
    with django_assert_max_num_queries(1):
        response = client.post(
            "/api/v1/track/", {"reference": filed["reference"], "email": "amina@example.ma"}, format="json"
        )
    assert response.status_code == 200


def test_a_wrong_contact_costs_the_same_one_query_as_an_unknown_reference(client, file_complaint):
    filed = file_complaint()
    counts = []
    for body in (
        {"reference": filed["reference"], "email": "someone@example.ma"},
        {"reference": "CHK-2026-9999999-0", "email": "amina@example.ma"},
    ):
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/api/v1/track/", body, format="json")
        assert response.status_code == 404
        counts.append((len(queries), response.content))
    assert counts[0] == counts[1]
    assert counts[0][0] == 1


def test_the_public_view_is_what_its_serializer_makes_of_it(client, file_complaint):
    filed = file_complaint()
    case = Case.objects.get(reference=filed["reference"])
    case = case_transition(case=case, action="start", actor=OFFICER)
    case_add_message(case=case, actor=OFFICER, kind=Message.Kind.INTERNAL_NOTE, body="note interne")
    case_transition(case=case, action="answer", actor=OFFICER, note="تم تسليم الشهادة.")
    proof = {"HTTP_AUTHORIZATION": f"Tracking {filed['reference']}:{filed['tracking_token']}"}
    added = client.post(
        f"/api/v1/cases/{filed['reference']}/attachments/", {"file": png_file()}, format="multipart", **proof
    )
    assert added.status_code in (201, 409), added.content

    with CaptureQueriesContext(connection) as queries:  # everything the view shows, in one query
        response = client.post(
            "/api/v1/track/", {"reference": filed["reference"], "email": "amina@example.ma"}, format="json"
        )

    assert len(queries) == 1, [query["sql"][:120] for query in queries]
    body = response.json()
    assert body == dict(PublicCaseSerializer(body).data)
    # The same view as the secret's look-up builds it from its own history query.
    by_secret = client.get(f"/api/v1/cases/{filed['reference']}/", **proof).json()
    for view in (body, by_secret):
        for attachment in view["attachments"]:
            attachment["url"] = attachment["url"].split("signature=")[0]  # signed at that second
    assert body == by_secret and len(body["timeline"]) >= 4 and body["attachments"]
    assert [entry["type"] for entry in body["timeline"]].count("message") == 1  # the answer, not the note
    assert body["details"]["subject"] == "Retards" and body["details"]["reopen_until"]


def test_the_receipt_is_what_its_serializer_makes_of_it(file_complaint):
    body = file_complaint()
    assert body == dict(ComplaintReceiptSerializer(body).data)
    assert body["tracking_token"] and body["reference_spoken"].startswith("CHK ")
