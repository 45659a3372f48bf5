"""Who may open an information request on the citizen side (ARCHITECTURE.md §3.3), as for
complaints: a visitor proves a case by its reference + email/phone (tracking form), by the secret
link sent by email, or by having just filed it; the proof is kept in the session. A signed-in
citizen opens the cases filed from the account. A proof opens one case only, and the complaints a
requester files from a proven request (same requester; the rules: `tawasul.cases.tracking_proof`)."""

from __future__ import annotations

from tawasul.cases.tracking_proof import SessionProofs

from .workflow import PORTAL

PROOFS = SessionProofs(PORTAL, related=("administration", "info_request"))
remember_proof = PROOFS.remember
has_proof = PROOFS.has
#: The request with this reference if this visitor proved it; 404 otherwise.
access_requester_case = PROOFS.case
