"""The importer: every row checked, valid rows imported in one transaction or none, a report."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tawasul.facilities.importers import ALL_OR_NOTHING, VALID_ONLY, facilities_import, read_csv, read_geojson
from tawasul.facilities.models import Facility
from tawasul.registry.tests.factories import AdministrationFactory, CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in the msgids' language (English); translations are checked by
    check_translations."""
    with translation.override("en"):
        yield


HEADER = (
    "code,name_ar,name_fr,type,administration,commune,address_fr,phone,email,hours,"
    "latitude,longitude,services,wheelchair_access\n"
)
GOOD_1 = (
    "rabat-poste,بريد الرباط,Poste Rabat,post_office,,01.511.01.0,Av. Mohammed V,0537210000,poste@example.ma,"
    '"mon-fri 08:00-16:30; sat 08:00-12:00",34.0181,-6.8365,parcels|postal_banking,yes\n'
)
GOOD_2 = (
    "cri-casa,المركز الجهوي للاستثمار,CRI Casablanca-Settat,cri,,01.511.01.0,60 Av. Hassan II,+212522481888,,"
    "mon-fri 08:30-16:30,33.5883,-7.6114,company_creation,no\n"
)
BAD_NO_NAME = "x1,,Sans nom arabe,post_office,,01.511.01.0,,,,,34.0,-6.8,,\n"
BAD_MANY = "x2,اسم,Nom,spaceport,,99.999.9999,,12,not-an-email,mon 25:00-26:00,48.85,2.35,teleport,maybe\n"


@pytest.fixture
def commune():
    return CommuneFactory(code="01.511.01.0", name_fr="Tanger", name_ar="طنجة")


def _csv(*rows):
    return read_csv((HEADER + "".join(rows)).encode())


def test_all_or_nothing_imports_nothing_when_one_row_is_wrong(commune):
    result = facilities_import(actor=None, rows=_csv(GOOD_1, BAD_NO_NAME, GOOD_2), mode=ALL_OR_NOTHING)
    assert not result.ok
    assert result.imported == 0
    assert Facility.objects.count() == 0
    assert [(e.row, e.field) for e in result.errors] == [(3, "name_ar")]


def test_valid_only_imports_the_good_rows_and_reports_the_bad_ones(commune):
    result = facilities_import(actor=None, rows=_csv(GOOD_1, BAD_NO_NAME, GOOD_2, BAD_MANY), mode=VALID_ONLY)
    assert (result.created, result.updated, result.skipped) == (2, 0, 2)
    poste = Facility.objects.get(code="rabat-poste")
    assert poste.phone == "+212537210000"  # E.164
    assert poste.opening_hours["sat"] == [["08:00", "12:00"]]
    assert poste.wheelchair_access is True
    assert sorted(poste.services.values_list("code", flat=True)) == ["parcels", "postal_banking"]
    assert poste.history.count() == 1  # simple_history records the import
    fields_of_row_5 = {e.field for e in result.errors if e.row == 5}
    expected = {"type", "commune", "phone", "email", "hours", "latitude", "services", "wheelchair_access"}
    assert fields_of_row_5 == expected


def test_report_lists_row_field_and_message(commune):
    result = facilities_import(actor=None, rows=_csv(GOOD_1, BAD_MANY), mode=VALID_ONLY)
    report = list(csv.reader(io.StringIO(result.report_csv())))
    assert report[0] == ["row", "field", "message"]
    assert ["3", "latitude", "The coordinates are outside Morocco."] in report
    assert any(r[:2] == ["3", "type"] and "spaceport" in r[2] for r in report)


def test_a_second_import_updates_by_code(commune):
    facilities_import(actor=None, rows=_csv(GOOD_1), mode=ALL_OR_NOTHING)
    changed = GOOD_1.replace("Poste Rabat", "Poste Rabat Centre").replace("parcels|postal_banking", "parcels")
    result = facilities_import(actor=None, rows=_csv(changed), mode=ALL_OR_NOTHING)
    assert (result.created, result.updated) == (0, 1)
    poste = Facility.objects.get(code="rabat-poste")
    assert poste.name_fr == "Poste Rabat Centre"
    assert list(poste.services.values_list("code", flat=True)) == ["parcels"]


def test_duplicate_code_in_one_file_is_reported(commune):
    result = facilities_import(actor=None, rows=_csv(GOOD_1, GOOD_1), mode=VALID_ONLY)
    assert result.created == 1
    assert [(e.row, e.field) for e in result.errors] == [(3, "code")]


def test_geojson_points_are_imported_with_administration(commune):
    AdministrationFactory(code="barid-al-maghrib")
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-5.8129, 35.7806]},
                "properties": {
                    "code": "tanger-poste",
                    "name_ar": "بريد طنجة",
                    "name_fr": "Poste Tanger",
                    "type": "post_office",
                    "administration": "barid-al-maghrib",
                    "commune": "01.511.01.0",
                    "hours": {"mon": [["08:00", "16:00"]]},
                },
            },
            {"type": "Feature", "geometry": None, "properties": {"name_ar": "بلا موقع", "name_fr": "Sans lieu"}},
        ],
    }
    result = facilities_import(actor=None, rows=read_geojson(json.dumps(doc)), mode=VALID_ONLY)
    assert result.created == 1
    facility = Facility.objects.get(code="tanger-poste")
    assert (facility.latitude, facility.longitude) == (35.7806, -5.8129)
    assert facility.administration.code == "barid-al-maghrib"
    assert {e.field for e in result.errors if e.row == 2} == {"type", "commune", "latitude", "longitude"}


def test_command_writes_the_report_and_fails_in_all_or_nothing_mode(commune, tmp_path):
    source = tmp_path / "facilities.csv"
    source.write_text(HEADER + GOOD_1 + BAD_NO_NAME, encoding="utf-8")
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_facilities", str(source), "--all-or-nothing", "--report", str(report))
    assert Facility.objects.count() == 0
    assert report.read_text().splitlines()[1].startswith("3,name_ar,")
    call_command("import_facilities", str(source), "--valid-only", "--report", str(report), stdout=io.StringIO())
    assert Facility.objects.count() == 1
