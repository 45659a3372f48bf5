"""A requester's proof of a case, remembered in the session (ARCHITECTURE.md §3.3; SPEC.md §1
"Tracked requests"). Every portal's citizen side opens cases through one `SessionProofs`.

A visitor proves a case by its reference + the email or phone given at filing (the portal's
tracking form), by the secret link of the acknowledgement email, or by having just filed it. The
portal remembers the proof in the visitor's session (for the session's life), so that follow-up
actions do not ask for the email again. A signed-in citizen opens the cases filed from the
account without a proof.

What a remembered proof opens, and what it never opens:

- one case: it names the case's id, and the case is looked up by reference *and* portal;
- on one portal: each portal keeps its proofs under its own session key and neither remembers
  nor accepts a case of another portal;
- while the case's contact and secret stay what they were: the proof holds a keyed digest
  (HMAC under `SECRET_KEY`) of the case's id, reference, portal, email, phone and tracking-secret
  hash at the time of the proof. When any of them changes (the email is corrected, the identity
  is erased under law 09-08 and the secret replaced) the digest no longer matches and the
  visitor proves the case again.

An unknown reference and an unproven case get the same 404, so a URL reveals nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Case

__all__ = ["MAX_PROVEN_PER_SESSION", "SessionProofs"]

#: Maximum number of cases remembered per portal and session (a bound, not a rule of the domain).
MAX_PROVEN_PER_SESSION = 50
_KEY_SALT = "tawasul.cases.tracking_proof"


def _fingerprint(case: Case) -> str:
    """What the proof was given for: this case, on this portal, with this contact and secret."""
    parts = (case.portal, str(case.pk), case.reference, case.email, case.phone, case.tracking_token_hash)
    return salted_hmac(_KEY_SALT, "\x1f".join(parts), algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class SessionProofs:
    """The proofs of one portal's cases in the visitor's session.

    `related`: relations loaded with the case by `case()` (the portal's details, for its pages).
    """

    portal: str
    related: Sequence[str] = ("administration",)

    @property
    def session_key(self) -> str:
        return f"{self.portal}_proven_cases"

    def _proofs(self, request: HttpRequest) -> dict[str, str]:
        """{case id: fingerprint}, oldest first. The key's earlier value, a bare list of case ids
        (no fingerprint), proves nothing: such a visitor proves the case once more."""
        proofs = request.session.get(self.session_key)
        return proofs if isinstance(proofs, dict) else {}

    def remember(self, request: HttpRequest, case: Case) -> None:
        """This visitor proved `case` (tracking form, secret link, or filed it just now)."""
        if case.portal != self.portal:
            raise ValueError(f"a {case.portal} case is not proven on the {self.portal} portal")
        proofs = self._proofs(request)
        proofs.pop(str(case.pk), None)  # the newest last: the bound drops the oldest
        proofs[str(case.pk)] = _fingerprint(case)
        request.session[self.session_key] = dict(list(proofs.items())[-MAX_PROVEN_PER_SESSION:])

    def has(self, request: HttpRequest, case: Case) -> bool:
        """Whether this visitor may act as the requester of `case`: proven in this session for
        the case as it is now, or filed from the signed-in account."""
        if case.portal != self.portal:
            return False
        remembered = self._proofs(request).get(str(case.pk))
        if remembered is not None and constant_time_compare(remembered, _fingerprint(case)):
            return True
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated and case.requester_user_id == user.pk)

    def case(self, request: HttpRequest, reference: str) -> Case:
        """The portal's case with this reference if this visitor proved it; 404 otherwise (the
        same for an unknown reference)."""
        case = Case.objects.filter(portal=self.portal, reference=reference).select_related(*self.related).first()
        if case is None or not self.has(request, case):
            raise Http404
        return case
