"""Staff import files from the admin through the same importer as the command line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tawasul.facilities.models import Facility
from tawasul.registry.tests.factories import CommuneFactory

from .test_import import BAD_NO_NAME, GOOD_1, HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    # Staff 2FA is enforced by tawasul.accounts (tested there); these tests look at the pages only.
    from django.contrib.auth import get_user_model

    field = get_user_model().USERNAME_FIELD
    extra = {} if field == "email" else {field: "root"}
    user = django_user_model.objects.create_superuser(email="root@example.ma", password="x" * 12, **extra)
    client.force_login(user)
    with override_settings(STAFF_2FA_REQUIRED=False):
        yield client


def test_admin_import_valid_only_shows_the_report(admin_client):
    CommuneFactory(code="01.511.01.0")
    upload = SimpleUploadedFile("f.csv", (HEADER + GOOD_1 + BAD_NO_NAME).encode(), content_type="text/csv")
    response = admin_client.post("/fr/admin/facilities/facility/import/", {"file": upload, "mode": "valid_only"})
    assert response.status_code == 200
    assert Facility.objects.filter(code="rabat-poste").exists()
    assert response.context["result"].errors[0].field == "name_ar"
    assert Facility.objects.get(code="rabat-poste").history.first().history_user is not None


def test_admin_changelist_and_import_page_render(admin_client):
    assert admin_client.get("/fr/admin/facilities/facility/").status_code == 200
    assert admin_client.get("/fr/admin/facilities/facility/import/").status_code == 200


def test_anonymous_cannot_import(db, settings):
    from django.test import Client

    response = Client().get("/fr/admin/facilities/facility/import/")
    assert response.status_code == 302
