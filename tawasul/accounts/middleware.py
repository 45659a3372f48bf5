"""Staff two-factor policy (issue 2 item 6): staff must enrol TOTP before they work.

When `settings.STAFF_2FA_REQUIRED` is on (the default outside demo mode), a signed-in staff member
(a membership in force, or a Django `is_staff`/`is_superuser` account) without a TOTP authenticator
is sent to allauth's TOTP activation page from every page, except the few pages needed to enrol,
to sign out, to switch language, the health check and static files. Once enrolled, allauth asks
for the code at each login (its `mfa_authenticate` stage).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import is_staff_member

#: URL names a staff member without TOTP may still open.
EXEMPT_URL_NAMES = frozenset(
    {
        # enrolment (allauth.mfa), and the password re-check allauth asks before it
        "mfa_index",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        # leaving, and the language switchers
        "account_logout",
        "set_language",
        "home:set_language",
        "healthz",
    }
)


def needs_totp(user) -> bool:
    """Whether this user is staff and has no TOTP authenticator yet."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not (user.is_staff or user.is_superuser or is_staff_member(user)):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.STAFF_2FA_REQUIRED:
            return None
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_URL_NAMES:
            return None
        if not needs_totp(request.user):
            return None
        target = reverse("mfa_activate_totp")
        messages.warning(
            request,
            _(
                "Staff accounts must use two-factor authentication. Set up an authenticator app "
                "(TOTP) to continue; you will then be asked for its code at each sign-in."
            ),
        )
        if request.headers.get("HX-Request"):
            # htmx swaps the body of a redirect into the page; ask it to navigate instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
