"""The API's own middleware chain (tawasul.core.api_chain, docs/adr/0041) leaves out the HTML
portals' layers. Each test here tries to use a missing layer against the API, or checks that what
the API keeps (security headers, the language, the 503) is still there."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from tawasul.accounts.roles import Role
from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.tests.factories import make_staff
from tawasul.complaints.tests.factories import api_filing, make_complaint
from tawasul.core.api_chain import ApiChainMiddleware
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

#: Every layer of the portals' chain that the API does not run, and why it need not.
NOT_ON_THE_API = {
    "whitenoise.middleware.WhiteNoiseMiddleware": "static files are served under /static/, never /api/",
    "tawasul.insights.visits.VisitCounterMiddleware": "it counts HTML page views; JSON answers never counted",
    "django.contrib.sessions.middleware.SessionMiddleware": "the API has no session",
    "django.middleware.locale.LocaleMiddleware": "ApiLanguageMiddleware: Accept-Language alone, no URL prefix",
    "django.middleware.csrf.CsrfViewMiddleware": "no cookie authenticates an API request, so no forgery",
    "django.contrib.auth.middleware.AuthenticationMiddleware": "no signed-in user: DRF has no authentication class",
    "django.contrib.messages.middleware.MessageMiddleware": "no flash messages in JSON",
    "django_htmx.middleware.HtmxMiddleware": "no htmx request goes to the API",
    "allauth.account.middleware.AccountMiddleware": "no sign-in flow on the API",
    "tawasul.accounts.middleware.StaffTwoFactorMiddleware": "no staff account acts through the API",
    "tawasul.core.ratelimits.PublicFormRateLimitMiddleware": "the API's throttles (tawasul.api.throttles)",
    "axes.middleware.AxesMiddleware": "no password is ever checked by the API",
}
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
)


def test_every_layer_the_api_skips_is_named_with_the_reason_it_need_not_run():
    assert settings.MIDDLEWARE[0] == "tawasul.core.api_chain.ApiChainMiddleware"
    skipped = [layer for layer in settings.MIDDLEWARE[1:] if layer not in settings.API_MIDDLEWARE]
    assert sorted(skipped) == sorted(NOT_ON_THE_API), "a new layer must be put on the API or named here"


def test_the_api_chain_keeps_the_security_layers_in_the_portals_order():
    portal_security = settings.MIDDLEWARE[1:5]
    assert settings.API_MIDDLEWARE[:4] == portal_security
    assert "tawasul.core.middleware.DatabaseUnavailableMiddleware" in portal_security


def test_only_api_paths_take_the_api_chain(rf):
    seen = []
    middleware = ApiChainMiddleware(lambda request: seen.append(request.path) or "portal chain")
    assert middleware(rf.get("/fr/complaints/")) == "portal chain"
    assert middleware(rf.get("/apiv1/")) == "portal chain"
    assert middleware(rf.get("/api/v1/complaint-subjects/")).status_code == 200
    assert seen == ["/fr/complaints/", "/apiv1/"]


@pytest.mark.parametrize("secure", [False, True])
def test_api_answers_carry_every_security_header_of_the_portals(settings, secure):
    settings.SECURE_HSTS_SECONDS = 3600
    client = Client()
    page = client.get("/fr/complaints/", secure=secure)
    answer = client.get("/api/v1/complaint-subjects/", secure=secure)
    assert page.status_code == answer.status_code == 200
    on_the_page = [header for header in SECURITY_HEADERS if header in page]
    assert "Content-Security-Policy" in on_the_page and "X-Frame-Options" in on_the_page
    assert ("Strict-Transport-Security" in on_the_page) is secure
    for header in on_the_page:
        assert answer[header] == page[header], header


def test_a_staff_session_cookie_opens_no_case_on_the_api():
    administration = AdministrationFactory()
    case = make_complaint(administration)
    officer = make_staff(administration, role=Role.OFFICER)
    client = Client()
    client.force_login(officer)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value

    detail = client.get(f"/api/v1/cases/{case.reference}/")
    anonymous = Client().get(f"/api/v1/cases/{case.reference}/")
    assert detail.status_code == anonymous.status_code == 404
    assert detail.json() == anonymous.json()
    track = client.post(
        "/api/v1/track/", {"reference": case.reference, "email": "other@example.ma"}, content_type="application/json"
    )
    assert track.status_code == 404


def test_the_api_reads_no_session_and_sets_no_cookie():
    administration = AdministrationFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff(administration, role=Role.OFFICER))
    answer = client.get("/api/v1/complaint-subjects/")
    assert answer.status_code == 200
    assert not answer.cookies
    assert not hasattr(answer.wsgi_request, "session")
    assert getattr(answer.wsgi_request, "user", None) is None


def test_a_cross_site_post_carrying_a_staff_cookie_files_as_an_anonymous_requester():
    """No CSRF check runs on the API: a forged POST from another site, sent with an officer's
    cookies, must act as nobody, as a request without cookies does."""
    administration = AdministrationFactory()
    officer = make_staff(administration, role=Role.OFFICER)
    client = Client(enforce_csrf_checks=True, HTTP_ORIGIN="https://evil.example")
    client.force_login(officer)
    answer = client.post("/api/v1/complaints/", json.dumps(api_filing(administration)), content_type="application/json")
    assert answer.status_code == 201, answer.content
    case = Case.objects.get(reference=answer.json()["reference"])
    assert case.requester_user_id is None
    assert not CaseEvent.objects.filter(case=case, actor=officer).exists()
    assert set(CaseEvent.objects.filter(case=case).values_list("actor_role", flat=True)) <= {"requester", "system"}


def test_no_api_operation_takes_a_password_so_no_lockout_is_needed():
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "password" not in schema.lower()
    login = Client().post("/api/v1/login/", {"login": "x", "password": "y"}, content_type="application/json")
    assert login.status_code == 404


def test_the_api_language_comes_from_accept_language_not_from_the_portals_cookie():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    answer = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="ar")
    assert answer.status_code == 404
    assert answer["Content-Language"] == "ar"
    assert "Accept-Language" in answer["Vary"]
    french = Client().get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert french["Content-Language"] == "fr"
    assert answer.json() != french.json()
    unknown = Client().get("/api/v1/complaint-subjects/", HTTP_ACCEPT_LANGUAGE="de")
    assert unknown["Content-Language"] == settings.LANGUAGE_CODE


def test_the_api_throttle_still_limits_a_client(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "track": "2/min"}
    client = Client(REMOTE_ADDR="203.0.113.7")
    body = {"reference": "CHK-2026-0000001-0", "email": "a@example.ma"}
    codes = [client.post("/api/v1/track/", body, content_type="application/json").status_code for _ in range(3)]
    assert codes == [404, 404, 429]
