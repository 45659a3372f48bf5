"""Factories for users and memberships (factory-boy)."""

from __future__ import annotations

import itertools

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from tawasul.accounts.models import Membership, User
from tawasul.accounts.roles import Role

PASSWORD = "correct-horse-battery-staple"

_codes = itertools.count(1)


def make_administration(code: str | None = None, *, parent=None, **fields):
    """An administration, through the registry's factory when it exists."""
    try:
        from tawasul.registry.tests.factories import AdministrationFactory
    except ImportError:  # the registry's factories are written by another module
        AdministrationFactory = None
    code = code or f"adm-{next(_codes)}"
    if AdministrationFactory is not None:
        return AdministrationFactory(code=code, parent=parent, **fields)
    from tawasul.registry.models import Administration

    defaults = {"name_ar": f"إدارة {code}", "kind": "ministry", "group": "ministries"}
    return Administration.objects.create(code=code, parent=parent, **{**defaults, **fields})


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.ma")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """allauth's mandatory verification: the email is verified unless `verified=False`."""
        if create and obj.email:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=extracted is not False)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    administration = factory.LazyFunction(make_administration)
    role = Role.OFFICER
    starts_on = factory.LazyFunction(timezone.localdate)
