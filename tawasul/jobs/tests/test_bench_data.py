"""`bench/jobs_data.py` writes consistent data (small numbers here; the lead times the seeds' ones)."""

import pytest
from django.test import Client

from tawasul.jobs.models import Application, ListEntry, Notice, PublishedList
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def test_generate_writes_notices_applications_and_lists():
    from bench.jobs_data import generate

    AdministrationFactory(code="bench-jobs")
    stats = generate(notices=4, applications=200, seed=7)
    assert stats["notices"] == 4 and stats["applications"] == 200
    assert Application.objects.count() == 200
    assert PublishedList.objects.count() == 2 * 5  # the two closed notices, five lists each
    assert ListEntry.objects.count() == stats["list_entries"] > 0
    assert len(set(Application.objects.values_list("reference", flat=True))) == 200
    closed = Notice.objects.filter(lists__isnull=False).distinct().first()
    response = Client().get(f"/fr/jobs/notice/{closed.pk}/list/final_main/")
    assert response.status_code == 200
    from bench.jobs_data import hot_paths

    paths = hot_paths(limit=5)
    assert paths and all(Client().get(path).status_code == 200 for path in paths)
