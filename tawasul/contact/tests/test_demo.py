"""The demo loader: a few hundred contacts in the 3737 proportions, callbacks waiting, contacts
linked to the complaints demo's phone cases; deterministic and fast; a second run adds nothing."""

import io
import time

import pytest

from tawasul.accounts.roles import Role
from tawasul.cases.models import Case
from tawasul.complaints.tests.factories import make_complaint
from tawasul.contact import demo
from tawasul.contact.models import Contact
from tawasul.contact.selectors import is_contact_supervisor
from tawasul.registry.tests.factories import AdministrationFactory

from .conftest import member

pytestmark = pytest.mark.django_db


def test_demo_contacts(monkeypatch):
    center = AdministrationFactory(code=demo.CENTER)
    x = AdministrationFactory(code="sante")
    phoned = [make_complaint(x, channel="phone_3737"), make_complaint(x, channel="counter")]
    make_complaint(x)  # by web: not linked
    member(center, Role.CONTACT_AGENT)
    started = time.monotonic()
    demo.load(io.StringIO())
    assert time.monotonic() - started < 15
    assert Contact.objects.count() == demo.TOTAL + len(demo.CALLBACKS) + 2
    assert Contact.objects.filter(callback_status="waiting").count() == len(demo.CALLBACKS)
    assert Case.objects.count() == 3  # no complaint is added
    linked = Contact.objects.filter(complaint__isnull=False).order_by("complaint_id")
    assert [(c.complaint_id, c.channel, c.category) for c in linked] == [
        (phoned[0].pk, "phone", "complaint"),
        (phoned[1].pk, "counter", "complaint"),
    ]
    assert set(Contact.objects.values_list("channel", flat=True)) == {
        "phone",
        "email",
        "social",
        "counter",
        "assistant",
    }
    # the center's head of unit reads the log and the statistics
    from tawasul.accounts.models import User

    assert is_contact_supervisor(User.objects.get(email=demo.SUPERVISOR_EMAIL))
    # a second run adds nothing
    demo.load(io.StringIO())
    assert Contact.objects.count() == demo.TOTAL + len(demo.CALLBACKS) + 2
