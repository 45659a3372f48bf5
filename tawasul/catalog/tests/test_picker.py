"""The deposit-place picker of the procedure editor (issue 6): search facilities by name (any
language, normalize()) or code and by commune, tick them, save; works without JavaScript; the
history diff shows places added and removed."""

import pytest
from django.urls import reverse
from django.utils import translation

from tawasul.catalog import services
from tawasul.catalog.forms import DepositPlacesForm
from tawasul.catalog.models import Procedure
from tawasul.catalog.selectors import deposit_place_choices, procedure_diff, procedure_versions
from tawasul.catalog.tests.factories import make_editor, make_national_unit, make_procedure
from tawasul.facilities.tests.factories import FacilityFactory
from tawasul.registry.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db
FIND = DepositPlacesForm.FIND


@pytest.fixture(autouse=True)
def _no_2fa(settings):
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def places():
    agdal = CommuneFactory(name_ar="أكدال الرياض", name_fr="Agdal Riyad")
    oujda = CommuneFactory(name_ar="وجدة", name_fr="Oujda")
    return {
        "agdal": FacilityFactory(
            code="annexe-agdal", name_ar="المُلحقة الإدارية أكدال", name_fr="Annexe administrative Agdal", commune=agdal
        ),
        "oujda": FacilityFactory(
            code="annexe-oujda", name_ar="الملحقة الإدارية وجدة", name_fr="Annexe administrative Oujda", commune=oujda
        ),
        "poste": FacilityFactory(code="poste-agdal", name_ar="بريد أكدال", name_fr="Poste Agdal", commune=agdal),
        "closed": FacilityFactory(
            code="annexe-fermee", name_ar="ملحقة مغلقة", name_fr="Annexe fermée", commune=agdal, is_active=False
        ),
    }


def codes(facilities) -> set[str]:
    return {f.code for f in facilities}


def test_the_picker_finds_places_by_name_in_any_language_and_spelling(places):
    # hamza, ta marbuta and harakat variants, and French without accents
    assert codes(deposit_place_choices(q="ملحقه اداريه")[0]) == {"annexe-agdal", "annexe-oujda"}
    assert codes(deposit_place_choices(q="annexe administrative oujda")[0]) == {"annexe-oujda"}
    assert codes(deposit_place_choices(q="ANNEXE FERMEE")[0]) == set()  # inactive places are never offered


def test_the_picker_narrows_by_commune_and_finds_a_code(places):
    assert codes(deposit_place_choices(q="annexe", commune="agdal")[0]) == {"annexe-agdal"}
    assert codes(deposit_place_choices(commune="أكدال")[0]) == {"annexe-agdal", "poste-agdal"}
    assert codes(deposit_place_choices(q="annexe-oujda")[0]) == {"annexe-oujda"}
    assert deposit_place_choices() == ([], False)
    assert codes(deposit_place_choices(q="annexe", exclude=[places["agdal"].pk])[0]) == {"annexe-oujda"}
    found, more = deposit_place_choices(q="annexe", limit=1)
    assert len(found) == 1 and more


def _edit_data(client, url) -> dict:
    form = client.get(url).context["form"]
    data = {n: (v.pk if hasattr(v, "pk") else v) for n, v in form.initial.items() if v not in (None, False, "")}
    data.update({"doc-TOTAL_FORMS": "1", "doc-INITIAL_FORMS": "0", "doc-0-name_ar": "نسخة", "doc-0-copies": "1"})
    data.update({"step-TOTAL_FORMS": "1", "step-INITIAL_FORMS": "0", "step-0-text_ar": "إيداع"})
    return data


def test_find_saves_nothing_keeps_what_was_typed_and_offers_checkboxes(client, places):
    draft = make_procedure(code="lieux", status=Procedure.Status.DRAFT, deposit_places=[places["oujda"]])
    client.force_login(make_editor(draft.administration))
    url = reverse("catalog:staff_edit", args=[draft.code])
    data = _edit_data(client, url)
    data.update({"title_fr": "Titre pas encore enregistré", "places-selected": [places["oujda"].pk]})
    response = client.post(url, {**data, "places-q": "agdal", FIND: "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Titre pas encore enregistré" in html  # the half-edited form comes back as typed
    assert not response.context["form"].errors  # and is not judged yet
    assert codes(response.context["places_kept"]) == {"annexe-oujda"}
    assert codes(response.context["places_found"]) == {"annexe-agdal", "poste-agdal"}
    assert f'name="places-selected" value="{places["agdal"].pk}"' in html
    assert f'name="places-selected" value="{places["oujda"].pk}" id="place-{places["oujda"].pk}" checked' in html
    draft.refresh_from_db()
    assert draft.title_fr != "Titre pas encore enregistré"
    assert codes(draft.deposit_places.all()) == {"annexe-oujda"}


def test_the_picker_survives_an_editorial_round_trip_and_the_diff_shows_the_places(client, places):
    """Add two places, publish; reopen, remove one, publish again: the public page and the
    history follow, and the diff names the place added and the place removed."""
    draft = make_procedure(code="aller-retour", status=Procedure.Status.DRAFT)
    editor = make_editor(draft.administration)
    client.force_login(editor)
    url = reverse("catalog:staff_edit", args=[draft.code])
    data = _edit_data(client, url)
    # 1. search, tick both annexes, save
    found = client.post(url, {**data, "places-q": "الملحقة", FIND: "1"}).context["places_found"]
    assert codes(found) == {"annexe-agdal", "annexe-oujda"}
    saved = client.post(url, {**data, "places-selected": [f.pk for f in found]})
    assert saved.status_code == 302
    assert codes(draft.deposit_places.all()) == {"annexe-agdal", "annexe-oujda"}
    # 2. the form shows them ticked
    assert codes(client.get(url).context["places_kept"]) == {"annexe-agdal", "annexe-oujda"}
    # 3. review and publish; the public page lists both
    nu = make_national_unit()
    services.procedure_submit_for_review(actor=editor, procedure=draft)
    services.procedure_publish(actor=nu, procedure=draft)
    public = client.get(reverse("catalog:detail", args=[draft.code]))
    assert {p["facility"].code for p in public.context["places"]} == {"annexe-agdal", "annexe-oujda"}
    # 4. reopen, untick Oujda, tick the post office, save
    services.procedure_return_to_draft(actor=editor, procedure=draft)
    data = _edit_data(client, url)
    assert client.post(url, {**data, "places-selected": [places["agdal"].pk, places["poste"].pk]}).status_code == 302
    assert codes(draft.deposit_places.all()) == {"annexe-agdal", "poste-agdal"}
    # 5. the diff between the last two versions names the places
    versions = procedure_versions(draft)
    diff = procedure_diff(draft, old=versions[1], new=versions[0])
    assert len(diff.places_added) == 1 and diff.places_added[0].endswith("(poste-agdal)")
    assert len(diff.places_removed) == 1 and diff.places_removed[0].endswith("(annexe-oujda)")
    with translation.override("fr"):
        history = client.get(reverse("catalog:staff_history", args=[draft.code])).content.decode()
    assert "Poste Agdal (poste-agdal)" in history
    assert "Annexe administrative Oujda (annexe-oujda)" in history
    # every saved version keeps its places
    assert versions[0].deposit_place_codes.split() == ["annexe-agdal", "poste-agdal"]
    assert versions[-1].deposit_place_codes == ""  # created without places


def test_a_new_procedure_gets_its_places_from_the_picker(client, places):
    editor = make_editor()
    client.force_login(editor)
    url = reverse("catalog:staff_create")
    administration = editor.memberships.first().administration
    data = {
        "administration": administration.code,
        "code": "nouvelle",
        "kind": "procedure",
        "theme": Procedure._meta.get_field("theme").related_model.objects.get(slug="etat-civil").pk,
        "title_ar": "مسطرة جديدة",
        "summary_ar": "وصف",
        "who_ar": "كل مواطن",
        "audiences": ["citizen"],
        "max_delay_days": "10",
        "is_free": "on",
        "doc-TOTAL_FORMS": "1",
        "doc-INITIAL_FORMS": "0",
        "doc-0-name_ar": "نسخة",
        "doc-0-copies": "1",
        "step-TOTAL_FORMS": "1",
        "step-INITIAL_FORMS": "0",
        "step-0-text_ar": "إيداع",
    }
    # find keeps the chosen administration selected
    finding = client.post(url, {**data, "places-q": "poste", FIND: "1"})
    assert f'value="{administration.code}" selected' in finding.content.decode()
    assert client.post(url, {**data, "places-selected": [places["poste"].pk]}).status_code == 302
    procedure = Procedure.objects.get(code="nouvelle")
    assert codes(procedure.deposit_places.all()) == {"poste-agdal"}
    assert procedure.deposit_place_codes == "poste-agdal"


def test_an_inactive_or_unknown_place_is_refused(client, places):
    draft = make_procedure(code="refus", status=Procedure.Status.DRAFT)
    client.force_login(make_editor(draft.administration))
    url = reverse("catalog:staff_edit", args=[draft.code])
    data = _edit_data(client, url)
    for value in (places["closed"].pk, 987654, "x"):
        response = client.post(url, {**data, "places-selected": [places["agdal"].pk, value]})
        assert response.status_code == 200
        assert response.context["places"].errors["selected"]
    assert not draft.deposit_places.exists()
