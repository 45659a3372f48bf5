"""PostgreSQL: the tsvector column with its GIN index serves the same search()."""

import pytest
from django.db import connection

from tawasul.catalog.models import Theme
from tawasul.catalog.search import search
from tawasul.catalog.tests.factories import make_procedure

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_gin_index_exists_on_the_search_vector():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_procedure_search_gin'")
        (definition,) = cursor.fetchone()
    assert "gin (search_vector)" in definition
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["catalog_procedure_search_title_gin"])
        assert "gin (search_title_vector)" in cursor.fetchone()[0]


def test_arabic_and_french_variants_on_postgres():
    make_procedure(code="cnie", title_ar="البطاقة الوطنية للتعريف الإلكترونية", title_fr="Carte nationale d'identité")
    transport = Theme.objects.get(slug="transport")  # and so the sub-theme "Permis de conduire"
    make_procedure(code="permis", title_ar="رخصة السياقة", title_fr="Permis de conduire", theme=transport)
    assert [p.code for p in search("بطاقه التَّعريف").procedures] == ["cnie"]
    assert [p.code for p in search("PERMIS DE CONDUÏRE").procedures] == ["permis"]
    assert [p.code for p in search("permsi").procedures] == ["permis"]


def test_title_first_on_postgres():
    make_procedure(code="body", title_fr="Attestation", summary_fr="passeport passeport passeport")
    make_procedure(code="title", title_fr="Passeport")
    assert [p.code for p in search("passeport").procedures] == ["title", "body"]
