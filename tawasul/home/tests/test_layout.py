"""The base layout and the home page in each language (issue 2, items 3 and 4)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

LANGUAGES = [("ar", "rtl"), ("fr", "ltr"), ("zgh", "ltr"), ("en", "ltr")]


def switcher_links(html: str) -> dict[str, str]:
    """hreflang -> href of the language switcher's links."""
    nav = re.search(r'<nav aria-label="[^"]*">\s*<ul class="tw-languages">(.*?)</ul>', html, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)" lang="[^"]+" hreflang="([^"]+)"', nav)
    return {lang: href.replace("&amp;", "&") for href, lang in links}


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "direction"), LANGUAGES)
def test_each_language_home_page_has_its_lang_and_direction(client, lang, direction):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html


@pytest.mark.django_db
def test_arabic_pages_load_the_rtl_bootstrap_and_the_others_the_ltr_one(client):
    assert "bootstrap.rtl.min.css" in client.get("/ar/").content.decode()
    french = client.get("/fr/").content.decode()
    assert "bootstrap.min.css" in french
    assert "bootstrap.rtl.min.css" not in french


@pytest.mark.django_db
def test_home_page_speaks_the_language_of_its_prefix(client):
    assert "ⴰ" in client.get("/zgh/").content.decode() or "ⵜ" in client.get("/zgh/").content.decode()
    assert "Vos administrations" in client.get("/fr/").content.decode()
    assert "Your public administrations" in client.get("/en/").content.decode()
    assert re.search(r"<h1>[^<]*[\u0600-\u06ff]", client.get("/ar/").content.decode())


@pytest.mark.django_db
def test_switcher_names_each_language_in_its_own_script(client):
    html = client.get("/fr/").content.decode()
    for code, name in [("ar", "العربية"), ("fr", "Français"), ("zgh", "ⵜⴰⵎⴰⵣⵉⵖⵜ"), ("en", "English")]:
        assert f'lang="{code}" hreflang="{code}"' in html
        assert f">{name}</a>" in html


@pytest.mark.django_db
def test_switcher_links_keep_the_page(client):
    links = switcher_links(client.get("/ar/accounts/login/?next=/ar/").content.decode())
    assert set(links) == {"ar", "fr", "zgh", "en"}
    for lang, href in links.items():
        url = urlsplit(href)
        assert url.path == f"/{lang}/language/"
        assert parse_qs(url.query)["next"] == [f"/{lang}/accounts/login/?next=/ar/"]


@pytest.mark.django_db
def test_switching_language_sets_the_cookie_and_keeps_the_page(client, settings):
    response = client.get("/fr/language/", {"next": "/fr/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/login/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr"
    assert int(cookie["max-age"]) == settings.LANGUAGE_COOKIE_AGE
    assert client.get("/")["Location"] == "/fr/"


@pytest.mark.django_db
def test_switching_language_translates_a_next_given_under_another_prefix(client):
    assert client.get("/en/language/", {"next": "/ar/accounts/login/"})["Location"] == "/en/accounts/login/"


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/ar/", "javascript:alert(1)", ""])
def test_switching_language_never_redirects_off_site(client, next_url):
    assert client.get("/zgh/language/", {"next": next_url})["Location"] == "/zgh/"


@pytest.mark.django_db
def test_switcher_on_a_missing_page_leads_to_the_home_page_of_the_other_languages(client):
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    links = switcher_links(response.content.decode())
    assert {lang: parse_qs(urlsplit(href).query)["next"] for lang, href in links.items()} == {
        "ar": ["/ar/"],
        "fr": ["/fr/no-such-page/"],
        "zgh": ["/zgh/"],
        "en": ["/en/"],
    }


@pytest.mark.django_db
def test_every_page_has_landmarks_a_skip_link_and_a_sign_in_link(client):
    html = client.get("/en/").content.decode()
    body = html.split("<body>", 1)[1]
    first_link = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body).group(0)
    assert 'href="#main"' in first_link
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert f'href="{reverse("account_login")}"'.replace("/ar/", "/en/") in html


@pytest.mark.django_db
def test_layout_has_no_inline_script_or_style(client):
    html = client.get("/ar/").content.decode()
    assert "style=" not in html
    assert "<style" not in html
    assert all(" src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))


@pytest.mark.django_db
def test_home_page_introduces_every_portal_and_its_key_fact(client):
    html = client.get("/en/").content.decode()
    for title in (
        "Complaints and suggestions",
        "Access to information",
        "Civil-status documents",
        "Procedures catalog",
        "Public facilities map",
        "Public jobs",
        "Contact center 3737",
    ):
        assert title in html
    assert "A complaint is answered within 60 days at most." in html


@pytest.mark.django_db
def test_every_portal_on_the_home_page_links_to_its_page(client):
    from tawasul.home.portals import PORTALS

    html = client.get("/en/").content.decode()
    with translation.override("en"):
        for portal in PORTALS:
            assert f'href="{reverse(portal.url_name)}"' in html, portal.key
    assert "Coming soon" not in html


@pytest.mark.django_db
def test_a_portal_without_pages_yet_is_shown_as_coming_without_a_link(client, monkeypatch):
    from tawasul.home import portals
    from tawasul.home.templatetags import tawasul_shell

    coming = portals.Portal(
        key="future",
        url_name="future:index",
        title=portals.PORTALS[0].title,
        nav_label=portals.PORTALS[0].nav_label,
        summary=portals.PORTALS[0].summary,
        fact=portals.PORTALS[0].fact,
    )
    monkeypatch.setattr(tawasul_shell, "PORTALS", (*portals.PORTALS, coming))
    html = client.get("/en/").content.decode()
    with translation.override("en"):
        assert "Coming soon" in html
    assert 'href="#"' not in html


@pytest.mark.django_db
def test_messages_are_rendered_as_alerts_with_a_role(rf, settings):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.template.loader import render_to_string

    html = render_to_string(
        "includes/messages.html",
        {"messages": [Message(constants.SUCCESS, "Saved"), Message(constants.ERROR, "Broken")]},
    )
    assert re.search(r'role="status">Saved<', html)
    assert re.search(r'role="alert">Broken<', html)
