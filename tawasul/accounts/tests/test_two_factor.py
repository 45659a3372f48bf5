"""Staff two-factor policy (StaffTwoFactorMiddleware) and allauth's TOTP step at sign-in."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse
from django.utils import translation

from tawasul.accounts.roles import Role
from tawasul.accounts.testing import enrol_totp, totp_code

from .factories import PASSWORD, MembershipFactory, UserFactory, make_administration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.STAFF_2FA_REQUIRED = True


@pytest.fixture
def officer():
    return MembershipFactory(administration=make_administration(), role=Role.OFFICER).user


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def test_staff_without_totp_is_sent_to_enrolment_from_any_page(client, officer):
    client.force_login(officer)
    for url in (reverse("home:index"), reverse("account_email"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")


def test_the_redirect_says_why(client, officer):
    client.force_login(officer)
    with translation.override("en"):
        response = client.get(reverse("home:index"), follow=True)
    assert response.status_code == 200
    assert "Staff accounts must use two-factor authentication" in response.content.decode()


def test_django_staff_and_superusers_count_as_staff(client):
    for user in (UserFactory(is_staff=True), UserFactory(is_superuser=True)):
        client.force_login(user)
        assert client.get(reverse("home:index"))["Location"] == reverse("mfa_activate_totp")


def test_enrolment_logout_language_and_health_stay_open(client, officer):
    client.force_login(officer)
    assert client.get(reverse("account_logout")).status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    response = client.get("/fr/language/?next=/fr/accounts/logout/")
    assert response["Location"] == "/fr/accounts/logout/"
    # The activation page itself first asks for the password again (allauth's reauthentication):
    # that page is open too, so there is no redirect loop.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) <= 1


def test_staff_with_totp_pass(client, officer):
    enrol_totp(officer)
    client.force_login(officer)
    assert client.get(reverse("home:index")).status_code == 200


def test_citizen_is_never_redirected(client):
    client.force_login(UserFactory())
    assert client.get(reverse("home:index")).status_code == 200
    assert client.get(reverse("account_email")).status_code == 200


def test_nobody_is_redirected_when_not_required(client, settings, officer):
    settings.STAFF_2FA_REQUIRED = False
    client.force_login(officer)
    assert client.get(reverse("home:index")).status_code == 200


def test_an_ended_membership_is_not_staff(client):
    import datetime

    from django.utils import timezone

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    former = MembershipFactory(
        administration=make_administration(), starts_on=yesterday - datetime.timedelta(days=9), ends_on=yesterday
    ).user
    client.force_login(former)
    assert client.get(reverse("home:index")).status_code == 200


def test_htmx_requests_are_told_to_navigate(client, officer):
    client.force_login(officer)
    response = client.get(reverse("home:index"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def test_staff_enrol_through_the_activation_form_then_work(client, officer):
    response = sign_in(client, officer)
    assert response.status_code == 302
    assert client.get(reverse("home:index"))["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before adding an authenticator.
    page = client.get(reverse("mfa_activate_totp"))
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(page["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("home:index")).status_code == 200


def test_sign_in_of_an_enrolled_user_asks_for_the_code(client, officer):
    secret = enrol_totp(officer)
    response = sign_in(client, officer)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet: the home page is anonymous.
    assert not client.get(reverse("home:index")).wsgi_request.user.is_authenticated

    wrong_code = "000000" if totp_code(secret) != "000000" else "111111"
    wrong = client.post(reverse("mfa_authenticate"), {"code": wrong_code})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    assert not client.get(reverse("home:index")).wsgi_request.user.is_authenticated

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert right.status_code == 302
    home = client.get(reverse("home:index"))
    assert home.status_code == 200
    assert home.wsgi_request.user == officer


def test_required_by_default_outside_demo_mode_and_tests():
    """The production default: nobody sets STAFF_2FA_REQUIRED, and staff must enrol."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k not in ("TAWASUL_TESTING", "TAWASUL_DEMO", "STAFF_2FA_REQUIRED")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    probe = "import django; django.setup(); from django.conf import settings; print(settings.STAFF_2FA_REQUIRED)"
    for extra, expected in (({}, "True"), ({"TAWASUL_DEMO": "1"}, "False")):
        out = subprocess.run(
            [sys.executable, "-c", probe], env={**env, **extra}, cwd=settings.BASE_DIR, capture_output=True, text=True
        )
        assert out.stdout.strip().splitlines()[-1] == expected, out.stderr
