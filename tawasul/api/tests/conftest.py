import pytest
from rest_framework.test import APIClient

from tawasul.complaints.models import Subject
from tawasul.registry.tests.factories import AdministrationFactory, CommuneFactory


@pytest.fixture
def client():
    return APIClient(HTTP_ACCEPT_LANGUAGE="fr")


@pytest.fixture
def administration(db):
    return AdministrationFactory(
        code="dgi-api", name_ar="المديرية العامة للضرائب", name_fr="Direction générale des impôts"
    )


@pytest.fixture
def other_administration(db):
    return AdministrationFactory(code="other-api", name_ar="إدارة أخرى", name_fr="Autre administration")


@pytest.fixture
def subject(db):
    return Subject.objects.create(code="api-delays", name_ar="التأخر", name_fr="Retards", position=1)


@pytest.fixture
def sub_subject(subject):
    return Subject.objects.create(
        code="api-delays.documents", parent=subject, name_ar="تأخر الوثائق", name_fr="Documents"
    )


@pytest.fixture
def other_subject(db):
    return Subject.objects.create(code="api-reception", name_ar="الاستقبال", name_fr="Accueil", position=2)


@pytest.fixture
def other_sub_subject(other_subject):
    return Subject.objects.create(code="api-reception.rude", parent=other_subject, name_ar="سوء", name_fr="Mauvais")


@pytest.fixture
def commune(db):
    return CommuneFactory()


@pytest.fixture
def payload(administration, subject, sub_subject):
    """A valid complaint, as the mobile app sends it."""
    return {
        "administration": administration.code,
        "kind": "complaint",
        "subject": subject.code,
        "sub_subject": sub_subject.code,
        "description": "لم أتوصل بشهادة الإقامة رغم مرور شهرين على إيداع الطلب.",
        "first_name": "أمينة",
        "last_name": "الإدريسي",
        "complainant_type": "citizen",
        "id_type": "cin",
        "id_number": "ab123456",
        "email": "Amina@Example.MA",
        "phone": "0612345678",
        "is_confidential": False,
        "place_address": "الرباط",
        "language": "ar",
        "consent": True,
    }


@pytest.fixture
def file_complaint(client, payload):
    """File through the API; returns the 201 body."""

    def file(**changes):
        response = client.post("/api/v1/complaints/", {**payload, **changes}, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    return file
