"""Payment before transmission, and idempotent confirmation: paying twice never doubles anything."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tawasul.cases.models import CaseEvent
from tawasul.cases.services import CaseActionRefused, TransitionNotAllowed, case_transition
from tawasul.documents.models import Payment
from tawasul.documents.services import payment_confirm, payment_start
from tawasul.notifications.models import Notification

from .factories import make_order, officer_actor, pay

pytestmark = pytest.mark.django_db


def _events(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))


def test_an_unpaid_order_is_not_with_the_office():
    case = make_order()
    with pytest.raises(TransitionNotAllowed):
        case_transition(case=case, action="start_check", actor=officer_actor(case))
    case.refresh_from_db()
    assert case.status == "awaiting_payment" and case.document_order.paid_at is None


def test_payment_transmits_the_order_once():
    case = make_order()
    payment = pay(case)
    case.refresh_from_db()
    assert payment.status == Payment.Status.CONFIRMED
    assert case.status == "transmitted"
    assert case.document_order.paid_at is not None
    assert _events(case) == ["submitted", "confirm_payment", "transmit"]


def test_the_same_confirmation_twice_changes_nothing():
    case = make_order()
    payment = payment_start(case=case)
    payment_confirm(token=payment.token, provider_reference="bank-1")
    events, mails = CaseEvent.objects.count(), Notification.objects.count()
    again = payment_confirm(token=payment.token, provider_reference="bank-1")
    assert again.status == Payment.Status.CONFIRMED
    assert (CaseEvent.objects.count(), Notification.objects.count()) == (events, mails)


def test_a_second_attempt_paid_after_the_first_is_marked_to_refund():
    case = make_order()
    first, second = payment_start(case=case), payment_start(case=case)
    payment_confirm(token=first.token)
    events = CaseEvent.objects.count()
    late = payment_confirm(token=second.token)
    assert late.status == Payment.Status.DUPLICATE
    assert CaseEvent.objects.count() == events
    assert Payment.objects.filter(order=case.document_order, status="confirmed").count() == 1


def test_no_new_attempt_once_paid_and_a_wrong_amount_is_refused():
    case = make_order()
    payment = payment_start(case=case)
    with pytest.raises(ValidationError):
        payment_confirm(token=payment.token, amount=payment.amount + Decimal("1"))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    payment_confirm(token=payment.token, amount=payment.amount)
    case.refresh_from_db()
    with pytest.raises(CaseActionRefused):
        payment_start(case=case)


def test_an_unknown_token_is_refused():
    with pytest.raises(CaseActionRefused):
        payment_confirm(token="no-such-token")


def test_the_database_holds_one_confirmed_payment_per_order():
    case = make_order()
    first, second = payment_start(case=case), payment_start(case=case)
    payment_confirm(token=first.token)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=second.pk).update(status="confirmed")


def test_nobody_marks_an_order_paid_by_hand():
    case = make_order()
    with pytest.raises(TransitionNotAllowed):
        case_transition(case=case, action="confirm_payment", actor=officer_actor(case))


def test_demo_gateway_page_confirms_once(client):
    case = make_order()
    payment = payment_start(case=case)
    url = f"/fr/documents/pay/demo/{payment.token}/"
    assert client.get(url).status_code == 200
    client.post(url)
    client.post(url)
    case.refresh_from_db()
    assert case.status == "transmitted"
    assert _events(case).count("transmit") == 1


def test_demo_gateway_page_is_gone_with_another_gateway(client, settings):
    settings.DOCUMENTS_PAYMENT_GATEWAY = "tawasul.documents.tests.test_payment.BankGateway"
    payment = payment_start(case=make_order())
    assert client.post(f"/fr/documents/pay/demo/{payment.token}/").status_code == 404
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


class BankGateway:
    is_demo = False

    def start(self, payment, *, request):
        return f"https://bank.example/pay/{payment.token}"


def test_unpaid_orders_are_cancelled_after_three_days_and_a_late_payment_is_refunded():
    from datetime import timedelta

    from django.utils import timezone

    from tawasul.documents.tasks import cancel_unpaid_orders

    old, fresh, paid = make_order(), make_order(), make_order()
    pay(paid)
    late = payment_start(case=old)
    old.__class__.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=3, minutes=1))
    now = timezone.now()
    assert cancel_unpaid_orders(now=now) == 1
    assert cancel_unpaid_orders(now=now) == 0  # safe twice
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("cancelled", "awaiting_payment")
    assert payment_confirm(token=late.token).status == Payment.Status.DUPLICATE
    old.refresh_from_db()
    assert old.status == "cancelled"


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_pay_the_order_once():
    """Two callbacks of the gateway at the same moment (same attempt, and another attempt): the row
    locks serialise them; one payment confirmed, one transmission. PostgreSQL only: SQLite
    serialises whole-database writes and refuses the second writer rather than waiting on a row."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks under concurrency are a PostgreSQL matter")
    case = make_order()
    first, second = payment_start(case=case), payment_start(case=case)
    barrier = threading.Barrier(3)
    errors = []

    def confirm(token):
        try:
            barrier.wait()
            payment_confirm(token=token)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(t,)) for t in (first.token, first.token, second.token)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert _events(case).count("transmit") == 1
    assert Payment.objects.filter(order_id=case.pk, status="confirmed").count() == 1
