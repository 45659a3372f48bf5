"""Background jobs of the documents window (ARCHITECTURE.md §3.8: small, idempotent)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from tawasul.cases.actors import Actor
from tawasul.cases.models import Case
from tawasul.cases.services import CaseActionRefused

from .services import order_cancel
from .workflow import PORTAL

#: An order not paid this many days after it was placed is cancelled (docs/adr/0028): the office
#: never sees it worked, and the requester's data does not wait in its inbox.
UNPAID_CANCEL_DAYS = 3
#: Orders cancelled per run (a bounded batch; the next run takes the rest).
BATCH = 500


def cancel_unpaid_orders(*, now=None) -> int:
    """Cancel the orders still waiting for their payment after UNPAID_CANCEL_DAYS. Safe twice and
    on several workers: each cancellation locks its case and re-checks its status, and a payment
    confirmed after the cancellation is marked to refund (services.payment_confirm)."""
    limit = (now or timezone.now()) - timedelta(days=UNPAID_CANCEL_DAYS)
    ids = list(
        Case.objects.filter(portal=PORTAL, status="awaiting_payment", received_at__lt=limit)
        .order_by("received_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    done = 0
    for case in Case.objects.filter(pk__in=ids):
        try:
            order_cancel(case=case, actor=Actor.system())
        except CaseActionRefused:
            continue  # paid or cancelled meanwhile
        done += 1
    return done


@task(queue_name="sweeps")
def documents_sweep() -> int:
    return cancel_unpaid_orders()
