"""The user's identity fields (DOMAIN.md R10) and the membership constraints."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tawasul.accounts.models import Membership, User
from tawasul.accounts.roles import Role
from tawasul.accounts.validators import normalize_cin, normalize_phone

from .factories import MembershipFactory, UserFactory, make_administration


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0612345678", "+212612345678"),
        ("06 12 34 56 78", "+212612345678"),
        ("+212 537 77 29 90", "+212537772990"),
        ("00212612345678", "+212612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),  # a foreigner's number keeps its country code
    ],
)
def test_phone_numbers_are_stored_in_e164(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["", "12345", "0812345678", "not a phone", "3737"])
def test_invalid_phone_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        normalize_phone(typed)


@pytest.mark.parametrize(("typed", "stored"), [("ab123456", "AB123456"), (" K45678 ", "K45678"), ("A1", "A1")])
def test_cin_is_upper_cased(typed, stored):
    assert normalize_cin(typed) == stored


@pytest.mark.parametrize("typed", ["AB012345", "ABC12345", "AB1234567", "123456", "A"])
def test_invalid_cin_is_refused(typed):
    with pytest.raises(ValidationError):
        normalize_cin(typed)


@pytest.mark.django_db
def test_user_clean_normalises_identity_fields():
    user = UserFactory(phone="", cin="")
    user.phone, user.cin = "0612345678", "ab123456"
    user.full_clean()
    assert (user.phone, user.cin) == ("+212612345678", "AB123456")
    user.phone = "0812"
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "phone" in error.value.message_dict


@pytest.mark.django_db
def test_accounts_without_email_do_not_collide():
    first = User.objects.create_user("agent1", email="", password="x-long-password")
    second = User.objects.create_user("agent2", password="x-long-password")
    assert first.email is None and second.email is None


@pytest.mark.django_db
def test_one_membership_per_user_administration_and_role():
    membership = MembershipFactory(role=Role.OFFICER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=membership.user, administration=membership.administration, role=Role.OFFICER)
    Membership.objects.create(user=membership.user, administration=membership.administration, role=Role.DEPUTY)


@pytest.mark.django_db
def test_a_membership_cannot_end_before_it_starts():
    membership = Membership(
        user=UserFactory(),
        administration=make_administration(),
        role=Role.OFFICER,
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 4, 30),
    )
    with pytest.raises(ValidationError):
        membership.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()
