"""The 14 themes (DOMAIN.md §5, the recommended fixture list, to be checked against the live
portal) and the full-text index of tawasul.catalog.search: an FTS5 table on SQLite, a
`search_vector` tsvector column with a GIN index on PostgreSQL."""

from django.db import migrations

THEMES = [
    # slug, position, ar, fr, zgh, en
    ("etat-civil", 1, "الحالة المدنية", "État civil", "ⴰⴷⴷⴰⴷ ⴰⵏⴰⵎⵓⵏ", "Civil status"),
    (
        "famille-nationalite",
        2,
        "الأسرة والجنسية",
        "Famille et nationalité",
        "ⵜⴰⵡⵊⴰ ⴷ ⵜⵉⵏⴰⵎⵓⵔⵜ",
        "Family and nationality",
    ),
    (
        "identite-voyage",
        3,
        "وثائق الهوية والسفر",
        "Pièces d'identité et documents de voyage",
        "ⵉⵙⴷⵍⵉⵙⵏ ⵏ ⵜⵎⴰⴳⵉⵜ ⴷ ⵓⵎⵓⴷⴷⵓ",
        "Identity and travel documents",
    ),
    (
        "enseignement-formation",
        4,
        "التعليم والتكوين",
        "Enseignement et formation",
        "ⴰⵙⵙⵍⵎⴷ ⴷ ⵓⵙⵎⵓⵜⵜⴳ",
        "Education and training",
    ),
    ("travail-emploi", 5, "الشغل والتشغيل", "Travail et emploi", "ⴰⵡⵓⵔⵉ ⴷ ⵓⵙⵡⵓⵔⵉ", "Work and employment"),
    (
        "sante-social",
        6,
        "الصحة والعمل الاجتماعي",
        "Santé et action sociale",
        "ⵜⴰⴷⵓⵙⵉ ⴷ ⵜⵡⵓⵔⵉ ⵜⴰⵏⴰⵎⵓⵏⵜ",
        "Health and social action",
    ),
    (
        "logement-urbanisme-foncier",
        7,
        "السكن والتعمير والعقار",
        "Logement, urbanisme et foncier",
        "ⴰⵣⴷⴰⵖ, ⴰⵙⵖⵔⵎ ⴷ ⵓⴽⴰⵍ",
        "Housing, urban planning and land",
    ),
    ("transport", 8, "النقل", "Transport", "ⴰⵙⵎⴰⵜⴰⵔ", "Transport"),
    ("justice", 9, "العدل", "Justice", "ⵜⴰⵏⵣⵣⴰⵔⵜ", "Justice"),
    ("impots-douanes", 10, "الضرائب والجمارك", "Impôts et douanes", "ⵜⵉⵛⵔⵉⴹⵉⵏ ⴷ ⵉⵎⴰⵣⴰⵏⵏ", "Taxes and customs"),
    (
        "entreprise-investissement",
        11,
        "المقاولة والاستثمار",
        "Entreprise et investissement",
        "ⵜⴰⵙⵏⵓⵔⴰⵢⵜ ⴷ ⵓⵙⵎⵔⵙ",
        "Business and investment",
    ),
    (
        "agriculture-peche",
        12,
        "الفلاحة والصيد البحري",
        "Agriculture et pêche",
        "ⵜⴰⴼⵍⴰⵃⵜ ⴷ ⵓⵙⴳⵓⵔ",
        "Agriculture and fishing",
    ),
    (
        "culture-jeunesse-sport",
        13,
        "الثقافة والشباب والرياضة",
        "Culture, jeunesse et sport",
        "ⵜⴰⴷⵍⵙⴰ, ⵜⵉⵍⵉⵍⵉⵜ ⴷ ⵜⵓⵏⵏⵓⴼⴰ",
        "Culture, youth and sport",
    ),
    (
        "marocains-monde-etrangers",
        14,
        "مغاربة العالم والأجانب",
        "Marocains du monde et étrangers",
        "ⵉⵎⵖⵔⴰⴱⵉⵢⵏ ⵏ ⵎⴰⴹⵍ ⴷ ⵉⴱⵔⴰⵏⵉⵢⵏ",
        "Moroccans abroad and foreigners",
    ),
]


def load_themes(apps, schema_editor):
    from tawasul.core.text import normalize

    Theme = apps.get_model("catalog", "Theme")
    for slug, position, ar, fr, zgh, en in THEMES:
        Theme.objects.update_or_create(
            slug=slug,
            defaults={
                "position": position,
                "name_ar": ar,
                "name_fr": fr,
                "name_zgh": zgh,
                "name_en": en,
                "search_text": "\n".join(normalize(n) for n in (ar, fr, zgh, en)),
            },
        )


# PostgreSQL's index as this migration made it (migration 0007 replaced it; the module's
# create_index_sql() describes the current one).
POSTGRES_INDEX = [
    "ALTER TABLE catalog_procedure ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "CREATE INDEX IF NOT EXISTS catalog_procedure_search_gin ON catalog_procedure USING gin (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS catalog_procedure_search_gin",
    "ALTER TABLE catalog_procedure DROP COLUMN IF EXISTS search_vector",
]


def create_index(apps, schema_editor):
    from tawasul.catalog.search import create_index_sql

    vendor = schema_editor.connection.vendor
    for statement in POSTGRES_INDEX if vendor == "postgresql" else create_index_sql(vendor):
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    from tawasul.catalog.search import drop_index_sql

    vendor = schema_editor.connection.vendor
    for statement in POSTGRES_DROP if vendor == "postgresql" else drop_index_sql(vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(load_themes, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
