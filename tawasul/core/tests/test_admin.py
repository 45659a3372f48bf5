"""The holiday-override admin writes through the services (version bump + signal)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tawasul.core.calendar import is_working_day
from tawasul.core.models import HolidayOverride
from tawasul.core.signals import holidays_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def signalled():
    received = []

    def listener(sender, dates, **kwargs):
        received.append(dates)

    holidays_changed.connect(listener)
    yield received
    holidays_changed.disconnect(listener)


def test_a_day_off_added_in_the_admin_closes_it(admin_client, signalled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:core_holidayoverride_add"),
            {
                "date": "2026-06-15",
                "kind": "add",
                "source": "Communiqué du Chef du gouvernement",
                "name_ar": "عطلة استثنائية",
                "name_fr": "Jour férié exceptionnel",
                "name_zgh": "",
                "name_en": "",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert HolidayOverride.objects.filter(date=date(2026, 6, 15), kind="add").exists()
    assert signalled == [frozenset({date(2026, 6, 15)})]
    assert not is_working_day(date(2026, 6, 15))


def test_deleting_an_override_in_the_admin_reopens_the_day(admin_client, signalled, django_capture_on_commit_callbacks):
    override = HolidayOverride.objects.get(date=date(2025, 4, 1))
    assert not is_working_day(date(2025, 4, 1))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:core_holidayoverride_delete", args=[override.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert signalled == [frozenset({date(2025, 4, 1)})]
    assert is_working_day(date(2025, 4, 1))  # Tuesday, not a holiday for the package


def test_a_day_off_needs_a_name():
    with pytest.raises(ValidationError):
        HolidayOverride(date=date(2026, 6, 15), kind="add", source="x").full_clean()
    HolidayOverride(date=date(2026, 6, 15), kind="remove", source="x").full_clean()
