"""Reference rows of the portal: the proactive-publication categories of art. 10
(DOMAIN.md §1.10, a list from memory [M]: administrators may edit it)."""

from __future__ import annotations

#: (code, Arabic, French, Amazigh, English)
CATEGORIES = (
    ("conventions", "الاتفاقيات", "Conventions", "ⵜⵉⵎⵢⴰⵏⴰⴱⵉⵏ", "Conventions"),
    ("legal-texts", "النصوص القانونية", "Textes juridiques", "ⵉⴹⵕⵉⵙⵏ ⵉⵣⵔⴼⴰⵏⵏ", "Legal texts"),
    ("missions", "المهام والهياكل", "Missions et structures", "ⵜⵉⵡⵓⵔⵉⵡⵉⵏ ⴷ ⵜⵖⴰⵡⵙⵉⵡⵉⵏ", "Missions and structures"),
    ("budget", "الميزانية", "Budget", "ⵜⴰⵙⵉⵡⵉⵜ", "Budget"),
    ("procurement", "الصفقات العمومية", "Marchés publics", "ⵜⵉⵏⵣⵣⴰⵢ ⵜⵉⴳⴷⵓⴷⴰⵏⵉⵏ", "Public procurement"),
    (
        "recruitment",
        "المباريات والتوظيف",
        "Concours et recrutement",
        "ⵜⵉⵎⵙⴰⴱⴰⵇⵉⵏ ⴷ ⵓⵙⵡⵓⵔⵉ",
        "Competitions and recruitment",
    ),
    ("programmes", "البرامج", "Programmes", "ⵉⵖⴰⵡⵙⴰⵏ", "Programmes"),
    (
        "services",
        "الخدمات والمساطر والمطبوعات",
        "Services, procédures et formulaires",
        "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ ⴷ ⵜⵉⴱⵔⵉⴷⵉⵏ",
        "Services, procedures and forms",
    ),
    ("statistics", "الإحصائيات", "Statistiques", "ⵜⵉⴷⴰⴽⵡⵉⵏ", "Statistics"),
    (
        "contacts",
        "معطيات الاتصال بالشخص المكلف",
        "Coordonnées de la personne chargée",
        "ⵜⵉⵏⵏⴰⵡⵉⵏ ⵏ ⵓⵎⴰⵡⴰⵙ",
        "Contact details of the information officer",
    ),
)


def load_categories(apps=None) -> int:
    """Create the missing categories (idempotent); returns how many were created."""
    if apps is None:
        from tawasul.information.models import ProactiveCategory
    else:
        ProactiveCategory = apps.get_model("information", "ProactiveCategory")
    created = 0
    for position, (code, ar, fr, zgh, en) in enumerate(CATEGORIES):
        _, made = ProactiveCategory.objects.get_or_create(
            code=code, defaults={"name_ar": ar, "name_fr": fr, "name_zgh": zgh, "name_en": en, "position": position}
        )
        created += made
    return created
