"""Who may open a complaint on the citizen side (ARCHITECTURE.md §3.3).

A visitor proves a case by its reference + email/phone (tracking form), by the secret link sent
by email, or by having just filed it; the proof is kept in the session, so follow-up actions do
not ask for the email again. A signed-in citizen opens the cases filed from the account. A proof
is for one case only: it never opens another (the rules: `tawasul.cases.tracking_proof`).
"""

from __future__ import annotations

from tawasul.cases.tracking_proof import SessionProofs

from .workflow import PORTAL

PROOFS = SessionProofs(PORTAL, related=("administration", "complaint", "complaint__subject", "complaint__sub_subject"))
remember_proof = PROOFS.remember
has_proof = PROOFS.has
#: The complaint with this reference if this visitor proved it; 404 otherwise.
access_requester_case = PROOFS.case
