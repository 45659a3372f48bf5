import io

import pytest
from django.db import models

from tawasul.catalog.demo import load
from tawasul.catalog.models import Procedure
from tawasul.catalog.search import search
from tawasul.registry.demo import load as load_registry

pytestmark = pytest.mark.django_db


def test_demo_loads_at_least_60_real_procedures_that_search_finds():
    load_registry(io.StringIO())
    load(io.StringIO())
    published = Procedure.objects.filter(status=Procedure.Status.PUBLISHED)
    assert published.count() >= 60
    assert published.values("theme").distinct().count() == 14
    assert search("بطاقة التعريف").procedures[0].code.startswith("cnie")
    assert search("carte d'identité").procedures[0].code.startswith("cnie")
    assert published.get(code="passeport-biometrique").stamp_duty == 500
    # every demo procedure sits in a sub-theme of its own theme
    assert not published.filter(subtheme__isnull=True).exists()
    assert not published.exclude(subtheme__theme=models.F("theme")).exists()
    assert published.get(code="passeport-biometrique").subtheme.slug == "passeport"


def test_generator_builds_the_requested_counts_and_indexes_them():
    from django.core.management import call_command

    load_registry(io.StringIO())
    call_command("generate_catalog", procedures=30, online=5, investor=7, stdout=io.StringIO())
    published = Procedure.objects.filter(status=Procedure.Status.PUBLISHED)
    assert published.filter(kind="procedure").count() == 30
    assert published.filter(kind="online_service").count() == 5
    assert published.filter(kind="investor").count() == 7
    assert all(p.max_delay_days <= 30 for p in published.filter(kind="investor"))
    assert search("", kind="investor").total == 7
    first = published.filter(kind="procedure").first()
    assert search(first.title_fr.split(" - ")[0]).total >= 1
    # generated procedures take their source's sub-theme
    assert not published.filter(subtheme__isnull=True).exists()
    assert not published.exclude(subtheme__theme=models.F("theme")).exists()
