"""The registry of reception sites: who may add and edit which site, the checklist, the label
and its history; staff of X never reach Y's sites."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tawasul.accounts.roles import Role
from tawasul.cases.tests.factories import make_staff
from tawasul.facilities.tests.factories import FacilityFactory
from tawasul.reception import services
from tawasul.reception.models import ChecklistItem, CheckState, ReceptionSite, SiteCheck
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_2fa(settings):
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def world():
    ministry = AdministrationFactory(kind="ministry")
    x = AdministrationFactory(parent=ministry)
    x_child = AdministrationFactory(parent=x)
    y = AdministrationFactory(parent=ministry)
    return {
        "x": x,
        "x_child": x_child,
        "y": y,
        "head_x": make_staff(x, role=Role.HEAD_OF_UNIT),
        "head_y": make_staff(y, role=Role.HEAD_OF_UNIT),
        "officer_x": make_staff(x, role=Role.OFFICER),
        "national": make_staff(ministry, role=Role.NATIONAL_UNIT),
    }


def _client(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_new_site_has_the_seven_items_not_checked(world):
    site = make_site(world["x"], actor=world["head_x"])
    assert site.administration == world["x"]
    checks = SiteCheck.objects.filter(site=site)
    assert sorted(checks.values_list("item", flat=True)) == sorted(ChecklistItem.values)
    assert set(checks.values_list("state", flat=True)) == {CheckState.NOT_CHECKED}
    assert site.history.count() == 1
    assert site.history.first().history_user == world["head_x"]


def test_head_of_x_adds_sites_of_x_and_below_but_not_of_y(world):
    make_site(world["x_child"], actor=world["head_x"])
    with pytest.raises(PermissionDenied):
        services.site_create(actor=world["head_x"], facility=FacilityFactory(administration=world["y"]))
    with pytest.raises(PermissionDenied):
        services.site_create(actor=world["officer_x"], facility=FacilityFactory(administration=world["x"]))


def test_the_national_unit_adds_any_site_but_a_facility_only_once(world):
    facility = FacilityFactory(administration=world["y"])
    services.site_create(actor=world["national"], facility=facility)
    with pytest.raises(ValidationError):
        services.site_create(actor=world["national"], facility=facility)


def test_a_facility_without_administration_needs_one(world):
    facility = FacilityFactory(administration=None)
    with pytest.raises(ValidationError):
        services.site_create(actor=world["national"], facility=facility)
    site = services.site_create(actor=world["national"], facility=facility, administration=world["y"])
    assert site.administration == world["y"]


def test_checklist_update_records_state_date_and_author(world):
    site = make_site(world["x"], actor=world["head_x"])
    today = dt.date(2026, 11, 20)
    changed = services.site_update_checklist(
        actor=world["head_x"],
        site=site,
        items={
            ChecklistItem.SIGNAGE: {"state": CheckState.COMPLIANT},
            ChecklistItem.WAITING_AREA: {"state": CheckState.PARTIAL, "checked_on": dt.date(2026, 11, 2), "note": "x"},
        },
        today=today,
    )
    assert changed == 2
    signage = site.checks.get(item=ChecklistItem.SIGNAGE)
    assert (signage.state, signage.checked_on) == (CheckState.COMPLIANT, today)
    assert signage.history.first().history_user == world["head_x"]
    assert site.checks.get(item=ChecklistItem.WAITING_AREA).checked_on == dt.date(2026, 11, 2)
    # the same values again change nothing and write no history
    before = SiteCheck.history.count()
    assert (
        services.site_update_checklist(
            actor=world["head_x"],
            site=site,
            items={ChecklistItem.SIGNAGE: {"state": CheckState.COMPLIANT}},
            today=today,
        )
        == 0
    )
    assert SiteCheck.history.count() == before


def test_a_check_cannot_be_dated_in_the_future(world):
    site = make_site(world["x"], actor=world["head_x"])
    with pytest.raises(ValidationError):
        services.site_update_checklist(
            actor=world["head_x"],
            site=site,
            items={ChecklistItem.SIGNAGE: {"state": "compliant", "checked_on": dt.date(2026, 12, 2)}},
            today=dt.date(2026, 12, 1),
        )


def test_staff_of_y_never_edit_the_sites_of_x(world):
    site = make_site(world["x"], actor=world["head_x"])
    with pytest.raises(PermissionDenied):
        services.site_update_checklist(actor=world["head_y"], site=site, items={})
    with pytest.raises(PermissionDenied):
        services.site_update_checklist(actor=world["officer_x"], site=site, items={})


def test_the_label_is_the_national_units_and_needs_every_item(world):
    site = make_site(world["x"], actor=world["head_x"])
    with pytest.raises(PermissionDenied):
        services.site_set_label(actor=world["head_x"], site=site, is_model_site=True)
    with pytest.raises(ValidationError):
        services.site_set_label(actor=world["national"], site=site, is_model_site=True)
    services.site_update_checklist(
        actor=world["head_x"], site=site, items={item: {"state": "compliant"} for item in ChecklistItem.values}
    )
    site = services.site_set_label(
        actor=world["national"], site=site, is_model_site=True, labelled_on=dt.date(2026, 1, 15)
    )
    assert (site.is_model_site, site.labelled_on) == (True, dt.date(2026, 1, 15))
    site = services.site_set_label(actor=world["national"], site=site, is_model_site=False)
    assert (site.is_model_site, site.labelled_on) == (False, None)


# --- Pages ---------------------------------------------------------------------------------------------


def test_head_of_x_edits_the_checklist_of_x_on_the_page(client, world):
    site = make_site(world["x"], actor=world["head_x"])
    url = reverse("reception:staff_site", args=[site.pk])
    _client(client, world["head_x"])
    assert client.get(url).status_code == 200
    data = {f"state_{item}": "not_checked" for item in ChecklistItem.values}
    data["state_signage"] = "compliant"
    data["note_signage"] = "Panneaux bilingues"
    response = client.post(url, data)
    assert response.status_code == 302
    check = site.checks.get(item="signage")
    assert (check.state, check.note) == ("compliant", "Panneaux bilingues")
    page = client.get(url).content.decode()
    assert "Panneaux bilingues" in page


def test_a_bad_checklist_post_keeps_what_was_typed(client, world):
    site = make_site(world["x"], actor=world["head_x"])
    _client(client, world["head_x"])
    data = {f"state_{item}": "not_checked" for item in ChecklistItem.values}
    data |= {"state_signage": "nonsense", "note_signage": "gardé"}
    response = client.post(reverse("reception:staff_site", args=[site.pk]), data)
    assert response.status_code == 400
    assert "gardé" in response.content.decode()
    assert site.checks.get(item="signage").state == "not_checked"


def test_staff_of_y_get_404_for_the_sites_of_x(client, world):
    site = make_site(world["x"], actor=world["head_x"])
    _client(client, world["head_y"])
    for name in ("reception:staff_site", "reception:staff_site_results"):
        assert client.get(reverse(name, args=[site.pk])).status_code == 404
    data = {f"state_{item}": "compliant" for item in ChecklistItem.values}
    assert client.post(reverse("reception:staff_site", args=[site.pk]), data).status_code == 404
    assert site.checks.filter(state="compliant").count() == 0
    listing = client.get(reverse("reception:staff_sites")).content.decode()
    assert f'href="{reverse("reception:staff_site", args=[site.pk])}"' not in listing
    assert site.facility.name_ar not in listing and site.facility.name_fr not in listing


def test_the_site_list_shows_only_the_sites_one_manages(client, world):
    site_x = make_site(world["x"], actor=world["head_x"])
    site_y = make_site(world["y"], actor=world["head_y"])
    link_x = f'href="{reverse("reception:staff_site", args=[site_x.pk])}"'
    link_y = f'href="{reverse("reception:staff_site", args=[site_y.pk])}"'
    page = _client(client, world["head_x"]).get(reverse("reception:staff_sites")).content.decode()
    assert link_x in page and link_y not in page
    page = _client(client, world["national"]).get(reverse("reception:staff_sites")).content.decode()
    assert link_x in page and link_y in page


def test_officers_have_no_staff_page(client, world):
    _client(client, world["officer_x"])
    assert client.get(reverse("reception:staff_sites")).status_code == 403


def test_adding_a_site_from_the_search(client, world):
    facility = FacilityFactory(administration=world["x"], name_ar="مقاطعة حسان", name_fr="Arrondissement Hassan")
    other = FacilityFactory(administration=world["y"], name_ar="مقاطعة حسان ٢", name_fr="Arrondissement Hassan 2")
    _client(client, world["head_x"])
    page = client.get(reverse("reception:staff_site_create"), {"q": "hassan"}).content.decode()
    assert facility.code in page and other.code not in page
    response = client.post(reverse("reception:staff_site_create"), {"facility": facility.code})
    site = ReceptionSite.objects.get(facility=facility)
    assert response.url == reverse("reception:staff_site", args=[site.pk])
    assert client.post(reverse("reception:staff_site_create"), {"facility": other.code}).status_code == 404
    assert not ReceptionSite.objects.filter(facility=other).exists()


def test_the_national_unit_grants_the_label_on_the_page(client, world):
    site = make_site(world["x"], actor=world["head_x"], compliant=True)
    _client(client, world["head_x"])
    assert client.post(reverse("reception:staff_site_label", args=[site.pk]), {"action": "grant"}).status_code == 403
    _client(client, world["national"])
    client.post(reverse("reception:staff_site_label", args=[site.pk]), {"action": "grant", "labelled_on": "2026-02-01"})
    site.refresh_from_db()
    assert (site.is_model_site, site.labelled_on) == (True, dt.date(2026, 2, 1))
    public = client.get(reverse("reception:index")).content.decode()
    assert site.facility.name_fr in public or site.facility.name_ar in public
