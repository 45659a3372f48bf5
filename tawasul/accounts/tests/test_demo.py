"""The demo accounts printed by `make run` exist, sign in, and hold the roles their email says."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tawasul.accounts import demo
from tawasul.accounts.models import User
from tawasul.accounts.permissions import can_read_national_indicators, roles_of
from tawasul.accounts.roles import Role
from tawasul.accounts.selectors import administrations_for, escalation_contacts

from .factories import make_administration

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    codes = {a.administration for a in demo._staff_plan()}
    return {code: make_administration(code) for code in sorted(codes)}


def test_demo_accounts_are_created_verified_with_the_demo_password(registry):
    demo.load(io.StringIO())
    logins = demo.demo_logins()
    assert len(logins) == len({email for _, email in logins}) >= 5 * 4 + 5
    for _, email in logins:
        user = User.objects.get(email=email)
        assert user.check_password(demo.DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()
    assert User.objects.filter(is_superuser=True).get().email == "admin@demo.tawasul.ma"


def test_demo_roles_match_the_emails(registry):
    demo.load(io.StringIO())
    officer = User.objects.get(email="officer.cnss@demo.tawasul.ma")
    assert roles_of(officer) == {Role.OFFICER}
    assert list(administrations_for(officer)) == [registry["cnss"]]
    national = User.objects.get(email="national-unit.transition-numerique@demo.tawasul.ma")
    assert can_read_national_indicators(national)
    citizen = User.objects.get(email="citizen@demo.tawasul.ma")
    assert roles_of(citizen) == set()
    assert citizen.phone == "+212612345678"
    for level in (1, 2, 3):
        assert escalation_contacts(registry["sante"], level)


def test_loading_twice_changes_nothing(registry):
    demo.load(io.StringIO())
    counts = (User.objects.count(), EmailAddress.objects.count())
    demo.load(io.StringIO())
    assert (User.objects.count(), EmailAddress.objects.count()) == counts


def test_a_demo_citizen_signs_in(client, registry):
    demo.load(io.StringIO())
    response = client.post(
        reverse("account_login"), {"login": "citizen@demo.tawasul.ma", "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home:index")).wsgi_request.user.email == "citizen@demo.tawasul.ma"


def test_missing_administrations_are_reported():
    with pytest.raises(ValueError, match="missing"):
        demo.load(io.StringIO())
