"""Payment gateways. The platform picks one by dotted path in the `DOCUMENTS_PAYMENT_GATEWAY`
setting, as it picks its SMS gateway (`tawasul.notifications.gateways`).

A gateway is a class with `start(payment, *, request) -> str`: the address the payer is sent to
(the provider's page). The provider then calls back a view of the platform, which calls
`services.payment_confirm(token=..., provider_reference=..., amount=...)`: confirming is
idempotent, so a callback that arrives twice (or a payer who pays twice) never pays an order twice
(docs/adr/0028-document-order-price-and-payment.md). `is_demo` gateways take no money.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string


class PaymentGateway:
    is_demo = False

    def start(self, payment, *, request) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class DemoPaymentGateway(PaymentGateway):
    """The default: a page of ours, clearly labelled as a demonstration, whose button confirms the
    payment. No money is taken. A production deployment sets its bank's gateway."""

    is_demo = True

    def start(self, payment, *, request) -> str:
        return reverse("documents:demo_pay", args=[payment.token])


class CmiPaymentGateway(PaymentGateway):
    """Bank cards through the CMI's hosted payment page (Morocco; `tawasul.documents.cmi`,
    docs/adr/0040-cmi-card-gateway.md). The payer goes to a page of ours that holds the signed
    form and sends it on to the CMI; the CMI's callback confirms. Needs CMI_CLIENT_ID and
    CMI_STORE_KEY (a system check says so)."""

    def start(self, payment, *, request) -> str:
        return reverse("documents:cmi_pay", args=[payment.token])


def get_payment_gateway() -> PaymentGateway:
    return import_string(settings.DOCUMENTS_PAYMENT_GATEWAY)()
