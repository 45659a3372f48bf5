"""Routes of the civil-status documents window (tawasul.documents), merged into `routes.ROUTES`.

Citizen A's order (`documents_order_a`, at administration X's civil-status office) opens for A
only (the account, or a session holding the proof); the office works orders in the back office,
whose routes are declared in `routes.py`. The demo payment page needs the payment's secret token:
whoever holds it may pay (as on a bank's page).
"""

from __future__ import annotations

from .routes import NOBODY, REQUESTER_A, allow, public

ROUTES = {
    "documents:index": public(),
    "documents:offices": public(),
    "documents:order": public(),
    "documents:order_detail": allow(REQUESTER_A, reference="documents_order_a.reference"),
    "documents:order_pay": allow(REQUESTER_A, method="POST", reference="documents_order_a.reference"),
    "documents:order_cancel": allow(REQUESTER_A, method="POST", reference="documents_order_a.reference"),
    "documents:demo_pay": public(token="documents_payment_a.token", note="the payment's secret token is the proof"),
    # The CMI card gateway's pages answer 404 unless it is the configured gateway (the world runs the
    # demo one); with it configured, tawasul/documents/tests/test_cmi_gateway.py tries them: the
    # payment's secret token is the proof, the callback's proof is its HASH.
    "documents:cmi_pay": allow(NOBODY, token="documents_payment_a.token", note="404 unless the CMI gateway is set"),
    "documents:cmi_ok": allow(NOBODY, token="documents_payment_a.token", note="404 unless the CMI gateway is set"),
    "documents:cmi_fail": allow(NOBODY, token="documents_payment_a.token", note="404 unless the CMI gateway is set"),
    "documents:cmi_callback": allow(NOBODY, method="POST", note="404 unless the CMI gateway is set"),
    "documents:track": public(),
    "documents:track_link": public(
        reference="documents_order_a.reference",
        token="documents_order_a.tracking_token",
        note="the secret link is the proof",
    ),
}
