"""factory-boy factories for the registry, used by every app's tests.

`AdministrationFactory(code="dgi", name_ar="...")` builds a joined administration and fills its
`search_text` the way `administration_save` does, so search works on factory data.
"""

import datetime as dt

import factory

from tawasul.registry.models import Administration, Commune, Province, Region
from tawasul.registry.services import administration_search_text, build_search_text


class _SearchTextMixin:
    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.search_text = cls._search_text(obj)
        obj.save()
        return obj

    @staticmethod
    def _search_text(obj):
        return build_search_text(*obj.names())


class RegionFactory(_SearchTextMixin, factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    # Codes 13–99 never clash with the 12 real regions an import may have created.
    code = factory.Sequence(lambda n: f"{13 + n % 87:02d}")
    iso_code = factory.LazyAttribute(lambda o: f"MA-{o.code}")
    name_ar = factory.Sequence(lambda n: f"جهة {n}")
    name_fr = factory.Sequence(lambda n: f"Région {n}")
    name_en = factory.LazyAttribute(lambda o: o.name_fr)


class ProvinceFactory(_SearchTextMixin, factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"99.{n:03d}")
    kind = Province.Kind.PROVINCE
    name_ar = factory.Sequence(lambda n: f"إقليم {n}")
    name_fr = factory.Sequence(lambda n: f"Province {n}")


class CommuneFactory(_SearchTextMixin, factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"99.999.{n:04d}")
    kind = Commune.Kind.URBAN
    name_ar = factory.Sequence(lambda n: f"جماعة {n}")
    name_fr = factory.Sequence(lambda n: f"Commune {n}")
    population = 10_000


class AdministrationFactory(_SearchTextMixin, factory.django.DjangoModelFactory):
    class Meta:
        model = Administration
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"adm-{n}")
    name_ar = factory.Sequence(lambda n: f"إدارة {n}")
    name_fr = factory.Sequence(lambda n: f"Administration {n}")
    name_en = factory.Sequence(lambda n: f"Administration {n}")
    kind = Administration.Kind.MINISTRY
    group = Administration.Group.MINISTRIES
    level = Administration.Level.CENTRAL
    email = factory.LazyAttribute(lambda o: f"contact@{o.code}.gov.ma")
    joined_on = dt.date(2019, 1, 9)

    @staticmethod
    def _search_text(obj):
        return administration_search_text(obj)
