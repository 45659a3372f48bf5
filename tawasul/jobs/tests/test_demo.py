"""The demo loader: a dozen notices of every kind, open and closed, closed ones with their lists."""

import io
import time

import pytest

from tawasul.jobs import demo
from tawasul.jobs.models import Application, ListKind, Notice, NoticeKind, PublishedList
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def test_demo_notices_cover_every_kind_and_lists_are_published():
    for code in demo.RECRUITER_ADMINISTRATIONS:
        AdministrationFactory(code=code)
    started = time.monotonic()
    demo.load(io.StringIO())
    assert time.monotonic() - started < 15
    assert Notice.objects.count() == len(demo.NOTICES)
    assert set(Notice.objects.values_list("kind", flat=True)) == set(NoticeKind.values)
    open_notices = [n for n in Notice.objects.all() if n.is_open()]
    assert 0 < len(open_notices) < Notice.objects.count()
    assert set(PublishedList.objects.values_list("kind", flat=True)) == set(ListKind.values)
    assert Application.objects.filter(status="desisted").exists()
    demo.load(io.StringIO())  # loading again adds nothing
    assert Notice.objects.count() == len(demo.NOTICES)
