"""Complaints for tests, filed through the real service (never written around it)."""

from __future__ import annotations

import io
import itertools
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tawasul.cases.actors import Actor
from tawasul.cases.tests.factories import make_staff
from tawasul.complaints.models import Subject
from tawasul.complaints.services import complaint_submit
from tawasul.registry.tests.factories import AdministrationFactory, CommuneFactory

_numbers = itertools.count(1)


def main_subject() -> Subject:
    """A national main subject with at least one sub-subject (loaded by migration 0002)."""
    return Subject.objects.filter(administration__isnull=True, parent__isnull=True, children__isnull=False).first()


def make_complaint(administration=None, **fields):
    administration = administration or AdministrationFactory()
    subject = fields.pop("subject", None) or main_subject()
    defaults = {
        "kind": "complaint",
        "description": "لم أتوصل بالوثيقة المطلوبة منذ شهرين رغم التذكير.",
        "first_name": "Amina",
        "last_name": "El Idrissi",
        "id_type": "cin",
        "id_number": "AB123456",
        "email": f"citizen{next(_numbers)}@example.ma",
        "phone": "0612345678",
        "language": "fr",
    }
    defaults.update(fields)
    return complaint_submit(
        actor=Actor(user=None, roles=frozenset({"requester"})),
        administration=administration,
        subject=subject,
        **defaults,
    )


def staff_actor(case, role="officer") -> Actor:
    user = make_staff(case.administration, role=role)
    from tawasul.cases.actors import actor_for

    return actor_for(user, case)


def png_upload(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def api_filing(administration, **overrides) -> dict:
    """The smallest valid complaint as the API takes it (`POST /api/v1/complaints/`)."""
    return {
        "administration": administration.code,
        "kind": "complaint",
        "subject": main_subject().code,
        "description": "Mon dossier de permis déposé en janvier n'a reçu aucune réponse.",
        "first_name": "Amina",
        "last_name": "El Idrissi",
        "id_type": "cin",
        "id_number": "AB123456",
        "email": "amina@example.ma",
        "consent": True,
        **overrides,
    }


def valid_form_data(administration, **overrides) -> dict:
    subject = main_subject()
    commune = overrides.pop("commune_obj", None) or CommuneFactory()
    data = {
        "administration": administration.code,
        "kind": "complaint",
        "subject": str(subject.pk),
        "sub_subject": str(subject.children.first().pk),
        "region": commune.province.region.code,
        "province": commune.province.code,
        "commune": commune.code,
        "place_address": "Avenue Mohammed V",
        "description": "Mon dossier de permis déposé en janvier n'a reçu aucune réponse.",
        "first_name": "Amina",
        "last_name": "El Idrissi",
        "complainant_type": "citizen",
        "id_type": "cin",
        "id_number": "ab123456",
        "email": "Amina@Example.MA",
        "phone": "0612345678",
        "consent": "on",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data
