"""Who may open the back office and which case (ARCHITECTURE.md §3.3; issue 4 "Security").

- `require_staff`: signed in (else the login page) and working on some administration's cases
  (else 403). National-unit and contact-center users hold no case role: the back office answers
  them 403 with a pointer to what they do use (decision: a 403 says "not for you" plainly,
  where an empty inbox would look like a broken one).
- `access_staff_case(user, reference)`: the case if it is among `staff_cases(user)`; `Http404`
  otherwise, the same for a foreign reference and a made-up one, so nothing leaks.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tawasul.cases.models import Case

from .selectors import has_case_role, staff_cases


def require_staff(view):
    """Login required; then a case role somewhere, else 403 (see the module docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_case_role(user):
            raise PermissionDenied("the back office is for the staff who handle cases")
        return view(request, *args, **kwargs)

    return wrapper


def access_staff_case(user, reference: str) -> Case:
    """The case with this exact reference among the user's; 404 for anything else."""
    case = staff_cases(user).filter(reference=reference).select_related("administration", "assignee").first()
    if case is None:
        raise Http404
    return case
