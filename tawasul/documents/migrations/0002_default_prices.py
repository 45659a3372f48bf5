"""R3's price table with its defaults (tawasul.documents.models.DEFAULT_PRICES, copied here so that
the migration does not change when the code does): the base from DOMAIN.md §3 ("from 20 DH TTC"),
the others from memory [M], flagged "to confirm" for the national unit."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = {
    "base": (Decimal("20.00"), False, "DOMAIN.md §3: from 20 DH TTC (telquel.ma, libe.ma)"),
    "per_copy": (Decimal("5.00"), True, "DOMAIN.md R3 [M]"),
    "postage_ma": (Decimal("0.00"), True, "DOMAIN.md R3 [M]"),
    "postage_abroad": (Decimal("30.00"), True, "DOMAIN.md R3 [M]"),
}


def add_defaults(apps, schema_editor):
    PriceItem = apps.get_model("documents", "PriceItem")
    for code, (amount, to_confirm, source) in DEFAULTS.items():
        PriceItem.objects.get_or_create(
            code=code, defaults={"amount": amount, "to_confirm": to_confirm, "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
