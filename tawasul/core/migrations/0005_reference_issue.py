"""On PostgreSQL, `core_reference_issue` gives a whole reference inside a filing's one statement
(ADR 0054).

`core_reference_issue(prefix, year, base, weights, modulus, alphabet)` takes numbers from
`core_reference_next(prefix, year)` (migration 0004) until one has a check character, and returns
the reference written out: `PREFIX-YYYY-NNNNNNN-C`. The check itself stays defined in Python
(`tawasul.core.references`): Python gives the part of the weighted sum that the prefix and the
year make (`base`), the weight of each of the 7 digits (`weights`), the modulus and the check
symbols (`alphabet`); the function adds each digit times its weight, takes the modulus and skips
a number whose value has no symbol. A number past 9,999,999 raises `numeric_value_out_of_range`."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_reference_issue(
    p_prefix text, p_year integer, p_base integer, p_weights integer[], p_modulus integer, p_alphabet text
) RETURNS text AS $$
DECLARE
    n bigint;
    c integer;
BEGIN
    LOOP
        n := core_reference_next(p_prefix, p_year);
        IF n > 9999999 THEN
            RAISE EXCEPTION 'no reference left for %-%', p_prefix, p_year
                USING ERRCODE = 'numeric_value_out_of_range';
        END IF;
        c := (p_base
              + (n / 1000000) % 10 * p_weights[1] + (n / 100000) % 10 * p_weights[2]
              + (n / 10000) % 10 * p_weights[3] + (n / 1000) % 10 * p_weights[4]
              + (n / 100) % 10 * p_weights[5] + (n / 10) % 10 * p_weights[6]
              + n % 10 * p_weights[7]) % p_modulus;
        IF c < length(p_alphabet) THEN
            RETURN p_prefix || '-' || lpad(p_year::text, 4, '0') || '-' || lpad(n::text, 7, '0')
                || '-' || substr(p_alphabet, c + 1, 1);
        END IF;
    END LOOP;
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = "DROP FUNCTION IF EXISTS core_reference_issue(text, integer, integer, integer[], integer, text);"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_reference_sequences")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
