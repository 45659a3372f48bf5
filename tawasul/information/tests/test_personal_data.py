"""Law 09-08 (issue 8 item 7): the postal address given on a law 31-13 request is part of what a
citizen downloads about themself and of what erasure removes."""

import pytest

from tawasul.accounts.personal_data import personal_data_erase, personal_data_export
from tawasul.accounts.tests.factories import UserFactory
from tawasul.information.models import InfoRequest

from .factories import make_request

pytestmark = pytest.mark.django_db


def test_the_address_is_exported_then_erased_with_the_identity():
    citizen = UserFactory()
    case = make_request(requester_user=citizen)
    exported = personal_data_export(user=citizen)
    assert exported["information_requests"] == [
        {"reference": case.reference, "address": "12 rue Allal Ben Abdellah, Rabat"}
    ]
    personal_data_erase(actor=citizen, user=citizen)
    assert InfoRequest.objects.get(case=case).address == ""
    case.refresh_from_db()
    assert case.first_name == "" and case.requester_user_id is None
