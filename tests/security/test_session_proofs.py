"""A tracking proof kept in the session, through the portals' own pages (tawasul.cases.tracking_proof):
it opens the proven case only, on its own portal only, and only while the case's email is the one
it was proven with."""

import pytest
from django.urls import reverse
from django.utils import translation

from tawasul.cases.models import Case
from tawasul.complaints.tests.factories import make_complaint
from tawasul.documents.tests.factories import make_order
from tawasul.information.tests.factories import make_request

pytestmark = pytest.mark.django_db

PAGES = {"complaints": "complaints:case", "information": "information:case", "documents": "documents:order_detail"}


@pytest.fixture(autouse=True)
def _prices():
    from tawasul.documents.pricing import install_default_prices

    install_default_prices()


def page(client, case, portal=None):
    with translation.override("fr"):
        return client.get(reverse(PAGES[portal or case.portal], args=[case.reference]))


def prove(client, case, contact):
    with translation.override("fr"):
        url = reverse(f"{case.portal}:track")
    response = client.post(url, {"reference": case.reference, "contact": contact})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_proof_opens_its_case_and_no_other_of_the_same_requester(client):
    mine, also_mine = make_complaint(email="amina@example.ma"), make_complaint(email="amina@example.ma")
    prove(client, mine, "amina@example.ma")
    assert page(client, mine).status_code == 200
    assert page(client, also_mine).status_code == 404


@pytest.mark.parametrize("make", [make_complaint, make_request, make_order], ids=["complaints", "information", "docs"])
def test_a_proof_does_not_survive_a_changed_email(client, make):
    case = make(email="amina@example.ma")
    prove(client, case, "amina@example.ma")
    assert page(client, case).status_code == 200
    Case.objects.filter(pk=case.pk).update(email="corrected@example.ma")
    assert page(client, case).status_code == 404
    prove(client, case, "corrected@example.ma")
    assert page(client, case).status_code == 200


def test_a_proof_on_one_portal_opens_nothing_on_another(client):
    cases = [make_complaint(email="amina@example.ma"), make_request(email="amina@example.ma"), make_order()]
    for proven in cases:
        client.cookies.clear()
        prove(client, proven, proven.email)
        for other in PAGES:
            expected = 200 if other == proven.portal else 404
            assert page(client, proven, portal=other).status_code == expected, (proven.portal, other)
