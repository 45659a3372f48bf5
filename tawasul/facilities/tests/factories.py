"""factory-boy factories for facilities (used by the catalog's tests too).

`FacilityFactory(latitude=33.57, longitude=-7.59)` builds an active facility of a seeded type
in a fresh commune; types and services come from migration 0002 (see `vocabulary.py`).
"""

import factory

from tawasul.facilities.hours import ADMINISTRATION_HOURS
from tawasul.facilities.models import Facility, FacilityType, Service
from tawasul.registry.services import build_search_text
from tawasul.registry.tests.factories import CommuneFactory


class FacilityTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilityType
        django_get_or_create = ("code",)

    code = "commune_office"
    name_ar = "مقر الجماعة"
    name_fr = "Siège de la commune"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = "signature_legalisation"
    name_ar = "تصحيح الإمضاء"
    name_fr = "Légalisation de signature"


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"facility-{n}")
    name_ar = factory.Sequence(lambda n: f"مرفق {n}")
    name_fr = factory.Sequence(lambda n: f"Établissement {n}")
    type = factory.SubFactory(FacilityTypeFactory)
    commune = factory.SubFactory(CommuneFactory)
    address_ar = "شارع محمد الخامس"
    address_fr = "Avenue Mohammed V"
    phone = "+212537000000"
    email = "contact@example.ma"
    opening_hours = factory.LazyFunction(lambda: dict(ADMINISTRATION_HOURS))
    latitude = 34.0209
    longitude = -6.8416
    search_text = factory.LazyAttribute(lambda o: build_search_text(o.name_ar, o.name_fr))

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)
