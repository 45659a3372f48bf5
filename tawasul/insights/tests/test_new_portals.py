"""The documents window, the jobs portal and the contact center in the indicators (docs/adr/0038):
each registers its own provider; the dashboard, the monthly report (PDF, XLSX) and the open data
show their figures; unpaid orders are nobody's figures; the open data withholds 1-4 and names no
one."""

import csv
import datetime as dt
import io
import json
from importlib import import_module

import openpyxl
import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from tawasul.accounts.roles import Role
from tawasul.cases.actors import Actor
from tawasul.cases.services import case_transition
from tawasul.cases.tests.factories import make_staff
from tawasul.core.figures import PROVIDERS
from tawasul.documents.services import order_cancel, order_hand_to_post, order_reject
from tawasul.documents.tests.factories import make_office, make_order, officer_actor, pay
from tawasul.insights import selectors
from tawasul.insights.counters import indicators_refresh
from tawasul.insights.indicators import Period
from tawasul.insights.models import Report
from tawasul.insights.opendata import MIN_COUNT, open_dataset_publish
from tawasul.insights.reports import report_generate
from tawasul.jobs.models import ListKind, PublishedList
from tawasul.jobs.tests.factories import make_application, make_candidate, make_notice
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

#: The contact center sits on insights' rung: its model is looked up, not imported (tests/test_architecture.py).
Contact = apps.get_model("contact", "Contact")

T0 = dt.datetime(2026, 6, 10, 9, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 8, 3, 9, tzinfo=dt.UTC)
JUNE = Period(dt.date(2026, 6, 1), dt.date(2026, 6, 1))
JUNE_JULY = Period(dt.date(2026, 6, 1), dt.date(2026, 7, 1))
ITEM = "RR123456785MA"


def _at(hours: float):
    return time_machine.travel(T0 + dt.timedelta(hours=hours), tick=False)


def _act(case, action, **kwargs):
    case.refresh_from_db()
    return case_transition(case=case, action=action, actor=officer_actor(case), **kwargs)


@pytest.fixture
def world(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path
    x = AdministrationFactory(code="adm-x", name_ar="جماعة سين", name_fr="Commune Iks", name_en="Commune X")
    y = AdministrationFactory(code="adm-y", name_ar="جماعة صاد", name_fr="Commune Igrec", name_en="Commune Y")
    office = make_office(x)
    # Documents: five paid orders, one left unpaid, one cancelled unpaid.
    with _at(0):
        paid = [make_order(office=office, holder_first_name_latin="Zineb") for _ in range(5)]
        unpaid = make_order(office=office)
        cancelled = make_order(office=office)
        for case in paid:
            pay(case)
        order_cancel(case=cancelled, actor=Actor.system())
    issued, rejected, returned = paid[0], paid[1], paid[2]
    with _at(6):
        for case in (issued, returned):
            _act(case, "start_check")
            _act(case, "issue")
            case.refresh_from_db()
            order_hand_to_post(case=case, actor=officer_actor(case), item_number=ITEM)
        rejected.refresh_from_db()
        order_reject(case=rejected, actor=officer_actor(rejected), reason="record_not_found")
    with _at(48):
        _act(issued, "mark_delivered")
        _act(returned, "mark_returned")
    # Jobs: a notice of X published on T0, deadline ten days later, six applications, final
    # results twenty days after the deadline (in July).
    with _at(0):
        notice = make_notice(x, deadline_at=T0 + dt.timedelta(days=10))
    with _at(24):
        for _ in range(6):
            make_application(notice, make_candidate(first_name="Yassine", last_name="Tazi"))
    PublishedList.objects.create(notice=notice, kind=ListKind.FINAL_MAIN, published_at=T0 + dt.timedelta(days=30))
    # Contact center: three calls about X, two emails about nothing in particular, two callbacks
    # (one made within a day, one after five).
    day = T0.date()
    for _ in range(3):
        Contact.objects.create(channel="phone", category="complaint", administration=x, created_at=T0, day=day)
    for _ in range(2):
        Contact.objects.create(channel="email", category="procedure_info", created_at=T0, day=day)
    for late in (False, True):
        Contact.objects.create(
            channel="assistant",
            category="other",
            created_at=T0,
            day=day,
            note="Appelez Khadija au 0611223344",
            callback_status="done",
            callback_handled_at=T0 + dt.timedelta(days=5 if late else 1),
        )
    with time_machine.travel(NOW, tick=False):
        indicators_refresh(full=True)
    cache.clear()
    return {"x": x, "y": y, "paid": paid, "unpaid": unpaid, "cancelled": cancelled, "notice": notice}


def _section(data, code):
    return next(s for s in data["sections"] if s["code"] == code)


def _national(period=JUNE_JULY):
    with translation.override("en"), time_machine.travel(NOW, tick=False):
        return selectors.dashboard(scope=None, period=period, portal=None, administration=None)


def test_each_new_portal_registers_its_own_provider_with_translatable_labels():
    for code in ("documents", "jobs", "contact"):
        provider = PROVIDERS[code]
        assert provider is import_module(f"tawasul.{code}.indicators").PROVIDER
        assert isinstance(provider.label, Promise) and isinstance(provider.note, Promise)
        assert all(isinstance(column.label, Promise) for column in provider.columns)
    assert PROVIDERS["documents"].figures is None  # a case portal: read from insights' counters


def test_documents_count_paid_orders_only_with_rejections_returns_and_medians(world):
    section = _section(_national(), "documents")
    assert section["columns"][:2] == ["Orders received (paid)", "Issued or rejected"]
    total = section["totals"][0]
    assert total["received"] == 5  # not the unpaid nor the cancelled one
    assert total["processed_pct"] == "60.0 %"  # two issued, one rejected
    assert (total["rejected"], total["returned"]) == (1, 1)
    assert total["issue_time"] == "6 h" and total["delivery_time"] == "48 h"
    assert [row["label"] for row in section["administrations"]] == ["Commune X"]


def test_jobs_count_notices_applications_and_the_time_to_results(world):
    total = _section(_national(), "jobs")["totals"][0]
    assert (total["received"], total["notices"], total["posts"]) == (6, 1, 5)
    assert total["results_time"] == "20 days"  # deadline + 20 days
    june = _section(_national(JUNE), "jobs")["totals"][0]
    assert june["results_time"] == "—"  # the results came in July


def test_contact_counts_by_channel_and_category_and_callbacks_in_time(world):
    section = _section(_national(), "contact")
    total = section["totals"][0]
    assert total["received"] == 7
    assert (total["channel_phone"], total["channel_email"], total["channel_assistant"]) == (3, 2, 2)
    assert (total["category_complaint"], total["category_procedure_info"]) == (3, 2)
    assert (total["callbacks"], total["callbacks_in_time"]) == (2, "50.0 %")
    assert {row["label"] for row in section["administrations"]} == {"Commune X", "No administration concerned"}


def test_callbacks_in_time_follow_the_platforms_promised_time(world, settings):
    settings.CONTACT_CALLBACK_WITHIN_DAYS = 6  # the late callback (5 days) is now in time
    total = _section(_national(), "contact")["totals"][0]
    assert (total["callbacks"], total["callbacks_in_time"]) == (2, "100.0 %")


def test_a_head_of_y_sees_none_of_x_figures(world, client):
    client.force_login(make_staff(world["y"], role=Role.HEAD_OF_UNIT))
    with translation.override("en"):
        url = reverse("insights:dashboard")
    with time_machine.travel(NOW, tick=False):
        page = client.get(url, {"start": "2026-06", "end": "2026-07"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    for code in ("documents", "jobs", "contact"):
        assert f'id="portal-{code}"' in page.text
    assert "Commune X" not in page.text and "No administration concerned" not in page.text


def test_the_dashboard_page_shows_every_portal(world, client):
    client.force_login(make_staff(AdministrationFactory(), role=Role.NATIONAL_UNIT))
    with translation.override("en"):
        url = reverse("insights:dashboard")
    with time_machine.travel(NOW, tick=False):
        page = client.get(url, {"start": "2026-06", "end": "2026-07"})
    assert page.status_code == 200
    for code in PROVIDERS:
        assert f'id="portal-{code}"' in page.text
    assert page.text.count("<svg") == 2 * len(PROVIDERS)


def test_the_monthly_report_has_a_sheet_and_figures_per_new_portal(world):
    with time_machine.travel(NOW, tick=False):
        report = report_generate(
            kind=Report.Kind.MONTHLY, period_start=dt.date(2026, 6, 1), period_end=dt.date(2026, 6, 30)
        )
    with report.xlsx.open("rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    with translation.override("ar"):
        labels = {code: str(PROVIDERS[code].label) for code in PROVIDERS}
    titles = {sheet["A1"].value: sheet for sheet in book.worksheets}
    documents = [[c.value for c in row] for row in titles[labels["documents"]].iter_rows(min_row=4)]
    assert documents[0][:3] == ["جماعة سين", 5, "60.0 %"]
    month = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    for code in ("documents", "jobs", "contact"):
        assert labels[code] in month
    assert report.pdf.size > 0


def test_pending_report_leaves_out_unpaid_orders(world):
    from tawasul.insights.reports import pending_figures

    data = pending_figures(2026)
    with translation.override("ar"):
        label = str(PROVIDERS["documents"].label)
    documents = next(p for p in data["portals"] if p["label"] == label)
    assert documents["pending"] == 2  # the two paid orders still with the office


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def test_open_data_carries_the_new_portals_withholds_small_counts_and_names_no_one(world):
    dataset = open_dataset_publish(month=dt.date(2026, 6, 1))
    raw_csv, raw_json = _read(dataset.csv), _read(dataset.json)
    unpaid = world["unpaid"]
    secrets = ("Zineb", "Amina", "Alaoui", "Yassine", "Tazi", "Khadija", "0611223344", "AB123456", unpaid.reference)
    for secret in (*secrets, unpaid.email, world["paid"][0].reference, "2026-06-10"):
        assert secret.encode() not in raw_csv and secret.encode() not in raw_json
    rows = list(csv.DictReader(io.StringIO(raw_csv.decode("utf-8-sig"))))
    by = {(r["portal"], r["administration_code"], r["subject"]): r for r in rows}
    assert by[("documents", "adm-x", "birth_extract")]["received"] == "5"  # paid orders only
    assert by[("jobs", "adm-x", "recruitment_competition")]["received"] == "6"
    assert by[("jobs", "adm-x", "recruitment_competition")]["processed"] == ""
    assert by[("contact", "adm-x", "complaint")]["received"] == ""  # 3 < 5: withheld
    assert by[("contact", "", "procedure_info")]["received"] == ""
    document = json.loads(raw_json)
    assert document["suppressed_below"] == MIN_COUNT
    assert document["not_applicable"] == {"processed": ["jobs", "contact"]}
    for row in document["rows"]:
        for key in ("received", "processed"):
            assert row[key] is None or row[key] == 0 or row[key] >= MIN_COUNT
