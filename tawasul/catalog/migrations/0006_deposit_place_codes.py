"""Two changes for sub-themes and the deposit-place picker (issue 6):

- `deposit_place_codes`: the codes of a procedure's deposit places, kept by the services next to
  the M2M, so that every history row records the places of its version (the staff diff shows
  places added and removed). Filled here from the current M2M rows.
- SQLite: the FTS5 `facets` column gains the sub-theme token (`xs<id>`); its rows are rebuilt
  (PostgreSQL filters `subtheme_id` with a plain WHERE and needs nothing).
"""

from django.db import migrations, models


def fill_codes(apps, schema_editor):
    Procedure = apps.get_model("catalog", "Procedure")
    through = Procedure.deposit_places.through
    codes: dict[int, list[str]] = {}
    for procedure_id, code in through.objects.values_list("procedure_id", "facility__code"):
        codes.setdefault(procedure_id, []).append(code)
    for procedure_id, values in codes.items():
        Procedure.objects.filter(pk=procedure_id).update(deposit_place_codes="\n".join(sorted(values)))


def refill_facets(apps, schema_editor):
    from tawasul.catalog.search import _SQLITE_INSERT, FTS_TABLE

    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - constant name
    schema_editor.execute(_SQLITE_INSERT)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_subthemes")]

    operations = [
        migrations.AddField(
            model_name="historicalprocedure",
            name="deposit_place_codes",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="deposit places"),
        ),
        migrations.AddField(
            model_name="procedure",
            name="deposit_place_codes",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="deposit places"),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.RunPython(refill_facets, migrations.RunPython.noop),
    ]
