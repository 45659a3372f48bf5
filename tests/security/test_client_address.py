"""The client's address behind a reverse proxy: one answer for every per-client limit.

`tawasul.core.clientaddress.client_address()` is read by django-ratelimit (public forms, HTML
tracking), django-axes (login lockout), allauth (its login limits) and the API throttles. With 0
trusted proxies (the default) a forged `X-Forwarded-For` changes nothing; with 1, two citizens
behind the proxy get their own limits and lockouts, and a client that prepends made-up addresses
to the header is still counted at its own.
"""

from __future__ import annotations

import pytest
from allauth.account.adapter import get_adapter
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django_ratelimit.core import _get_ip
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import BaseThrottle

from tawasul.accounts.tests.factories import PASSWORD, UserFactory
from tawasul.api.throttles import ScopedIPThrottle
from tawasul.complaints.tests.factories import valid_form_data
from tawasul.core.clientaddress import client_address
from tawasul.registry.tests.factories import AdministrationFactory

PROXY = "10.0.0.2"  # what gunicorn sees as REMOTE_ADDR behind nginx
AMINA, YOUSSEF = "203.0.113.5", "198.51.100.9"
LOCKED = 429


def request(remote_addr=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def via_proxy(address):
    """What nginx (`proxy_add_x_forwarded_for`) passes on for a client at `address`."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


def url(name):
    with translation.override("fr"):
        return reverse(name)


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


# --- The rule ---------------------------------------------------------------------------------------


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(AMINA, forwarded="1.2.3.4")) == AMINA
    assert client_address(request(AMINA)) == AMINA


def test_behind_one_proxy_the_client_is_the_right_most_entry(one_proxy):
    assert client_address(request(forwarded=AMINA)) == AMINA
    assert client_address(request(forwarded=f" 1.2.3.4 ,  {AMINA} ")) == AMINA


def test_a_client_cannot_choose_its_address_by_prepending_entries(one_proxy):
    for forged in ("1.2.3.4", "1.2.3.4, 5.6.7.8", "unknown", f"{YOUSSEF}, 127.0.0.1"):
        assert client_address(request(forwarded=f"{forged}, {AMINA}")) == AMINA


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request(forwarded=f"1.2.3.4, {AMINA}, 10.0.0.1")) == AMINA


def test_an_entry_that_is_no_address_falls_back_to_the_peer(one_proxy):
    assert client_address(request(forwarded="1.2.3.4, unknown")) == PROXY
    assert client_address(request(forwarded="   ")) == PROXY
    assert client_address(request()) == PROXY


def test_ipv6_addresses_are_written_one_way(one_proxy):
    assert client_address(request(forwarded="[2001:DB8::0001]")) == "2001:db8::1"
    assert client_address(request(forwarded="2001:db8:0:0::1")) == "2001:db8::1"


@pytest.mark.parametrize("count", [0, 1, 2, 3])
@pytest.mark.parametrize(
    "forwarded",
    [None, AMINA, f"1.2.3.4, {AMINA}", f"1.2.3.4, {AMINA}, 10.0.0.1", f"9.9.9.9, 1.2.3.4, {AMINA}, 10.0.0.1"],
)
def test_the_rule_is_drfs_num_proxies_rule(settings, count, forwarded):
    """Any DRF throttle left on DRF's own get_ident counts the same client (NUM_PROXIES follows
    TRUSTED_PROXY_COUNT in settings)."""
    settings.TRUSTED_PROXY_COUNT = count
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}
    assert api_settings.NUM_PROXIES == settings.TRUSTED_PROXY_COUNT
    sent = request(forwarded=forwarded)
    assert client_address(sent) == BaseThrottle().get_ident(sent)


def test_settings_give_drf_the_same_proxy_count(settings):
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT


# --- Every reader asks the same function --------------------------------------------------------------


def test_ratelimit_axes_allauth_and_the_api_throttle_all_read_client_address(one_proxy):
    sent = request(forwarded=f"1.2.3.4, {AMINA}")
    assert _get_ip(sent) == AMINA  # django-ratelimit (RATELIMIT_IP_META_KEY)
    assert get_client_ip_address(sent) == AMINA  # django-axes (AXES_CLIENT_IP_CALLABLE)
    assert get_adapter(sent).get_client_ip(sent) == AMINA  # allauth (ACCOUNT_ADAPTER)
    assert ScopedIPThrottle().get_ident(sent) == AMINA  # API throttles


def test_with_the_default_count_every_reader_ignores_a_forged_header():
    sent = request(AMINA, forwarded="1.2.3.4")
    assert _get_ip(sent) == get_client_ip_address(sent) == get_adapter(sent).get_client_ip(sent) == AMINA
    assert ScopedIPThrottle().get_ident(sent) == AMINA


# --- Public forms (django-ratelimit) ----------------------------------------------------------------------


@pytest.fixture
def filing_limit_of_two(settings):
    settings.PUBLIC_FORM_RATE_LIMITS = {**settings.PUBLIC_FORM_RATE_LIMITS, "complaints:file_form": "2/h"}
    return AdministrationFactory()


def file(client, administration, **extra):
    return client.post(url("complaints:file_form"), valid_form_data(administration), **extra).status_code


@pytest.mark.django_db
def test_without_proxies_a_forged_header_does_not_reset_the_form_limit(client, filing_limit_of_two):
    codes = [file(client, filing_limit_of_two, REMOTE_ADDR=AMINA, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}") for n in range(3)]
    assert codes == [302, 302, 429]


@pytest.mark.django_db
def test_behind_a_proxy_each_citizen_has_its_own_form_limit(client, one_proxy, filing_limit_of_two):
    administration = filing_limit_of_two
    assert [file(client, administration, **via_proxy(AMINA)) for _ in range(3)] == [302, 302, 429]
    assert file(client, administration, **via_proxy(YOUSSEF)) == 302
    # Amina prepends made-up addresses: still counted at hers.
    escape = via_proxy(f"1.2.3.4, {AMINA}")
    assert file(client, administration, **escape) == 429


@pytest.mark.django_db
def test_behind_a_proxy_html_tracking_is_limited_per_citizen(client, one_proxy):
    attempt = {"reference": "CHK-2026-0000001-X", "contact": "guess@example.ma"}
    codes = [client.post(url("complaints:track"), attempt, **via_proxy(AMINA)).status_code for _ in range(11)]
    assert codes == [200] * 10 + [429]
    assert client.post(url("complaints:track"), attempt, **via_proxy(f"9.9.9.9, {AMINA}")).status_code == 429
    assert client.post(url("complaints:track"), attempt, **via_proxy(YOUSSEF)).status_code == 200


# --- Login lockout (django-axes) ------------------------------------------------------------------------


def sign_in(client, user, password, **extra):
    return client.post(url("account_login"), {"login": user.email, "password": password}, **extra)


@pytest.mark.django_db
def test_without_proxies_a_forged_header_does_not_escape_the_lockout(client):
    user = UserFactory()
    for n in range(5):
        sign_in(client, user, "wrong", REMOTE_ADDR=AMINA, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
    assert sign_in(client, user, PASSWORD, REMOTE_ADDR=AMINA, HTTP_X_FORWARDED_FOR="4.3.2.1").status_code == LOCKED


@pytest.mark.django_db
def test_behind_a_proxy_an_attacker_cannot_lock_the_staff_member_out(client, one_proxy):
    officer = UserFactory(is_staff=True)
    for n in range(5):
        sign_in(client, officer, "wrong", **via_proxy(f"1.2.3.{n}, {AMINA}"))
    # The attacker is locked out at its own address, whatever it prepends...
    assert sign_in(client, officer, PASSWORD, **via_proxy(f"5.5.5.5, {AMINA}")).status_code == LOCKED
    assert sign_in(client, officer, PASSWORD, **via_proxy(AMINA)).status_code == LOCKED
    # ...and the officer, behind the same proxy, signs in.
    response = sign_in(client, officer, PASSWORD, **via_proxy(YOUSSEF))
    assert response.status_code == 302
    assert client.get(url("home:index")).wsgi_request.user == officer


# --- allauth's own login limit ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_behind_a_proxy_allauths_failed_login_limit_counts_per_citizen(client, one_proxy, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    users = [UserFactory() for _ in range(4)]  # a new account each time: axes (per account) stays out

    def failed(user, **extra):
        page = sign_in(client, user, "wrong", **extra).content.decode()
        return "Too many failed login attempts" in page or "Trop de tentatives" in page

    assert [failed(user, **via_proxy(AMINA)) for user in users[:3]] == [False, False, True]
    assert failed(users[3], **via_proxy(f"1.2.3.4, {AMINA}"))
    assert not failed(users[3], **via_proxy(YOUSSEF))


# --- API throttles ------------------------------------------------------------------------------------------


def track(api, **extra):
    attempt = {"reference": "CHK-2026-0000001-X", "email": "guess@example.ma"}
    return api.post("/api/v1/track/", attempt, format="json", **extra).status_code


@pytest.fixture
def api(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "track": "2/min"}
    return APIClient(HTTP_ACCEPT_LANGUAGE="fr")


@pytest.mark.django_db
def test_without_proxies_a_forged_header_does_not_reset_the_api_throttle(api):
    codes = [track(api, REMOTE_ADDR=AMINA, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}") for n in range(3)]
    assert codes[2] == 429


@pytest.mark.django_db
def test_behind_a_proxy_the_api_throttle_counts_per_citizen(api, one_proxy):
    assert [track(api, **via_proxy(AMINA)) for _ in range(3)][2] == 429
    assert track(api, **via_proxy(f"1.2.3.4, {AMINA}")) == 429
    assert track(api, **via_proxy(YOUSSEF)) != 429
