"""The program's activities and progress pages: who updates what, the arithmetic of the totals
per administration and national, the public overall progress."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tawasul.accounts.roles import Role
from tawasul.cases.tests.factories import make_staff
from tawasul.reception import selectors, services
from tawasul.reception.models import Activity, ActivityStatus
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_2fa(settings):
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def world():
    ministry = AdministrationFactory(kind="ministry")
    x = AdministrationFactory(parent=ministry, name_fr="Administration X")
    y = AdministrationFactory(parent=ministry, name_fr="Administration Y")
    return {
        "x": x,
        "y": y,
        "head_x": make_staff(x, role=Role.HEAD_OF_UNIT),
        "head_y": make_staff(y, role=Role.HEAD_OF_UNIT),
        "national": make_staff(ministry, role=Role.NATIONAL_UNIT),
    }


def _activity(administration, *, status=ActivityStatus.PLANNED, completion=0, **fields):
    values = {
        "title_ar": "نشاط",
        "title_fr": "Activité",
        "planned_start": dt.date(2026, 1, 1),
        "planned_end": dt.date(2026, 12, 31),
        "status": status,
        "completion": completion,
    }
    if status != ActivityStatus.PLANNED:
        values["started_on"] = dt.date(2026, 1, 2)
    if status == ActivityStatus.DONE:
        values["ended_on"] = dt.date(2026, 6, 30)
    return Activity.objects.create(administration=administration, **(values | fields))


def _client(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_only_the_national_unit_plans_activities(world):
    data = {
        "title_ar": "تأهيل",
        "administration": world["x"],
        "planned_start": dt.date(2026, 1, 1),
        "planned_end": dt.date(2026, 6, 30),
    }
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=world["head_x"], data=data)
    activity = services.activity_create(actor=world["national"], data=data)
    assert activity.status == ActivityStatus.PLANNED and activity.completion == 0
    assert activity.history.first().history_user == world["national"]


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))
def test_the_owner_reports_progress_but_not_the_plan(world):
    activity = _activity(world["x"])
    services.activity_update(
        actor=world["head_x"],
        activity=activity,
        data={"status": "in_progress", "completion": 30, "started_on": dt.date(2026, 2, 1), "title_ar": "غير"},
    )
    activity.refresh_from_db()
    assert (activity.status, activity.completion, activity.title_ar) == ("in_progress", 30, "نشاط")
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=world["head_y"], activity=activity, data={"completion": 50})


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))
def test_progress_rules_are_enforced_by_the_service(world):
    activity = _activity(world["x"], status=ActivityStatus.IN_PROGRESS, completion=30)
    with pytest.raises(ValidationError):
        services.activity_update(actor=world["head_x"], activity=activity, data={"status": "done", "completion": 80})
    with pytest.raises(ValidationError):
        services.activity_update(actor=world["head_x"], activity=activity, data={"started_on": dt.date(2026, 12, 1)})
    data = {"status": "done", "completion": 100}
    done = services.activity_update(actor=world["head_x"], activity=activity, data=data)
    assert done.ended_on == dt.date(2026, 11, 20)


def test_progress_totals_per_administration_and_national(world):
    _activity(world["x"], status=ActivityStatus.DONE, completion=100)
    _activity(world["x"], status=ActivityStatus.IN_PROGRESS, completion=50)
    _activity(world["x"], status=ActivityStatus.CANCELLED, completion=10)
    _activity(world["y"], status=ActivityStatus.PLANNED, completion=0, planned_end=dt.date(2026, 3, 31))
    today = dt.date(2026, 11, 20)
    national = selectors.progress(selectors.activities_for(world["national"]), today=today)
    assert national["count"] == 4
    assert national["completion"] == 50  # (100 + 50 + 0) / 3, the cancelled one left out
    assert national["late"] == 1
    assert national["by_status"] == {"planned": 1, "in_progress": 1, "done": 1, "cancelled": 1}
    rows = selectors.progress_by_administration(Activity.objects.all(), today=today)
    groups = {g["administration"].pk: g for g in rows}
    assert groups[world["x"].pk]["completion"] == 75
    assert groups[world["y"].pk]["completion"] == 0
    own = selectors.progress(selectors.activities_for(world["head_x"]), today=today)
    assert own["count"] == 3 and own["completion"] == 75


def test_progress_page_is_scoped(client, world):
    _activity(world["x"], title_fr="Chantier de X")
    _activity(world["y"], title_fr="Chantier de Y")
    page = _client(client, world["head_x"]).get("/fr/reception/staff/progress/")
    text = page.content.decode()
    assert "Chantier de X" in text and "Chantier de Y" not in text
    text = _client(client, world["national"]).get("/fr/reception/staff/progress/").content.decode()
    assert "Chantier de X" in text and "Chantier de Y" in text


def test_head_of_y_cannot_open_an_activity_of_x(client, world):
    activity = _activity(world["x"])
    _client(client, world["head_y"])
    url = reverse("reception:staff_activity", args=[activity.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "in_progress", "completion": 99}).status_code == 404


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))
def test_progress_form_shows_errors_and_keeps_input(client, world):
    activity = _activity(world["x"])
    _client(client, world["head_x"])
    url = reverse("reception:staff_activity", args=[activity.pk])
    response = client.post(url, {"status": "done", "completion": "70", "started_on": "2026-02-01"})
    assert response.status_code == 400
    assert 'value="70"' in response.content.decode()
    response = client.post(url, {"status": "in_progress", "completion": "70", "started_on": "2026-02-01"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.completion == 70


def test_national_unit_creates_an_activity_from_the_page(client, world):
    _client(client, world["national"])
    response = client.post(
        reverse("reception:staff_activity_create"),
        {
            "title_ar": "تأهيل فضاء الاستقبال",
            "title_fr": "Mise à niveau",
            "administration": world["x"].pk,
            "planned_start": "2027-01-01",
            "planned_end": "2027-06-30",
            "status": "planned",
            "completion": "0",
        },
    )
    assert response.status_code == 302
    assert Activity.objects.get().administration == world["x"]


def test_public_page_shows_the_overall_progress(client, world):
    for _ in range(4):
        _activity(world["x"], status=ActivityStatus.DONE, completion=100)
    page = client.get("/ar/reception/").content.decode()
    assert 'value="100"' in page
    assert "100%" in page
