"""The CSV importer a ministry's file goes through (manage.py import_administrations)."""

import pytest
from django.core.management import CommandError, call_command

from tawasul.registry.importers import administrations_import, read_csv
from tawasul.registry.models import Administration

from .factories import AdministrationFactory, CommuneFactory, ProvinceFactory, RegionFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "code,parent_code,kind,group,level,acronym,name_ar,name_fr,region,province,commune,"
    "phone,email,website,joined_on,left_on\n"
)


@pytest.fixture
def places():
    region = RegionFactory(code="04", iso_code="MA-04", name_fr="Rabat-Salé-Kénitra")
    province = ProvinceFactory(code="04.421", region=region)
    commune = CommuneFactory(code="04.421.01.0", province=province)
    other_region = RegionFactory(code="06", iso_code="MA-06")
    return region, province, commune, other_region


GOOD = (
    "mef,,ministry,ministries,central,MEF,وزارة الاقتصاد والمالية,Ministère de l'Économie et des Finances,"
    ",,,0537677501,contact@finances.gov.ma,https://www.finances.gov.ma,2018-02-01,\n"
    "dgi,mef,directorate,ministries,central,DGI,المديرية العامة للضرائب,Direction générale des impôts,"
    ",,,+212537273737,,https://www.tax.gov.ma,2018-03-01,\n"
    "commune-rabat,,commune,territorial,local,,جماعة الرباط,Commune de Rabat,MA-04,04.421,04.421.01.0,"
    ",,,2019-05-06,\n"
)
BAD = (
    "Bad Code!,,ministry,ministries,central,,وزارة,Ministère,,,,,,,,\n"  # line 5
    "orphan,nowhere,directorate,ministries,central,,مديرية,Direction,,,,,,,,\n"  # line 6
    "wrong-kind,,castle,kingdom,galactic,,قصر,Château,,,,,,,,\n"  # line 7
    "no-names,,ministry,ministries,central,,,,,,,,,,,\n"  # line 8
    "bad-place,,commune,territorial,local,,جماعة,Commune,MA-06,04.421,,,,,,\n"  # line 9
    "bad-contact,,ministry,ministries,central,,وزارة,Ministère,,,,12345,not-an-email,ftp://x,,\n"  # line 10
    "bad-dates,,ministry,ministries,central,,وزارة,Ministère,,,,,,,2020-01-01,2019-01-01\n"  # line 11
    "mef,,ministry,ministries,central,,وزارة,Ministère,,,,,,,31/12/2019,\n"  # line 12
)


def _columns(result, line):
    return {e.column for e in result.errors if e.line == line}


def test_good_rows_are_created_with_parents_places_and_e164_phones(places):
    region, province, commune, _ = places
    result = administrations_import(actor=None, rows=read_csv(HEADER + GOOD))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (3, 0)
    dgi = Administration.objects.get(code="dgi")
    assert dgi.parent.code == "mef"
    assert dgi.phone == "+212537273737"
    assert Administration.objects.get(code="mef").phone == "+212537677501"
    rabat = Administration.objects.get(code="commune-rabat")
    assert (rabat.region, rabat.province, rabat.commune) == (region, province, commune)
    assert "\nmef\n" in Administration.objects.get(code="mef").search_text


def test_a_file_with_bad_rows_imports_nothing_and_names_every_error(places):
    result = administrations_import(actor=None, rows=read_csv(HEADER + GOOD + BAD))
    assert not result.ok
    assert not Administration.objects.exists()
    assert _columns(result, 2) == set()  # the good rows have no error
    assert "code" in _columns(result, 5)
    assert "parent_code" in _columns(result, 6)
    assert {"kind", "group", "level"} <= _columns(result, 7)
    assert {"name_ar", "name_fr"} <= _columns(result, 8)
    assert "province" in _columns(result, 9)  # 04.421 is not in MA-06
    assert {"phone", "email", "website"} <= _columns(result, 10)
    assert "left_on" in _columns(result, 11)
    assert {"code", "joined_on"} <= _columns(result, 12)  # duplicate of line 2, and a French date
    assert all(str(e).startswith(f"line {e.line}") for e in result.errors)


def test_reimport_updates_by_code_and_leaves_unchanged_rows_alone(places):
    administrations_import(actor=None, rows=read_csv(HEADER + GOOD))
    renamed = GOOD.replace("Direction générale des impôts", "Direction Générale des Impôts")
    result = administrations_import(actor=None, rows=read_csv(HEADER + renamed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert Administration.objects.get(code="dgi").name_fr == "Direction Générale des Impôts"
    assert Administration.objects.get(code="dgi").history.count() == 2


def test_parent_may_already_be_in_the_registry():
    AdministrationFactory(code="interieur")
    rows = read_csv(HEADER + "dgct,interieur,directorate,ministries,central,,مديرية,Direction,,,,,,,,\n")
    assert administrations_import(actor=None, rows=rows).ok
    assert Administration.objects.get(code="dgct").parent.code == "interieur"


def test_missing_required_column_is_reported_on_the_header_line():
    result = administrations_import(actor=None, rows=read_csv("code,name_ar\nx,س\n"))
    assert [(e.line, e.column) for e in result.errors] == [(1, "")]


def test_spreadsheet_file_with_bom_and_semicolons_is_read(places):
    data = ("\ufeff" + HEADER + GOOD).replace(",", ";").encode("utf-8")
    rows = read_csv(data, delimiter=";")
    assert rows[0]["code"] == "mef"


def test_command_imports_a_file_and_reports(places, tmp_path, capsys):
    path = tmp_path / "ministry.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    call_command("import_administrations", str(path))
    assert "3 created" in capsys.readouterr().out
    assert Administration.objects.count() == 3


def test_command_dry_run_checks_without_importing(places, tmp_path, capsys):
    path = tmp_path / "ministry.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    call_command("import_administrations", str(path), "--dry-run")
    assert "no error" in capsys.readouterr().out
    assert not Administration.objects.exists()


def test_command_lists_row_errors_and_fails(places, tmp_path, capsys):
    path = tmp_path / "ministry.csv"
    path.write_text(HEADER + GOOD + BAD, encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_administrations", str(path))
    assert "line 6, parent_code" in capsys.readouterr().err
    assert not Administration.objects.exists()


def test_command_help_documents_the_columns(capsys):
    with pytest.raises(SystemExit):
        call_command("import_administrations", "--help")
    out = capsys.readouterr().out
    for column in ("parent_code", "kind", "group", "region", "phone", "joined_on", "left_on"):
        assert column in out
