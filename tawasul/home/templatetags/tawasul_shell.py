"""Template tags of the public shell: the language switcher, the nav and the portal cards.

Language switcher (issue 2, item 3): each link goes to `/<lang>/language/?next=<this page under
<lang>>`. The view `home:set_language` stores the language in the `tawasul_language` cookie (so
`/` remembers it) and redirects to `next`. A plain link: it works without JavaScript.
"""

from functools import lru_cache
from urllib.parse import urlencode, urlsplit

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation

from tawasul.home.portals import PORTALS

register = template.Library()


# Each language named in its own script, as a label (Django's own `name_local` writes Arabic with a
# shadda and French in lower case).
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "zgh": "ⵜⴰⵎⴰⵣⵉⵖⵜ", "en": "English"}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code) or translation.get_language_info(code)["name_local"]


def path_in_language(full_path: str, code: str) -> str:
    """The same page under the prefix of `code`; the home page of `code` when the page has no
    translated URL (a 404, a URL outside the language patterns)."""
    # The URL resolves only while the language of its own prefix is active.
    source = translation.get_language_from_path(urlsplit(full_path).path) or translation.get_language()
    return _path_in_language(full_path, code, source, get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=4096)
def _path_in_language(full_path: str, code: str, source: str, urlconf: str) -> str:
    """Memoised per process: resolving and reversing the URL is a pure function of the path and the
    URLconf, and it was a third of a cached page's CPU (the results-day pages, issue 7 scenario 8)."""
    with translation.override(source):
        translated = translate_url(full_path, code)
    if not urlsplit(translated).path.startswith(f"/{code}/"):
        return f"/{code}/"
    return translated


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The language switcher's links; the page's head and header both ask, computed once."""
    request: HttpRequest | None = context.get("request")
    current = translation.get_language()
    memo = getattr(request, "_tawasul_language_links", None) if request else None
    if memo is not None and memo[0] == current:
        return memo[1]
    links = _language_links(request.get_full_path() if request else "/", current, *_url_setting())
    if request is not None:
        request._tawasul_language_links = (current, links)
    return links


def _url_setting() -> tuple[str, str]:
    """What `reverse` depends on besides the names and the language: the URLconf and the script
    prefix (a deployment under a sub-path), both per thread."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


@lru_cache(maxsize=4096)
def _language_links(full_path: str, current: str, urlconf: str, script_prefix: str) -> tuple[dict, ...]:
    """Memoised per process, like `_path_in_language`: every page's header asks, and the links
    are a pure function of the page's path, the language and the URL setting (issue 7)."""
    links = []
    for code, _name in settings.LANGUAGES:
        target = path_in_language(full_path, code)
        with translation.override(code):
            switch = reverse("home:set_language")
        info = translation.get_language_info(code)
        links.append(
            {
                "code": code,
                "name": language_name(code),
                "dir": "rtl" if info["bidi"] else "ltr",
                "target": target,
                "url": f"{switch}?{urlencode({'next': target})}",
                "is_current": code == current,
            }
        )
    return tuple(links)


def resolve_portal_url(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


@register.simple_tag
def portal_cards() -> list[dict]:
    """Every portal with its URL, or `url=None` while its app is not wired in yet."""
    return [{"portal": portal, "url": resolve_portal_url(portal.url_name)} for portal in PORTALS]


@register.simple_tag(takes_context=True)
def nav_links(context) -> list[dict]:
    """Home, then the portals whose pages exist; `current` marks the section being viewed."""
    request: HttpRequest | None = context.get("request")
    path = request.path if request else ""
    home, portals = _nav_targets(translation.get_language(), *_url_setting())
    links = [{"label": translation.gettext("Home"), "url": home, "current": path == home}]
    for label, url in portals:
        links.append({"label": label, "url": url, "current": path.startswith(url)})
    return links


@lru_cache(maxsize=64)
def _nav_targets(language: str, urlconf: str, script_prefix: str) -> tuple[str, tuple]:
    """The home page's URL and each wired portal's (label, URL) in `language`: reversed once per
    language and URL setting, not at every page (issue 7)."""
    portals = tuple((p.nav_label, url) for p in PORTALS if (url := resolve_portal_url(p.url_name)))
    return reverse("home:index"), portals


@receiver(setting_changed)
def _forget_links(*, setting: str, **kwargs) -> None:
    """The memos follow the URL and language settings (tests change them; a deployment does not)."""
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "INSTALLED_APPS", "FORCE_SCRIPT_NAME"}:
        for memo in (_path_in_language, _language_links, _nav_targets):
            memo.cache_clear()
