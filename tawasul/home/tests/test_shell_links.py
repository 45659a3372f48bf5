"""The header's language and nav links are remembered per process: they follow the page, the
language, the script prefix and the settings, as if computed at every page."""

import pytest
from django.test import override_settings
from django.urls import set_script_prefix
from django.utils import translation

from tawasul.home.templatetags import tawasul_shell


def links_for(rf, path: str, language: str):
    with translation.override(language):
        context = {"request": rf.get(path)}
        return tawasul_shell.language_links(context), tawasul_shell.nav_links(context)


def test_the_links_are_those_of_the_page_and_its_language(rf):
    languages, nav = links_for(rf, "/fr/jobs/", "fr")
    assert [link["target"] for link in languages] == ["/ar/jobs/", "/fr/jobs/", "/zgh/jobs/", "/en/jobs/"]
    assert [link["is_current"] for link in languages] == [False, True, False, False]
    assert nav[0]["url"] == "/fr/" and all(link["url"].startswith("/fr/") for link in nav)
    assert [link["url"] for link in nav if link["current"]] == ["/fr/jobs/"]
    languages_ar, nav_ar = links_for(rf, "/ar/jobs/", "ar")
    assert [link["is_current"] for link in languages_ar] == [True, False, False, False]
    assert all(link["url"].startswith("/ar/") for link in nav_ar)


def test_a_deployment_under_a_sub_path_gets_links_under_it(rf):
    links_for(rf, "/fr/jobs/", "fr")  # remembered without a prefix first
    set_script_prefix("/portail/")
    try:
        languages, nav = links_for(rf, "/fr/jobs/", "fr")
    finally:
        set_script_prefix("/")
    assert all(link["url"].startswith("/portail/") for link in languages)
    assert all(link["url"].startswith("/portail/fr/") for link in nav)
    assert links_for(rf, "/fr/jobs/", "fr")[1][0]["url"] == "/fr/"


@pytest.mark.parametrize("languages", [[("ar", "Arabic"), ("fr", "French")]])
def test_changed_settings_are_followed(rf, languages):
    assert len(links_for(rf, "/fr/jobs/", "fr")[0]) == 4
    with override_settings(LANGUAGES=languages):
        assert [link["code"] for link in links_for(rf, "/fr/jobs/", "fr")[0]] == ["ar", "fr"]
    assert len(links_for(rf, "/fr/jobs/", "fr")[0]) == 4
