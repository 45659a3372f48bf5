"""Sub-themes (issue 6): the data of migration 0005, the rule that a procedure's sub-theme belongs
to its theme, the public pages that list and filter by sub-theme, and the admin."""

import importlib
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tawasul.catalog import services
from tawasul.catalog.demo import DATA_FILE
from tawasul.catalog.models import Procedure, SubTheme, Theme
from tawasul.catalog.search import search
from tawasul.catalog.tests.factories import make_editor, make_national_unit, make_procedure

pytestmark = pytest.mark.django_db

TIFINAGH = re.compile(r"[\u2D30-\u2D7F]")
SUBTHEMES = importlib.import_module("tawasul.catalog.migrations.0005_subthemes").SUBTHEMES


@pytest.fixture(autouse=True)
def _no_2fa(settings):
    settings.STAFF_2FA_REQUIRED = False


def sub(slug) -> SubTheme:
    return SubTheme.objects.select_related("theme").get(slug=slug)


# --- Data -------------------------------------------------------------------------------------


def test_each_of_the_14_themes_has_sub_themes_named_in_the_four_languages():
    assert Theme.objects.count() == 14
    for theme in Theme.objects.all():
        subthemes = list(theme.subthemes.all())
        assert len(subthemes) >= 3, theme.slug
        for s in subthemes:
            assert s.name_ar and s.name_fr and s.name_en and s.name_zgh, s.slug
            assert TIFINAGH.search(s.name_zgh), s.slug
            assert s.search_text, s.slug


def test_sub_theme_slugs_are_unique_across_themes_so_a_slug_alone_names_one():
    slugs = list(SubTheme.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == sum(len(rows) for rows in SUBTHEMES.values())


def test_every_real_procedure_names_a_sub_theme_of_its_own_theme():
    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))["procedures"]
    assert len(rows) == 78
    for row in rows:
        assert SubTheme.objects.filter(theme__slug=row["theme"], slug=row["subtheme"]).exists(), row["code"]


def test_reloading_the_sub_themes_is_idempotent():
    from django.apps import apps

    before = SubTheme.objects.count()
    importlib.import_module("tawasul.catalog.migrations.0005_subthemes").load_subthemes(apps, None)
    assert SubTheme.objects.count() == before


# --- The rule: a sub-theme of the procedure's theme -------------------------------------------


def test_the_service_refuses_a_sub_theme_of_another_theme():
    draft = make_procedure(status=Procedure.Status.DRAFT)  # theme identite-voyage
    editor = make_editor(draft.administration)
    with pytest.raises(ValidationError) as refused:
        services.procedure_update(actor=editor, procedure=draft, data={"subtheme": sub("naissance")})
    assert "subtheme" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.subtheme.slug == "carte-nationale"


def _edit_data(client, url) -> dict:
    """What the editor page posts back unchanged (one document and one step)."""
    form = client.get(url).context["form"]
    data = {n: (v.pk if hasattr(v, "pk") else v) for n, v in form.initial.items() if v not in (None, False, "")}
    data.update({"doc-TOTAL_FORMS": "1", "doc-INITIAL_FORMS": "0", "doc-0-name_ar": "نسخة", "doc-0-copies": "1"})
    data.update({"step-TOTAL_FORMS": "1", "step-INITIAL_FORMS": "0", "step-0-text_ar": "إيداع"})
    return data


def test_the_editor_form_refuses_a_sub_theme_of_another_theme_with_a_clear_message(client):
    draft = make_procedure(status=Procedure.Status.DRAFT)
    client.force_login(make_editor(draft.administration))
    with translation.override("en"):
        url = reverse("catalog:staff_edit", args=[draft.code])  # the English page
    data = _edit_data(client, url)
    with translation.override("en"):
        response = client.post(url, {**data, "subtheme": sub("naissance").pk})
    assert response.status_code == 200
    message = str(response.context["form"].errors["subtheme"])
    assert "does not belong to the theme" in message
    assert "Birth" in message
    draft.refresh_from_db()
    assert draft.subtheme.slug == "carte-nationale"
    # the sub-theme of the same theme is accepted
    assert client.post(url, {**data, "subtheme": sub("passeport").pk}).status_code == 302
    draft.refresh_from_db()
    assert draft.subtheme.slug == "passeport"


def test_the_editor_select_groups_sub_themes_by_theme(client):
    draft = make_procedure(status=Procedure.Status.DRAFT)
    client.force_login(make_editor(draft.administration))
    with translation.override("fr"):
        html = client.get(reverse("catalog:staff_edit", args=[draft.code])).content.decode()
    select = html[html.index('name="subtheme"') : html.index("</select>", html.index('name="subtheme"'))]
    assert select.count("<optgroup") == 14
    assert 'label="État civil"' in select
    assert "data-subtheme-select" in select


# --- Public pages -----------------------------------------------------------------------------


@pytest.fixture
def identity_procedures():
    return {
        "cnie": make_procedure(code="cnie", title_fr="Carte nationale", subtheme=sub("carte-nationale")),
        "passeport": make_procedure(code="passeport", title_fr="Passeport biométrique", subtheme=sub("passeport")),
        "mineur": make_procedure(code="passeport-mineur", title_fr="Passeport d'un mineur", subtheme=sub("passeport")),
        "brouillon": make_procedure(
            code="brouillon", title_fr="Passeport brouillon", subtheme=sub("passeport"), status=Procedure.Status.DRAFT
        ),
        "sans": make_procedure(code="sans-sous-theme", title_fr="Passeport sans sous-thème", subtheme=None),
    }


def test_the_theme_page_lists_its_sub_themes_with_counts_of_published_procedures(client, identity_procedures):
    response = client.get(reverse("catalog:theme", args=["identite-voyage"]))
    counts = {s.slug: s.published for s in response.context["subthemes"]}
    assert counts == {"carte-nationale": 1, "passeport": 2, "autorisations-voyage": 0}
    assert response.context["unclassified"] == 1
    html = response.content.decode()
    assert reverse("catalog:subtheme", args=["identite-voyage", "passeport"]) in html


@pytest.mark.parametrize(
    ("language", "theme_name", "subtheme_name"),
    [
        ("ar", "وثائق الهوية والسفر", "جواز السفر"),
        ("fr", "Pièces d'identité et documents de voyage", "Passeport"),
        ("en", "Identity and travel documents", "Passport"),
        ("zgh", "ⵉⵙⴷⵍⵉⵙⵏ ⵏ ⵜⵎⴰⴳⵉⵜ ⴷ ⵓⵎⵓⴷⴷⵓ", "ⴰⵙⵉⵍⴰ ⵏ ⵓⵎⵓⴷⴷⵓ"),
    ],
)
def test_the_sub_theme_page_lists_its_procedures_in_each_language(
    client, identity_procedures, language, theme_name, subtheme_name
):
    with translation.override(language):
        url = reverse("catalog:subtheme", args=["identite-voyage", "passeport"])
        theme_url = reverse("catalog:theme", args=["identite-voyage"])
    response = client.get(url)
    assert response.status_code == 200
    assert {p.code for p in response.context["result"].procedures} == {"passeport", "passeport-mineur"}
    html = response.content.decode()
    crumbs = html[html.index('class="breadcrumb"') : html.index("</ol>")]
    assert f'href="{theme_url}"' in crumbs
    assert theme_name.replace("'", "&#x27;") in crumbs
    assert subtheme_name in crumbs and 'aria-current="page"' in crumbs


def test_a_sub_theme_is_only_found_under_its_own_theme(client):
    assert client.get(reverse("catalog:subtheme", args=["etat-civil", "passeport"])).status_code == 404
    assert client.get(reverse("catalog:subtheme", args=["identite-voyage", "no-such"])).status_code == 404


def test_the_theme_page_filters_by_sub_theme_without_javascript(client, identity_procedures):
    response = client.get(reverse("catalog:theme", args=["identite-voyage"]), {"subtheme": "carte-nationale"})
    assert [p.code for p in response.context["result"].procedures] == ["cnie"]


def test_search_accepts_a_sub_theme_filter(client, identity_procedures):
    assert {p.code for p in search("passeport", subtheme="passeport").procedures} == {"passeport", "passeport-mineur"}
    assert search("passeport", subtheme="carte-nationale").total == 0
    assert {p.code for p in search("", subtheme="passeport").procedures} == {"passeport", "passeport-mineur"}
    assert search("passeport", theme="etat-civil", subtheme="passeport").total == 0
    assert search("passeport", subtheme="no-such").total == 0
    response = client.get(
        reverse("catalog:search"), {"q": "passeport", "theme": "identite-voyage", "subtheme": "passeport"}
    )
    assert {p.code for p in response.context["result"].procedures} == {"passeport", "passeport-mineur"}
    assert 'name="subtheme"' in response.content.decode()  # the filter is offered once a theme is chosen


def test_search_drops_a_sub_theme_left_over_from_another_theme(client, identity_procedures):
    response = client.get(
        reverse("catalog:search"), {"q": "passeport", "theme": "identite-voyage", "subtheme": "naissance"}
    )
    assert response.context["result"].total == 3  # passeport, passeport-mineur, sans-sous-theme


def test_search_by_sub_theme_name_finds_its_procedures(identity_procedures):
    assert "cnie" in {p.code for p in search("Electronic national identity card").procedures}


def test_the_procedure_page_breadcrumbs_go_theme_then_sub_theme(client, identity_procedures):
    with translation.override("fr"):
        url = reverse("catalog:detail", args=["passeport"])
        theme_url = reverse("catalog:theme", args=["identite-voyage"])
        sub_url = reverse("catalog:subtheme", args=["identite-voyage", "passeport"])
    html = client.get(url).content.decode()
    crumbs = html[html.index('class="breadcrumb"') : html.index("</ol>")]
    assert crumbs.index(theme_url) < crumbs.index(sub_url) < crumbs.index("Passeport biométrique")


def test_the_subtheme_route_is_declared_in_the_access_matrix():
    from tests.security.routes import declaration_for

    assert declaration_for("catalog:subtheme") is not None


# --- Admin ------------------------------------------------------------------------------------


def test_the_national_unit_adds_a_sub_theme_in_the_admin(client):
    user = make_national_unit()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    theme = Theme.objects.get(slug="transport")
    url = reverse("admin:catalog_theme_change", args=[theme.pk])
    page = client.get(url)
    assert page.status_code == 200
    existing = list(theme.subthemes.order_by("position", "id"))
    data = {
        "position": theme.position,
        "slug": theme.slug,
        "name_ar": theme.name_ar,
        "name_fr": theme.name_fr,
        "name_zgh": theme.name_zgh,
        "name_en": theme.name_en,
        "subthemes-TOTAL_FORMS": str(len(existing) + 1),
        "subthemes-INITIAL_FORMS": str(len(existing)),
        "subthemes-MIN_NUM_FORMS": "0",
        "subthemes-MAX_NUM_FORMS": "1000",
    }
    for i, s in enumerate(existing):
        data.update({f"subthemes-{i}-{k}": getattr(s, k) for k in ("position", "slug", "name_ar", "name_fr")})
        data.update({f"subthemes-{i}-id": s.pk, f"subthemes-{i}-theme": theme.pk})
    n = len(existing)
    data.update(
        {
            f"subthemes-{n}-position": "9",
            f"subthemes-{n}-slug": "taxis",
            f"subthemes-{n}-name_ar": "سيارات الأجرة",
            f"subthemes-{n}-name_fr": "Taxis",
            f"subthemes-{n}-theme": theme.pk,
        }
    )
    assert client.post(url, data).status_code == 302
    added = theme.subthemes.get(slug="taxis")
    assert "taxis" in added.search_text


def test_a_staff_account_outside_the_national_unit_cannot_edit_sub_themes(client):
    user = make_editor()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    theme = Theme.objects.get(slug="transport")
    assert client.get(reverse("admin:catalog_theme_change", args=[theme.pk])).status_code == 403
