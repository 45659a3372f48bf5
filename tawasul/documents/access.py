"""Who may open a document order on the citizen side (ARCHITECTURE.md §3.3), as for the other
portals: a visitor proves an order by its reference + email/phone (tracking form), by the secret
link sent by email, or by having just placed it; the proven case ids are kept in the session. A
signed-in citizen opens the orders placed from the account. A proof opens one order only."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from tawasul.cases.models import Case

from .workflow import PORTAL

SESSION_KEY = "documents_proven_cases"
#: Maximum number of case ids remembered per session (a bound, not a rule of the domain).
MAX_PROVEN_PER_SESSION = 50


def remember_proof(request: HttpRequest, case: Case) -> None:
    proven = [pk for pk in request.session.get(SESSION_KEY, []) if pk != case.pk]
    proven.append(case.pk)
    request.session[SESSION_KEY] = proven[-MAX_PROVEN_PER_SESSION:]


def has_proof(request: HttpRequest, case: Case) -> bool:
    if case.pk in request.session.get(SESSION_KEY, []):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and case.requester_user_id == user.pk)


def access_requester_order(request: HttpRequest, reference: str) -> Case:
    """The order with this reference if this visitor proved it; 404 otherwise (the same for an
    unknown reference, so the URL reveals nothing)."""
    case = (
        Case.objects.filter(portal=PORTAL, reference=reference)
        .select_related("administration", "document_order__office")
        .first()
    )
    if case is None or not has_proof(request, case):
        raise Http404
    return case
