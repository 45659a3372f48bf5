"""The national unit's admin: the price table shows which defaults are to confirm; the offices
can be joined or not."""

import pytest

from tawasul.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_price_table_admin_flags_the_defaults_to_confirm(client, settings):
    settings.STAFF_2FA_REQUIRED = False
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    html = client.get("/en/admin/documents/priceitem/").content.decode()
    assert html.count("To confirm") >= 3
    assert client.get("/en/admin/documents/civilstatusoffice/").status_code == 200
    assert client.get("/en/admin/documents/payment/").status_code == 200
