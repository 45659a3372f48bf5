"""The secret tracking link of the acknowledgement is in the requester's language, whatever the
language of the page or the call that filed the case."""

from types import SimpleNamespace

from django.test import RequestFactory
from django.utils import translation

from tawasul.cases.links import tracking_url_builder


def test_the_link_is_in_the_case_language_not_the_filing_page_language():
    request = RequestFactory().post("/fr/contact/console/complaint/")
    case = SimpleNamespace(reference="CHK-2026-0000001-9", language="ar")
    with translation.override("fr"):  # an agent's console in French, a caller who reads Arabic
        link = tracking_url_builder(request, "complaints:track_link")(case, "secret-token")
    assert link.startswith("http://testserver/ar/")
    assert "CHK-2026-0000001-9" in link and "secret-token" in link


def test_no_link_where_the_portal_pages_are_not_installed():
    request = RequestFactory().post("/api/v1/complaints/")
    case = SimpleNamespace(reference="CHK-2026-0000001-9", language="fr")
    assert tracking_url_builder(request, "no-such-portal:track_link")(case, "secret-token") == ""
