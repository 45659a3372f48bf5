"""PostgreSQL: the tsvector column with its GIN index serves the same search()."""

import re

import pytest
from django.db import connection

from tawasul.catalog import services
from tawasul.catalog.models import Procedure, Theme
from tawasul.catalog.search import TITLE_TABLE, search
from tawasul.catalog.tests.factories import make_national_unit, make_procedure

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_gin_indexes_serve_the_full_vector_and_the_titles_table():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_procedure_search_gin'")
        (definition,) = cursor.fetchone()
    assert "gin (search_vector)" in definition
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["catalog_procedure_titles_gin"])
        assert "gin (title_vector)" in cursor.fetchone()[0]


def test_the_full_vector_follows_the_texts_by_itself():
    """A generated column: a write of the normalized texts is enough, no second UPDATE."""
    procedure = make_procedure(code="cnie", title_fr="Carte nationale")
    Procedure.objects.filter(pk=procedure.pk).update(search_text="passeport")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM catalog_procedure WHERE id = %s", [procedure.pk])
        assert re.search(r"'passeport':\d+B", cursor.fetchone()[0])


def test_titles_table_holds_published_procedures_with_their_filters():
    transport = Theme.objects.get(slug="transport")
    published = make_procedure(code="permis", title_fr="Permis de conduire", theme=transport)
    make_procedure(code="draft", title_fr="Permis brouillon", status=Procedure.Status.DRAFT)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, theme_id, subtheme_id FROM {TITLE_TABLE}")
        assert cursor.fetchall() == [(published.pk, transport.pk, published.subtheme_id)]
    services.procedure_archive(actor=make_national_unit(), procedure=published)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TITLE_TABLE}")
        assert cursor.fetchone() == (0,)


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
