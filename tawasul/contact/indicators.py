"""The contact center's indicators (SPEC.md §9: "contact-center questions by category";
DOMAIN.md §6, R6; docs/adr/0038), registered from `apps.py`.

The contact center sits on insights' own rung of the import ladder: neither imports the other, so
it registers its provider with `tawasul.core.figures` itself. Per administration concerned (None:
the question concerned none, which only the national view shows) and month (the stored Morocco
`day`): contacts by channel and by category, callbacks asked for and those made within the
promised time. One grouped query, whatever the number of administrations; counts only (no note,
name or phone is read).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from tawasul.core.figures import SHARE, Column, Figures, Key, Period, Provider, month_after, register_provider

from .models import CallbackStatus, Category, Channel, Contact
from .selectors import callback_promise

PORTAL = "contact"


def contact_figures(period: Period, administrations: Iterable[int] | None) -> dict[Key, Figures]:
    contacts = Contact.objects.filter(day__gte=period.start, day__lte=period.last_day).order_by()
    if administrations is not None:
        contacts = contacts.filter(administration_id__in=list(administrations))
    asked = ~Q(callback_status=CallbackStatus.NONE)
    in_time = Q(
        callback_status=CallbackStatus.DONE,
        # R6's answer time for a written question (a callback request is written from the
        # assistant's form), `CONTACT_CALLBACK_WITHIN_DAYS`: the form itself promises no delay.
        callback_handled_at__lte=F("created_at") + callback_promise(),
    )
    rows = (
        contacts.annotate(month=TruncMonth("day"))
        .values("administration_id", "month", "channel", "category")
        .annotate(n=Count("pk"), callbacks=Count("pk", filter=asked), in_time=Count("pk", filter=in_time))
    )
    out: dict[Key, Figures] = {}
    for row in rows:
        fig = out.setdefault((row["administration_id"], row["month"]), Figures())
        fig.received += row["n"]
        for name, count in (
            (f"channel_{row['channel']}", row["n"]),
            (f"category_{row['category']}", row["n"]),
            ("callbacks", row["callbacks"]),
            ("callbacks_in_time", row["in_time"]),
        ):
            fig.extra[name] = fig.extra.get(name, 0) + count
    return out


def contact_open_data(month: date):
    """Contacts of `month` (Morocco days) per administration concerned and category."""
    rows = (
        Contact.objects.filter(day__gte=month, day__lt=month_after(month))
        .order_by()
        .values("administration_id", "category")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        yield row["administration_id"], row["category"], row["n"], None


PROVIDER = Provider(
    PORTAL,
    _("Contact center"),
    contact_figures,
    position=50,
    chart="received",
    open_data=contact_open_data,
    open_data_processed=False,
    columns=(
        Column("received", _("Contacts")),
        *(Column(f"channel_{value}", label) for value, label in Channel.choices),
        *(Column(f"category_{value}", label) for value, label in Category.choices),
        Column("callbacks", _("Callbacks asked for")),
        Column("callbacks_in_time", _("Called back in time"), SHARE, "callbacks_in_time", "callbacks"),
    ),
    note=_(
        "Contact center: contacts by the day they came, by channel and by category; callbacks "
        "asked for from the online assistant, and the share made in time (within the answer time "
        "of a written question, 3 days unless the platform sets another)."
    ),
)


def register() -> None:
    register_provider(PROVIDER)
