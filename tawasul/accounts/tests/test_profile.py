"""A signed-in person edits their profile; nobody else's."""

import pytest
from django.urls import reverse

from tawasul.accounts.models import User
from tawasul.accounts.services import user_update_profile

from .factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tawasul.accounts.tests.urls")]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_citizen_saves_their_profile_in_the_stored_forms(client):
    citizen = UserFactory()
    client.force_login(citizen)
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Nadia",
            "last_name": "Bouzidi",
            "phone": "06 12 34 56 78",
            "cin": "ab123456",
            "postal_address": "12, rue Oued Ziz, Rabat",
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.cin, citizen.preferred_language) == ("+212612345678", "AB123456", "fr")


def test_an_invalid_phone_is_shown_on_the_form_and_not_saved(client):
    citizen = UserFactory(phone="+212612345678")
    client.force_login(citizen)
    response = client.post(reverse("accounts:profile"), {"phone": "0812", "preferred_language": "ar"})
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert User.objects.get(pk=citizen.pk).phone == "+212612345678"


def test_nobody_edits_someone_elses_profile():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        user_update_profile(actor=UserFactory(), user=UserFactory(), first_name="X")


def test_only_profile_fields_can_be_changed():
    user = UserFactory()
    with pytest.raises(ValueError):
        user_update_profile(actor=user, user=user, is_superuser=True)
