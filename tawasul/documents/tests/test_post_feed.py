"""The post's tracking feed (`POST /api/v1/post/events/`; tawasul.documents.postfeed, ADR 0042):
signed batches move orders in transit, delivered or returned as the platform, the requester sees
it and is told; a replay changes nothing and gets the same answer; a bad signature moves nothing;
no key, no feed; bad events are reported and never stop the others."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.core import mail

from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.services import case_transition
from tawasul.cases.tests.factories import make_case
from tawasul.documents.models import DocumentOrder
from tawasul.documents.services import order_hand_to_post
from tawasul.notifications.models import Notification

from .factories import make_order, officer_actor, pay

pytestmark = pytest.mark.django_db

URL = "/api/v1/post/events/"
KEY = "k3y-shared-with-the-post-0123456789abcdef"
#: UPU S10 check-digit weights (S10 standard, written out here independently of services.py).
WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10(serial: int, prefix: str = "RR", country: str = "MA") -> str:
    digits = f"{serial:08d}"
    check = 11 - sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"{prefix}{digits}{check}{country}"


@pytest.fixture(autouse=True)
def _feed(settings):
    settings.POST_FEED_KEY = KEY
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "feed": "1000/min", "track": "1000/min"}


def in_post(serial: int, **order_fields) -> Case:
    """An order paid, checked, issued and handed to the post with the letter `s10(serial)`."""
    case = make_order(**order_fields)
    pay(case)
    officer = officer_actor(case)
    case_transition(case=case, action="start_check", actor=officer)
    case_transition(case=case, action="issue", actor=officer)
    moved = order_hand_to_post(case=case, actor=officer, item_number=s10(serial))
    moved.tracking_token = case.tracking_token  # the raw secret, known only at filing
    return moved


def sign(body: bytes, key: str = KEY) -> str:
    return "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def send(client, body, *, signature: str | None = None, raw: bytes | None = None):
    data = raw if raw is not None else json.dumps(body).encode()
    headers = {} if signature == "" else {"HTTP_X_TAWASUL_SIGNATURE": signature or sign(data)}
    return client.post(URL, data=data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers)


def event(item: str, code: str, at: str, **fields) -> dict:
    return {"item": item, "code": code, "at": at, **fields}


def status(case: Case) -> str:
    return Case.objects.get(pk=case.pk).status


def track(client, case: Case) -> dict:
    response = client.post(
        "/api/v1/documents/orders/track/",
        data={"reference": case.reference, "email": case.email},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.content
    return response.json()


# --- Moves -------------------------------------------------------------------------------------------


def test_a_signed_batch_moves_the_order_in_transit_then_delivered(
    client, run_tasks, django_capture_on_commit_callbacks
):
    case = in_post(12345678)
    before = Notification.objects.filter(to=case.email, template="case_updated").count()
    body = {
        "events": [  # the carrier's order is not the times' order: the feed sorts them
            event(s10(12345678), "EMI", "2026-12-06T10:15:00+01:00", office="Rabat CTP", id="ev-3"),
            event(s10(12345678), "EMC", "2026-12-05T08:00:00+01:00", office="Casablanca CTP", id="ev-1"),
            event(s10(12345678), "EMG", "2026-12-06T07:00:00Z", id="ev-2"),
        ]
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, body)
    assert response.status_code == 200, response.content
    # EMG comes once the order is already in transit: nothing to change.
    assert response.json() == {"applied": 2, "ignored": [{"index": 2, "reason": "no_change"}]}
    assert status(case) == "delivered"
    moves = CaseEvent.objects.filter(case=case, action__in=("mark_in_transit", "mark_delivered")).order_by("pk")
    assert [(e.action, e.actor_role, e.actor_id, e.is_public) for e in moves] == [
        ("mark_in_transit", "system", None, True),
        ("mark_delivered", "system", None, True),
    ]
    assert moves[1].payload["post_event"] == "EMI" and moves[1].payload["post_office"] == "Rabat CTP"
    assert moves[1].payload["post_event_at"] == "2026-12-06T09:15:00+00:00"
    # The requester's timeline shows both, as the platform's.
    timeline = track(client, case)["timeline"]
    steps = [(entry["label"], entry["by"]) for entry in timeline if entry["action"].startswith("mark_")]
    assert steps == [("The letter is on its way", "system"), ("The letter was delivered", "system")]
    assert track(client, case)["status"] == "delivered"
    # ... and is told of each move, through the outbox, as for a move recorded by an officer.
    assert Notification.objects.filter(to=case.email, template="case_updated").count() == before + 2
    run_tasks()
    assert any(case.reference in message.subject + message.body for message in mail.outbox)


def test_the_same_batch_sent_again_changes_nothing_and_gets_the_same_answer(client, django_capture_on_commit_callbacks):
    case, other = in_post(11111111), in_post(22222222)
    body = {
        "events": [
            event(s10(11111111), "EMB", "2026-12-05T08:00:00+01:00", id="a1"),
            event(s10(11111111), "EMI", "2026-12-06T10:00:00+01:00", id="a2"),
            # no carrier id: the code and the time make the event the same event
            event(s10(22222222), "EMH", "2026-12-06T11:00:00+01:00", office="Agdal"),
            event(s10(99999999), "EMI", "2026-12-06T11:00:00+01:00", id="a4"),
        ]
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = send(client, body)
    events, notifications = CaseEvent.objects.count(), Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = send(client, body)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"applied": 3, "ignored": [{"index": 3, "reason": "unknown_item"}]}
    assert (CaseEvent.objects.count(), Notification.objects.count()) == (events, notifications)
    assert (status(case), status(other)) == ("delivered", "handed_to_post")
    # The same event under another time zone's notation is still the same event.
    same = {"events": [event(s10(22222222), "emh", "2026-12-06T10:00:00Z", office="Agdal")]}
    assert send(client, same).json() == {"applied": 1, "ignored": []}
    assert CaseEvent.objects.count() == events


def test_a_return_code_marks_the_letter_returned(client):
    case = in_post(33333333)
    response = send(client, {"events": [event(s10(33333333), "RTS", "2026-12-10T09:00:00+01:00", id="r1")]})
    assert response.json() == {"applied": 1, "ignored": []}
    assert status(case) == "returned"


def test_an_attempted_delivery_is_on_the_timeline_without_a_move(client, django_capture_on_commit_callbacks):
    case = in_post(44444444)
    before = Notification.objects.filter(to=case.email).count()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client, {"events": [event(s10(44444444), "EMH", "2026-12-06T10:00:00+01:00", office="Rabat Agdal")]}
        )
    assert response.json() == {"applied": 1, "ignored": []}
    assert status(case) == "handed_to_post"
    entry = track(client, case)["timeline"][-1]
    assert (entry["action"], entry["label"], entry["by"], entry["body"]) == (
        "post_delivery_attempted",
        "The post tried to deliver the letter",
        "system",
        "Rabat Agdal",
    )
    assert Notification.objects.filter(to=case.email).count() == before  # no new kind of email


def test_the_web_order_page_labels_the_attempt(client):
    case = in_post(45454545)
    send(client, {"events": [event(s10(45454545), "EMH", "2026-12-06T10:00:00+01:00")]})
    page = client.get(f"/en/documents/track/{case.reference}/{case.tracking_token}/", follow=True)
    assert "The post tried to deliver the letter" in page.content.decode()


def test_the_event_map_is_a_setting(client, settings):
    settings.POST_FEED_EVENT_MAP = {"LIV": "delivered"}
    case = in_post(55555555)
    response = send(
        client,
        {
            "events": [
                event(s10(55555555), "EMI", "2026-12-06T10:00:00+01:00"),
                event(s10(55555555), "liv", "2026-12-06T11:00:00+01:00"),
            ]
        },
    )
    assert response.json() == {"applied": 1, "ignored": [{"index": 0, "reason": "unknown_code"}]}
    assert status(case) == "delivered"


# --- What is left alone -----------------------------------------------------------------------------


def test_bad_events_are_reported_and_the_others_applied(client):
    good, delivered = in_post(66666666), in_post(77777777)
    case_transition(case=delivered, action="mark_delivered", actor=officer_actor(delivered))
    complaint = make_case(good.administration, portal="complaints")  # a case of another portal
    complaint_status, complaint_events = complaint.status, CaseEvent.objects.filter(case=complaint).count()
    at = "2026-12-06T10:00:00+01:00"
    body = {
        "events": [
            event(s10(88888888), "EMI", at),  # 0: no order has this letter
            event(s10(77777777), "EMC", at),  # 1: delivered by hand already
            {"item": s10(66666666), "at": at},  # 2: no code
            event(s10(66666666), "EMI", "2026-12-06T10:00:00"),  # 3: a time without its offset
            event(123456785, "EMI", at),  # 4: a number, not a string
            "EMI",  # 5: not an object
            event(s10(66666666), "EMI", at, extra="x"),  # 6: a key the feed does not know
            event("RR123456780MA", "EMI", at),  # 7: wrong check digit
            event(complaint.reference, "EMI", at),  # 8: another portal's reference
            event(s10(66666666), "EME", at),  # 9: customs: not in the map
            event(s10(66666666), "EMI", at, id="ok"),  # 10: applied
            event(s10(66666666), "EMI", "2026-12-06T12:00:00+01:00", id="late"),  # 11: already delivered
        ]
    }
    response = send(client, body)
    assert response.status_code == 200, response.content
    reasons = {entry["index"]: entry["reason"] for entry in response.json()["ignored"]}
    assert response.json()["applied"] == 1
    assert reasons == {
        0: "unknown_item",
        1: "not_applicable",
        2: "malformed",
        3: "malformed",
        4: "malformed",
        5: "malformed",
        6: "malformed",
        7: "invalid_item",
        8: "invalid_item",
        9: "unknown_code",
        11: "not_applicable",
    }
    assert [entry["index"] for entry in response.json()["ignored"]] == sorted(reasons)
    assert (status(good), status(delivered)) == ("delivered", "delivered")
    complaint.refresh_from_db()
    assert complaint.status == complaint_status
    assert CaseEvent.objects.filter(case=complaint).count() == complaint_events


def test_an_order_not_in_the_posts_hands_never_moves(client):
    case = make_order()
    pay(case)
    # An item number on an order the office has not handed to the post (say, typed on the order
    # then taken back): the feed has nothing to move.
    DocumentOrder.objects.filter(pk=case.pk).update(post_item_number=s10(10101010))
    response = send(client, {"events": [event(s10(10101010), "EMI", "2026-12-06T10:00:00+01:00")]})
    assert response.json() == {"applied": 0, "ignored": [{"index": 0, "reason": "not_applicable"}]}
    assert status(case) == "transmitted"


def test_two_orders_in_the_post_with_one_number_are_left_alone(client):
    first, second = in_post(30303030), in_post(40404040)
    order = second.document_order
    order.post_item_number = s10(30303030)
    order.save(update_fields=["post_item_number"])
    response = send(client, {"events": [event(s10(30303030), "EMI", "2026-12-06T10:00:00+01:00")]})
    assert response.json() == {"applied": 0, "ignored": [{"index": 0, "reason": "ambiguous_item"}]}
    assert (status(first), status(second)) == ("handed_to_post", "handed_to_post")


def test_the_item_number_is_read_as_the_office_types_it(client):
    case = in_post(50505050)
    spaced = " ".join([s10(50505050)[:2].lower(), s10(50505050)[2:11], s10(50505050)[11:].lower()])
    response = send(client, {"events": [event(spaced, "EMD", "2026-12-06T10:00:00+01:00")]})
    assert response.json() == {"applied": 1, "ignored": []}
    assert status(case) == "in_transit"


@pytest.mark.django_db(transaction=True)
def test_the_same_batch_twice_at_once_is_applied_once():
    """The carrier retries while its first call is still running: the case's row lock serialises
    them and the second finds the events applied. PostgreSQL only (SQLite refuses the second
    writer rather than waiting on a row)."""
    import threading

    from django.db import connection, connections

    from tawasul.documents.postfeed import PostEvent, post_events_apply
    from tawasul.documents.pricing import install_default_prices

    if connection.vendor != "postgresql":
        pytest.skip("row locks under concurrency are a PostgreSQL matter")
    install_default_prices()
    case = in_post(13131313)
    at = dt.datetime(2026, 12, 6, 10, tzinfo=dt.UTC)
    batch = [
        PostEvent(index=0, item=s10(13131313), code="EMH", at=at, id="x1"),
        PostEvent(index=1, item=s10(13131313), code="EMI", at=at + dt.timedelta(hours=1), id="x2"),
    ]
    barrier, answers, errors = threading.Barrier(3), [], []

    def apply():
        try:
            barrier.wait()
            answers.append(post_events_apply(events=batch))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert [(answer.applied, answer.ignored) for answer in answers] == [(2, [])] * 3
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions.count("post_delivery_attempted") == 1 and actions.count("mark_delivered") == 1
    assert status(case) == "delivered"


# --- The door: key, signature, batch ----------------------------------------------------------------


@pytest.mark.parametrize(
    "signature",
    [
        "",  # missing
        "sha256=" + "0" * 64,
        "sha1=" + "0" * 40,
        "nonsense",
        "sha256=é" + "0" * 63,
        sign(b'{"events": []}'),  # another body's
        sign(json.dumps({"events": []}).encode(), key="another-key"),
    ],
)
def test_a_missing_or_wrong_signature_is_403_and_moves_nothing(client, signature):
    case = in_post(60606060)
    body = {"events": [event(s10(60606060), "EMI", "2026-12-06T10:00:00+01:00")]}
    events = CaseEvent.objects.count()
    response = send(client, body, signature=signature)
    assert response.status_code == 403
    assert response.json() == {"errors": {"detail": ["The signature of the request is missing or wrong."]}}
    assert status(case) == "handed_to_post" and CaseEvent.objects.count() == events


def test_the_signature_may_use_capital_hex_digits(client):
    raw = json.dumps({"events": []}).encode()
    assert send(client, None, raw=raw, signature=sign(raw).upper().replace("SHA256=", "sha256=")).status_code == 200


def test_without_a_key_the_feed_is_off(client, settings):
    settings.POST_FEED_KEY = ""
    case = in_post(70707070)
    body = {"events": [event(s10(70707070), "EMI", "2026-12-06T10:00:00+01:00")]}
    response = send(client, body, signature=sign(json.dumps(body).encode(), key=""))
    assert response.status_code == 404
    assert response.json() == {"errors": {"detail": ["Not found."]}}
    assert status(case) == "handed_to_post"


@pytest.mark.parametrize("key", [KEY, ""])
def test_other_methods_get_405_feed_on_or_off(client, settings, key):
    settings.POST_FEED_KEY = key
    assert client.get(URL).status_code == 405
    assert client.put(URL, data=b"{}", content_type="application/json").status_code == 405


def test_more_than_500_events_are_refused_whole(client):
    case = in_post(80808080)
    body = {"events": [event(s10(80808080), "EMI", "2026-12-06T10:00:00+01:00", id=str(n)) for n in range(501)]}
    response = send(client, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["events"]
    assert status(case) == "handed_to_post"
    body["events"] = body["events"][:500]
    answer = send(client, body).json()
    # The first delivers; the 499 others (other carrier ids) find the order delivered.
    assert answer["applied"] == 1 and len(answer["ignored"]) == 499
    assert {entry["reason"] for entry in answer["ignored"]} == {"not_applicable"}
    assert status(case) == "delivered"


@pytest.mark.parametrize(
    "raw",
    [b"[]", b'{"events": {}}', b'{"events": [], "more": 1}', b"{}", b"not json", b'{"events": "EMI"}'],
)
def test_a_body_that_is_not_a_batch_is_400(client, raw):
    response = send(client, None, raw=raw)
    assert response.status_code == 400
    assert "errors" in response.json()


def test_a_body_larger_than_the_api_allows_is_400(client, settings):
    settings.API_MAX_JSON_BYTES = 1000
    raw = json.dumps({"events": [event(s10(1), "EMI", "2026-12-06T10:00:00Z", office="x" * 90)] * 20}).encode()
    assert send(client, None, raw=raw).status_code == 400


def test_the_operation_is_in_the_schema_with_its_signature_when_the_feed_is_on(client, settings):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"][URL]["post"]
    assert operation["security"] == [{"postFeedSignature": []}]
    assert schema["components"]["securitySchemes"]["postFeedSignature"]["name"] == "X-Tawasul-Signature"
    assert set(operation["responses"]) == {"200", "400", "403", "404", "415", "429"}
    assert schema["components"]["schemas"]["PostFeedRequestRequest"]["properties"]["events"]["maxItems"] == 500
    settings.POST_FEED_KEY = ""
    off = client.get("/api/v1/schema/?format=json").json()
    assert URL not in off["paths"] and "postFeedSignature" not in off["components"]["securitySchemes"]


@pytest.mark.slow
def test_schemathesis_finds_the_signed_operation_matches_its_schema(live_server, transactional_db):
    """The operation's schema against the server, the feed on: schemathesis's bodies for it, each
    sent signed (so that they reach the feed's logic) and unsigned (403); no 5xx, every status and
    body as documented."""
    import requests
    import schemathesis
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    in_post(90909090)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    operation = schema[URL]["POST"]
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    statuses = set()

    @given(case=operation.as_strategy())
    @hypothesis_settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def run(case):
        raw = json.dumps(case.body).encode()
        for signature in (sign(raw), "sha256=" + "0" * 64):
            response = requests.post(
                f"{live_server.url}{URL}",
                data=raw,
                headers={"Content-Type": "application/json", "X-Tawasul-Signature": signature},
                timeout=30,
            )
            statuses.add(response.status_code)
            case.validate_response(response, checks=checks)

    run()
    assert 200 in statuses and 403 in statuses
