"""The secret tracking link of the acknowledgement is in the requester's language, whatever the
language of the page or the call that filed the case."""

from types import SimpleNamespace

import pytest
from django.test import RequestFactory, override_settings
from django.urls import path, reverse
from django.utils import translation

from tawasul.cases.links import tracking_url_builder


def _view(request, **kwargs):  # pragma: no cover - only reversed
    raise AssertionError


urlpatterns = [path("strict/<int:reference>/<slug:token>/", _view, name="track_link")]


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


@pytest.mark.parametrize("language", ["ar", "fr", "zgh", "en"])
@pytest.mark.parametrize(
    ("reference", "token"),
    [
        ("CHK-2026-0000001-9", "Zx_9-token"),
        ("DOC-2026-0001234-A", "a" * 43),
        ("chk 2026.1", "a b?c"),  # values reverse quotes: reversed, not put into the template
        ("CHK-2026-0000001-9", "%2F..%2F"),
    ],
)
def test_the_link_is_what_reverse_gives(language, reference, token):
    request = RequestFactory().post("/api/v1/complaints/")
    case = SimpleNamespace(reference=reference, language=language)
    link = tracking_url_builder(request, "complaints:track_link")(case, token)
    with translation.override(language):
        expected = reverse("complaints:track_link", kwargs={"reference": reference, "token": token})
    assert link == f"http://testserver{expected}"


@override_settings(ROOT_URLCONF=__name__)
def test_a_stricter_pattern_is_reversed_for_each_value():
    request = RequestFactory().post("/api/v1/complaints/")
    build = tracking_url_builder(request, "track_link")
    assert build(SimpleNamespace(reference="123", language="fr"), "tok-1") == "http://testserver/strict/123/tok-1/"
    assert build(SimpleNamespace(reference="CHK-2026-0000001-9", language="fr"), "tok-1") == ""  # no such link
