"""The price of an order (DOMAIN.md R3 "Pricing"): `base + per_copy × copies + postage(destination)`,
read from the table the national unit edits in the admin (`models.PriceItem`), R3's defaults for a
line that is missing. Shown before paying; frozen on the order when it is placed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import DEFAULT_PRICES, Destination, PriceItem

POSTAGE_ITEM = {Destination.MOROCCO: PriceItem.Code.POSTAGE_MA, Destination.ABROAD: PriceItem.Code.POSTAGE_ABROAD}


@dataclass(frozen=True)
class Quote:
    base: Decimal
    per_copy: Decimal
    copies: int
    postage: Decimal

    @property
    def copies_amount(self) -> Decimal:
        return self.per_copy * self.copies

    @property
    def total(self) -> Decimal:
        return self.base + self.copies_amount + self.postage


def price_table() -> dict[str, Decimal]:
    """Every line of the table (one query), R3's default where a line is missing."""
    table = {code: amount for code, (amount, _to_confirm, _source) in DEFAULT_PRICES.items()}
    table.update(dict(PriceItem.objects.values_list("code", "amount")))
    return table


def destination_for(country: str) -> str:
    return Destination.MOROCCO if (country or "MA").upper() == "MA" else Destination.ABROAD


def quote(*, copies: int, destination: str, table: dict[str, Decimal] | None = None) -> Quote:
    table = table if table is not None else price_table()
    return Quote(
        base=table[PriceItem.Code.BASE],
        per_copy=table[PriceItem.Code.PER_COPY],
        copies=copies,
        postage=table[POSTAGE_ITEM[Destination(destination)]],
    )


def install_default_prices() -> int:
    """Write R3's default lines that are missing (migration 0002 does it on a new database; the
    demo loader and the tests call this after a database flush). Returns the lines added."""
    added = 0
    for code, (amount, to_confirm, source) in DEFAULT_PRICES.items():
        _item, created = PriceItem.objects.get_or_create(
            code=code, defaults={"amount": amount, "to_confirm": to_confirm, "source": source}
        )
        added += created
    return added
