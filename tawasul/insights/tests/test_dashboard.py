"""The dashboard: national unit sees every administration; a head of unit only its own; charts are
server-rendered SVG with the data table beside them; bad filters are reported and kept."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from tawasul.accounts.roles import Role
from tawasul.cases.tests.factories import make_staff
from tawasul.complaints.tests.factories import make_complaint
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 6, 10, 9, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def two_administrations():
    x = AdministrationFactory(code="adm-x", name_ar="إدارة سين", name_fr="Administration Iks")
    y = AdministrationFactory(code="adm-y", name_ar="إدارة صاد", name_fr="Administration Igrec")
    with time_machine.travel(T0, tick=False):
        for _ in range(3):
            make_complaint(x)
        for _ in range(5):
            make_complaint(y)
    return x, y


def _get(client, **params):
    with translation.override("ar"):  # the page in Arabic: the administrations' Arabic names
        url = reverse("insights:dashboard")
    with time_machine.travel(NOW, tick=False):
        return client.get(url, params)


def test_head_of_unit_of_x_never_sees_y(two_administrations, client):
    x, y = two_administrations
    client.force_login(make_staff(x, role=Role.HEAD_OF_UNIT))
    page = _get(client)
    assert page.status_code == 200
    assert "إدارة سين" in page.text and "إدارة صاد" not in page.text
    # Asking for Y by its id is refused by the form (not one of the choices), and shows nothing of Y.
    page = _get(client, administration=y.pk)
    assert "إدارة صاد" not in page.text and "is-invalid" in page.text


def test_officers_and_citizens_see_no_dashboard(two_administrations, client):
    x, _y = two_administrations
    client.force_login(make_staff(x, role=Role.OFFICER))
    assert _get(client).status_code == 403


def test_national_unit_sees_every_administration_with_svg_and_table(two_administrations, client):
    client.force_login(make_staff(AdministrationFactory(), role=Role.NATIONAL_UNIT))
    page = _get(client, start="2026-06", end="2026-06", portal="complaints")
    assert page.status_code == 200
    html = page.text
    assert "إدارة سين" in html and "إدارة صاد" in html
    assert html.count("<svg") == 2 and "<script" not in html.split("<main")[-1].split("</main>")[0]
    assert "<title" in html and "<table" in html
    # 8 complaints in June across both: the total row.
    assert ">8<" in html


def test_bad_month_is_reported_and_kept(two_administrations, client):
    client.force_login(make_staff(AdministrationFactory(), role=Role.NATIONAL_UNIT))
    page = _get(client, start="juin", end="2026-06")
    assert page.status_code == 200
    assert "YYYY-MM" in page.text and 'value="juin"' in page.text and "<svg" not in page.text


def test_start_after_end_is_refused(two_administrations, client):
    client.force_login(make_staff(AdministrationFactory(), role=Role.NATIONAL_UNIT))
    page = _get(client, start="2026-07", end="2026-01")
    assert "is-invalid" in page.text and "<svg" not in page.text


def test_chart_labels_are_escaped(client):
    hostile = AdministrationFactory(name_ar="<script>alert(1)</script>", name_fr="<script>alert(1)</script>")
    with time_machine.travel(T0, tick=False):
        make_complaint(hostile)
    client.force_login(make_staff(AdministrationFactory(), role=Role.NATIONAL_UNIT))
    page = _get(client, start="2026-06", end="2026-06")
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)" in page.text


def test_right_to_left_bars_grow_leftwards():
    from tawasul.insights.charts import LABEL_WIDTH, WIDTH, bar_chart

    ltr = bar_chart("t", [("a", 10, "10"), ("b", 5, "5")])
    rtl = bar_chart("t", [("a", 10, "10"), ("b", 5, "5")], rtl=True)
    assert ltr.bars[0].x == LABEL_WIDTH and ltr.bars[1].width == ltr.bars[0].width // 2
    assert rtl.bars[0].x + rtl.bars[0].width == WIDTH - LABEL_WIDTH and rtl.label_anchor == "start"
