"""The documents window's indicators (SPEC.md §9; docs/adr/0038), registered from `apps.py`.

A case portal: insights reads its case counters (per office administration and month of the order)
and this provider says what to show of them. Only orders the office has are counted: an order not
paid (or cancelled unpaid) was never transmitted (R3 "Paid before transmission";
`workflow.py` `unseen_by_staff`), so "received" is the paid orders.

- processed: issued or rejected by the office (the answer clock stops there, `workflow.py`);
- overdue: past the office's 7 calendar days from the transmission, open or answered late (R3
  "SLA target: 3–7 d", for display only: nothing escalates);
- rejected (then refunded) and returned by the post: by the order's status when counted;
- median times from the order to the issue and to the delivery (exact to the hour below 72 h).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from tawasul.cases.models import Case
from tawasul.core.figures import MEDIAN, SHARE, Column, Provider, month_bounds, register_provider

from .workflow import DOCUMENTS, KIND, PORTAL

#: The statuses of an order its office does not have (not paid, or cancelled unpaid; R3).
UNSEEN = DOCUMENTS.unseen_by_staff

REJECTED = frozenset({"rejected", "refund_pending", "refunded"})


def documents_open_data(month: date):
    """Orders of `month` the offices have (paid), per office administration and document type;
    processed: issued or rejected."""
    start, end = month_bounds(month)
    processed = Q(answered_at__isnull=False) | Q(closed_at__isnull=False)
    rows = (
        Case.objects.filter(portal=PORTAL, received_at__gte=start, received_at__lt=end)
        .exclude(status__in=sorted(UNSEEN))
        .order_by()
        .values("administration_id", "document_order__doc_type")
        .annotate(n=Count("pk"), processed=Count("pk", filter=processed))
    )
    for row in rows:
        yield row["administration_id"], row["document_order__doc_type"], row["n"], row["processed"]


PROVIDER = Provider(
    PORTAL,
    _("Civil-status documents"),
    kinds=(KIND,),
    reopens=False,
    position=30,
    columns=(
        Column("received", _("Orders received (paid)")),
        Column("processed_pct", _("Issued or rejected"), SHARE, "processed", "received"),
        Column("issue_time", _("Median time from the order to the issue"), MEDIAN),
        Column("delivery_time", _("Median time from the order to the delivery"), MEDIAN),
        Column("overdue", _("Past the office's 7 days")),
        Column("rejected", _("Rejected")),
        Column("returned", _("Returned by the post")),
    ),
    open_data=documents_open_data,
    status_counts={"rejected": REJECTED, "returned": frozenset({"returned"})},
    milestones={"issue_time": frozenset({"issue"}), "delivery_time": frozenset({"mark_delivered"})},
    note=_(
        "Civil-status documents: only paid orders are counted (an order is sent to the office once "
        "paid). Past the office's 7 days: not issued nor rejected within 7 calendar days of the "
        "payment. Rejected and returned: by the order's status today."
    ),
)


def register() -> None:
    register_provider(PROVIDER)
