"""Browser journeys through the public shell (issue 2, "What it must show"), in Debian's Chromium."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def only_live_server(page) -> list[str]:
    """Every requested URL that went somewhere other than the live server (should be none)."""
    server = urlsplit(page.live_server_url).netloc
    return [url for url in page.requested_urls if urlsplit(url).scheme != "data" and urlsplit(url).netloc != server]


def test_arabic_home_then_switch_to_french_and_root_remembers_it(page):
    page.goto(f"{page.live_server_url}/ar/")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "ar"
    heading = page.locator("h1").inner_text()
    assert any("\u0600" <= char <= "\u06ff" for char in heading), heading

    page.locator('a[hreflang="fr"]').first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/fr/"
    assert html.get_attribute("dir") == "ltr"
    assert html.get_attribute("lang") == "fr"

    page.goto(f"{page.live_server_url}/")
    assert urlsplit(page.url).path == "/fr/"
    assert only_live_server(page) == []


def test_switcher_keeps_the_page_being_read(page):
    page.goto(f"{page.live_server_url}/ar/accounts/login/")
    page.locator('a[hreflang="en"]').first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/en/accounts/login/"


def test_amazigh_page_renders_tifinagh_in_the_self_hosted_font(page):
    page.goto(f"{page.live_server_url}/zgh/")
    page.evaluate("document.fonts.ready")
    assert page.locator("html").get_attribute("dir") == "ltr"
    heading = page.locator("h1")
    assert any("\u2d30" <= char <= "\u2d7f" for char in heading.inner_text())
    family = heading.evaluate("element => getComputedStyle(element).fontFamily")
    assert family.startswith('"Noto Sans Tifinagh"'), family
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.family.replaceAll('\"', '') === 'Noto Sans Tifinagh'"
        " && f.status === 'loaded').length"
    )
    assert loaded >= 1
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Tifinagh\"', 'ⵜⴰⵎⴰⵣⵉⵖⵜ')")
    assert any("/static/vendor/fonts/noto-sans-tifinagh/" in url for url in page.requested_urls)
    assert only_live_server(page) == []


def test_arabic_page_uses_the_self_hosted_naskh_font(page):
    page.goto(f"{page.live_server_url}/ar/")
    page.evaluate("document.fonts.ready")
    family = page.locator("h1").evaluate("element => getComputedStyle(element).fontFamily")
    assert family.startswith('"Noto Naskh Arabic"'), family
    assert any("/static/vendor/fonts/noto-naskh-arabic/" in url for url in page.requested_urls)


@pytest.mark.parametrize("lang", ["ar", "fr", "zgh", "en"])
def test_home_page_fits_a_360_px_phone_without_horizontal_scroll(page, lang):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{page.live_server_url}/{lang}/")
    page.evaluate("document.fonts.ready")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    client_width = page.evaluate("document.documentElement.clientWidth")
    assert scroll_width <= client_width, (scroll_width, client_width)
    assert only_live_server(page) == []


@pytest.mark.parametrize("path", ["/ar/", "/fr/accounts/login/"])
def test_every_image_and_form_field_has_an_accessible_name(page, path):
    page.goto(f"{page.live_server_url}{path}")
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('img, input:not([type=hidden]), select, textarea, button')]
            .filter(el => {
                if (el.tagName === 'IMG') return !(el.getAttribute('alt') !== null || el.getAttribute('aria-label'));
                const labelled = (el.labels && el.labels.length) || el.getAttribute('aria-label')
                    || el.getAttribute('aria-labelledby') || el.getAttribute('title');
                const text = el.tagName === 'BUTTON' ? el.innerText.trim()
                    : (['submit', 'button', 'reset'].includes(el.type) ? el.value : '');
                return !(labelled || text);
            })
            .map(el => el.outerHTML.slice(0, 120))"""
    )
    assert unnamed == []


def test_skip_link_is_the_first_focusable_element_and_leads_to_main(page):
    page.goto(f"{page.live_server_url}/fr/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert page.locator(".tw-skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
