"""Failed sign-ins lock an account out from one address (django-axes behind allauth's form)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = 429  # axes' AXES_HTTP_RESPONSE_CODE


def sign_in(client, login, password, address="203.0.113.7"):
    return client.post(reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=address)


def fail_five_times(client, user, address="203.0.113.7"):
    responses = [sign_in(client, user.email, "wrong-password", address) for _ in range(5)]
    for response in responses[:4]:
        assert response.status_code == 200  # the form again, with its error
        assert not response.wsgi_request.user.is_authenticated
    return responses[-1]


def test_the_fifth_wrong_password_locks_the_account_out(client):
    user = UserFactory()
    fifth = fail_five_times(client, user)
    assert fifth.status_code == LOCKED
    assert "accounts/lockout.html" in [t.name for t in fifth.templates]


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client):
    user = UserFactory()
    fail_five_times(client, user)
    sixth = sign_in(client, user.email, PASSWORD)
    assert sixth.status_code == LOCKED
    assert "accounts/lockout.html" in [t.name for t in sixth.templates]
    assert not client.get(reverse("home:index")).wsgi_request.user.is_authenticated


def test_the_login_is_counted_whatever_its_case(client):
    user = UserFactory(email="amina@example.ma")
    for login in ("amina@example.ma", "AMINA@example.ma", "Amina@Example.ma", "amina@EXAMPLE.MA"):
        sign_in(client, login, "wrong-password")
    assert sign_in(client, "amina@example.ma", "wrong-password").status_code == LOCKED
    assert sign_in(client, user.email, PASSWORD).status_code == LOCKED


def test_another_user_from_the_same_address_is_not_locked(client):
    fail_five_times(client, UserFactory())
    other = UserFactory()
    response = sign_in(client, other.email, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home:index")).wsgi_request.user == other


def test_the_same_user_from_another_address_is_not_locked(client):
    user = UserFactory()
    fail_five_times(client, user, address="203.0.113.7")
    assert sign_in(client, user.email, PASSWORD, address="198.51.100.9").status_code == 302


def test_sign_in_works_again_after_the_cool_off(client, settings):
    user = UserFactory()
    fail_five_times(client, user)
    later = timezone.now() + datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    with time_machine.travel(later, tick=False):
        response = sign_in(client, user.email, PASSWORD)
        assert response.status_code == 302
        assert client.get(reverse("home:index")).wsgi_request.user == user


def test_the_admin_login_goes_through_the_same_sign_in(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_locked_out_staff_account_cannot_reach_the_admin(client, settings):
    settings.STAFF_2FA_REQUIRED = False
    admin = UserFactory(is_staff=True, is_superuser=True)
    fail_five_times(client, admin)
    assert sign_in(client, admin.email, PASSWORD).status_code == LOCKED
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302  # still anonymous: sent to sign in
