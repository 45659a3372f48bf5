"""Open data: counts per administration, region and subject, no personal data, small counts
suppressed; public pages."""

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.urls import reverse

from tawasul.complaints.tests.factories import make_complaint
from tawasul.insights.opendata import MIN_COUNT, open_dataset_publish, suppress
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 9, 10, 9, tzinfo=dt.UTC)


@pytest.fixture
def september(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path
    big, small = AdministrationFactory(code="big-one"), AdministrationFactory(code="small-one")
    with time_machine.travel(T0, tick=False):
        cases = [make_complaint(big, first_name="Zineb", last_name="Bennani", id_number="ZZ998877") for _ in range(6)]
        cases += [
            make_complaint(small, first_name="Zineb", last_name="Bennani", id_number="ZZ998877") for _ in range(2)
        ]
    return cases


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def test_suppression_threshold():
    assert [suppress(n) for n in (0, 1, MIN_COUNT - 1, MIN_COUNT, 40)] == [0, None, None, MIN_COUNT, 40]


def test_dataset_has_no_personal_data_and_suppresses_small_counts(september):
    dataset = open_dataset_publish(month=dt.date(2026, 9, 1))
    raw_csv, raw_json = _read(dataset.csv), _read(dataset.json)
    case = september[0]
    for secret in ("Zineb", "Bennani", "ZZ998877", case.email, case.reference, case.description[:20], "2026-09-10"):
        assert secret.encode() not in raw_csv and secret.encode() not in raw_json
    rows = {row["administration_code"]: row for row in csv.DictReader(io.StringIO(raw_csv.decode("utf-8-sig")))}
    assert rows["big-one"]["received"] == "6" and rows["big-one"]["processed"] == "0"
    assert rows["small-one"]["received"] == ""  # 2 < 5: withheld
    document = json.loads(raw_json)
    assert document["suppressed_below"] == MIN_COUNT and document["licence"]["name"]
    small = next(r for r in document["rows"] if r["administration_code"] == "small-one")
    assert small["received"] is None


def test_open_data_pages_are_public(september, client):
    dataset = open_dataset_publish(month=dt.date(2026, 9, 1))
    page = client.get(reverse("insights:open_data"))
    assert page.status_code == 200 and reverse("insights:open_data_csv", args=[dataset.slug]) in page.text
    answer = client.get(reverse("insights:open_data_json", args=[dataset.slug]))
    assert answer.status_code == 200 and json.loads(b"".join(answer.streaming_content))["month"] == "2026-09"
    assert client.get(reverse("insights:open_data_csv", args=["2031-01"])).status_code == 404
