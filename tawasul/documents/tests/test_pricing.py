"""R3's price: base + per copy × copies + postage by destination, from the table the national unit
edits (defaults written by the migration, [M] lines flagged to confirm); frozen on the order."""

from decimal import Decimal

import pytest

from tawasul.documents.models import DEFAULT_PRICES, Destination, PriceItem
from tawasul.documents.pricing import destination_for, price_table, quote

from .factories import make_order

pytestmark = pytest.mark.django_db


def test_the_migration_writes_the_same_defaults_as_the_code():
    import importlib

    migration = importlib.import_module("tawasul.documents.migrations.0002_default_prices")
    assert {str(code): value for code, value in DEFAULT_PRICES.items()} == migration.DEFAULTS


def test_r3_defaults_flag_what_is_from_memory():
    items = {item.code: item for item in PriceItem.objects.all()}
    assert items["base"].amount == Decimal("20.00") and not items["base"].to_confirm  # "from 20 DH TTC" [S]
    assert {code for code, item in items.items() if item.to_confirm} == {"per_copy", "postage_ma", "postage_abroad"}


@pytest.mark.parametrize(
    ("copies", "destination", "total"),
    [(1, "ma", "25.00"), (3, "ma", "35.00"), (1, "abroad", "55.00"), (10, "abroad", "100.00")],
)
def test_price_is_base_plus_copies_plus_postage(copies, destination, total):
    assert quote(copies=copies, destination=destination).total == Decimal(total)


def test_destination_is_morocco_only_for_ma():
    assert destination_for("ma") == Destination.MOROCCO
    assert destination_for("FR") == Destination.ABROAD


def test_a_missing_line_falls_back_to_its_default():
    PriceItem.objects.filter(code="postage_abroad").delete()
    assert price_table()["postage_abroad"] == Decimal("30.00")


def test_an_edited_table_prices_new_orders_not_placed_ones():
    placed = make_order(copies=2, country="FR", postal_code="75001", city="Paris")
    assert placed.document_order.price_total == Decimal("60.00")
    PriceItem.objects.filter(code="per_copy").update(amount=Decimal("7.50"))
    new = make_order(copies=2)
    assert new.document_order.price_total == Decimal("35.00")
    placed.document_order.refresh_from_db()
    assert placed.document_order.price_total == Decimal("60.00")
