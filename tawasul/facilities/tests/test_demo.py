"""Demo data: facilities in the real communes, shared by population, inside Morocco; the real
facilities file passes the importer's checks."""

import io

import pytest

from tawasul.facilities import demo
from tawasul.facilities.models import MOROCCO_BBOX, Facility
from tawasul.registry import demo as registry_demo
from tawasul.registry.divisions import divisions_import
from tawasul.registry.models import Commune

pytestmark = pytest.mark.django_db


def test_generated_facilities_follow_population_and_stay_in_morocco():
    divisions_import()
    created = demo.generate(total=3000)
    assert created == 3000 == Facility.objects.count()
    # every commune has its commune office
    offices = Facility.objects.filter(type__code="commune_office").values("commune").distinct().count()
    assert offices == Commune.objects.count() == 1503
    west, south, east, north = MOROCCO_BBOX
    assert not Facility.objects.exclude(
        latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
    ).exists()
    casablanca = Facility.objects.filter(commune__code="06.141.01.0").count()
    small = Facility.objects.filter(commune__population__lt=5000).values("commune").distinct().count()
    assert casablanca > 50  # the biggest commune gets many more than a village
    assert Facility.objects.filter(commune__population__lt=5000).count() < 2 * small


def test_demo_load_imports_the_real_facilities_and_reaches_16043():
    registry_demo.load(io.StringIO())  # divisions and the administrations the real file names
    out = io.StringIO()
    demo.load(out)
    assert Facility.objects.count() == demo.TOTAL == 16_043
    cri = Facility.objects.get(code="real-cri-casablanca-settat")
    assert cri.commune.code == "06.141.01.0" and cri.type.code == "cri"
    assert Facility.objects.get(code="real-poste-rabat").administration.code == "barid-al-maghrib"
    assert "33 real facilities" in out.getvalue()
