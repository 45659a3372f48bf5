"""Who may open a document order on the citizen side (ARCHITECTURE.md §3.3), as for the other
portals: a visitor proves an order by its reference + email/phone (tracking form), by the secret
link sent by email, or by having just placed it; the proof is kept in the session. A signed-in
citizen opens the orders placed from the account. A proof opens one order only (the rules:
`tawasul.cases.tracking_proof`)."""

from __future__ import annotations

from tawasul.cases.tracking_proof import SessionProofs

from .workflow import PORTAL

PROOFS = SessionProofs(PORTAL, related=("administration", "document_order__office"))
remember_proof = PROOFS.remember
has_proof = PROOFS.has
#: The order with this reference if this visitor proved it; 404 otherwise.
access_requester_order = PROOFS.case
