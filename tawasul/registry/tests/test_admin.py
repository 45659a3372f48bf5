"""The registry admin pages load and save through the service."""

import pytest
from django.test import override_settings

from tawasul.registry.models import Administration

from .factories import AdministrationFactory, CommuneFactory


@pytest.fixture
def staff_client(client, django_user_model):
    # Staff 2FA is enforced by tawasul.accounts (tested there); these tests look at the pages only.
    user = django_user_model.objects.create_superuser(email="root@example.ma", password="x" * 12, **_username())
    client.force_login(user)
    with override_settings(STAFF_2FA_REQUIRED=False):
        yield client


def _username():
    from django.contrib.auth import get_user_model

    field = get_user_model().USERNAME_FIELD
    return {} if field == "email" else {field: "root"}


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["region", "province", "commune", "administration"])
def test_changelists_load(staff_client, model):
    CommuneFactory()
    AdministrationFactory()
    assert staff_client.get(f"/fr/admin/registry/{model}/").status_code == 200


@pytest.mark.django_db
def test_admin_history_page_loads(staff_client):
    adm = AdministrationFactory()
    assert staff_client.get(f"/fr/admin/registry/administration/{adm.pk}/history/").status_code == 200
    assert Administration.objects.count() == 1
