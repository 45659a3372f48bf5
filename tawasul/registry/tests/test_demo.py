"""The demo administrations: at least 116 real ones (SPEC.md: 116 administrations joined)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tawasul.registry.demo import NATIONAL_UNIT_CODE
from tawasul.registry.models import Administration
from tawasul.registry.selectors import administrations_joined

pytestmark = pytest.mark.django_db

CHIKAYA_LAUNCH = dt.date(2018, 1, 9)


def test_at_least_116_administrations_with_arabic_and_french_names(demo_data):
    assert Administration.objects.count() >= 116
    assert not Administration.objects.filter(name_ar="").exists()
    assert not Administration.objects.filter(name_fr="").exists()


def test_every_demo_administration_passes_model_validation(demo_data):
    for administration in Administration.objects.all():
        try:
            administration.full_clean()
        except ValidationError as exc:  # pragma: no cover - the message names the culprit
            pytest.fail(f"{administration.code}: {exc}")
        assert administration.kind in Administration.Kind.values
        assert administration.group in Administration.Group.values


def test_every_phone_is_e164_and_moroccan(demo_data):
    for phone in Administration.objects.exclude(phone="").values_list("phone", flat=True):
        assert phone.startswith("+212") and len(phone) == 13


def test_the_three_statistics_groups_are_all_represented(demo_data):
    groups = set(Administration.objects.values_list("group", flat=True))
    assert groups == set(Administration.Group.values)


def test_twelve_regional_councils_one_per_region(demo_data):
    councils = Administration.objects.filter(kind=Administration.Kind.REGION_COUNCIL)
    assert councils.count() == 12
    assert {c.region.iso_code for c in councils} == {f"MA-{i:02d}" for i in range(1, 13)}


def test_city_communes_are_linked_to_their_real_commune_rows(demo_data):
    casablanca = Administration.objects.get(code="commune-casablanca")
    assert casablanca.commune.code == "06.141.01.0"
    assert casablanca.province.code == "06.141"
    assert casablanca.region.code == "06"
    for adm in Administration.objects.filter(kind=Administration.Kind.COMMUNE).select_related("commune__province"):
        assert adm.commune is not None
        assert adm.commune.province_id == adm.province_id
        assert adm.commune.province.region_id == adm.region_id
        assert adm.commune.name_ar in adm.name_ar


def test_directorates_hang_under_their_ministry(demo_data):
    assert Administration.objects.get(code="dgi").parent.code == "economie-finances"
    assert Administration.objects.get(code="etat-civil").parent.parent.code == "interieur"


def test_joining_dates_run_from_the_chikaya_launch_to_march_2020(demo_data):
    dates = list(Administration.objects.exclude(joined_on=None).values_list("joined_on", flat=True))
    assert min(dates) == CHIKAYA_LAUNCH
    assert max(dates) <= dt.date(2020, 3, 2)
    assert len(set(dates)) > 50  # spread, so "administrations joined" over time is a real curve


def test_administrations_joined_grows_over_time_and_some_left(demo_data):
    early = administrations_joined(on=dt.date(2018, 6, 1)).count()
    later = administrations_joined(on=dt.date(2020, 3, 2)).count()
    assert 0 < early < later
    assert Administration.objects.exclude(left_on=None).count() >= 2
    assert administrations_joined().count() >= 116


def test_national_unit_is_the_ministry_in_charge_of_administration_reform(demo_data):
    unit = Administration.objects.get(code=NATIONAL_UNIT_CODE)
    assert unit.kind == Administration.Kind.MINISTRY
    assert unit.name_fr == "Ministère de la Transition numérique et de la Réforme de l'administration"
    assert unit.joined_on == CHIKAYA_LAUNCH


def test_loading_the_demo_twice_changes_nothing(demo_data):
    from tawasul.registry import demo

    lines = []

    class Out:
        def write(self, text):
            lines.append(text)

    count = Administration.objects.count()
    history = Administration.history.count()
    demo.load(Out())
    assert Administration.objects.count() == count
    assert Administration.history.count() == history
    assert "0 created, 0 updated" in lines[-1]
