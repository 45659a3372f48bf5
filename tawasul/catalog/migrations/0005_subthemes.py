"""The sub-themes of the 14 themes (issue 6), in Arabic, French, English and Amazigh (Tifinagh,
best effort).

The national portal's own list was not found in the stored sources (DOMAIN.md §5 lists only the
groupings of the Idarati app: identity documents, civil status, passport, housing permit and land
registry, family and nationality, driving licence and registration, customs); the list below
follows those groupings and the procedures of `data/procedures.json`, and is to be checked against
the live portal. Slugs are unique across themes, so `?subtheme=<slug>` alone names one. The
national unit edits the list in the Django admin afterwards (Theme → sub-themes inline).
"""

from django.db import migrations

SUBTHEMES = {
    # theme slug: [(slug, ar, fr, en, zgh), ...] in display order
    "etat-civil": [
        ("naissance", "الولادة", "Naissance", "Birth", "ⵜⵓⵔⵓⵡⵜ"),
        ("deces", "الوفاة", "Décès", "Death", "ⵜⴰⵎⵜⵜⴰⵏⵜ"),
        (
            "actes-livret-famille",
            "رسوم الحالة المدنية ودفتر الحالة المدنية",
            "Actes et livret d'état civil",
            "Civil-status records and family booklet",
            "ⵉⵙⴷⵍⵉⵙⵏ ⴷ ⵓⴷⴼⵜⴰⵔ ⵏ ⵜⵡⵊⴰ",
        ),
        (
            "certificats-administratifs",
            "الشهادات الإدارية",
            "Certificats administratifs",
            "Administrative certificates",
            "ⵜⵉⵙⴽⴽⵉⵍⵉⵏ ⵜⵉⵏⴱⴹⴰⵍⵉⵏ",
        ),
        (
            "legalisation-copies",
            "تصحيح الإمضاء ومطابقة النسخ للأصل",
            "Légalisation de signature et copies conformes",
            "Signature legalisation and certified copies",
            "ⴰⵙⵖⵜⵙⵏ ⵏ ⵓⵙⴽⵜⴰⵔ",
        ),
    ],
    "famille-nationalite": [
        ("mariage", "الزواج", "Mariage", "Marriage", "ⴰⵎⵓⵏ"),
        ("divorce-garde", "الطلاق والحضانة", "Divorce et garde des enfants", "Divorce and custody", "ⴰⴱⵟⵟⵓ"),
        ("nationalite", "الجنسية", "Nationalité", "Nationality", "ⵜⴰⵏⴰⵎⵓⵔⵜ"),
        (
            "enfance-kafala",
            "الطفولة والكفالة",
            "Enfance et kafala",
            "Children and kafala",
            "ⵜⴰⵣⵣⴰⵏⵜ ⴷ ⵜⴽⴰⴼⴰⵍⵜ",
        ),
    ],
    "identite-voyage": [
        (
            "carte-nationale",
            "البطاقة الوطنية للتعريف الإلكترونية",
            "Carte nationale d'identité électronique",
            "Electronic national identity card",
            "ⵜⴰⴽⴰⵔⴹⴰ ⵜⴰⵏⴰⵎⵓⵔⵜ ⵏ ⵜⵎⴰⴳⵉⵜ",
        ),
        ("passeport", "جواز السفر", "Passeport", "Passport", "ⴰⵙⵉⵍⴰ ⵏ ⵓⵎⵓⴷⴷⵓ"),
        (
            "autorisations-voyage",
            "أذونات وشهادات السفر",
            "Autorisations et attestations de voyage",
            "Travel authorisations and certificates",
            "ⵜⵉⵙⵓⵔⴰⴳ ⵏ ⵓⵎⵓⴷⴷⵓ",
        ),
    ],
    "enseignement-formation": [
        ("scolarite", "التمدرس", "Scolarité", "Schooling", "ⴰⵖⵔⵓⵎ"),
        (
            "enseignement-superieur",
            "التعليم العالي والمنح",
            "Enseignement supérieur et bourses",
            "Higher education and grants",
            "ⴰⵙⵙⵍⵎⴷ ⴰⵏⴼⵍⵍⴰ",
        ),
        (
            "equivalences-diplomes",
            "معادلة الشهادات",
            "Équivalence des diplômes",
            "Recognition of diplomas",
            "ⴰⵙⵎⵙⴰⵡⴰ ⵏ ⵜⴳⵔⴰⵡⵉⵏ",
        ),
        (
            "formation-professionnelle",
            "التكوين المهني",
            "Formation professionnelle",
            "Vocational training",
            "ⴰⵙⵎⵓⵜⵜⴳ ⴰⵎⵙⵡⵓⵔⵉ",
        ),
    ],
    "travail-emploi": [
        (
            "securite-sociale",
            "الضمان الاجتماعي",
            "Sécurité sociale",
            "Social security",
            "ⴰⵙⵎⵓⵜⵜⴳ ⴰⵏⴰⵎⵓⵏ",
        ),
        ("retraite", "التقاعد", "Retraite", "Retirement", "ⴰⵙⵙⵓⵙⵏ"),
        (
            "recherche-emploi",
            "البحث عن شغل",
            "Recherche d'emploi",
            "Looking for a job",
            "ⴰⵔⵣⵣⵓ ⵅⴼ ⵓⵡⵓⵔⵉ",
        ),
        (
            "fonction-publique",
            "الوظيفة العمومية",
            "Fonction publique",
            "Civil service",
            "ⵜⴰⵡⵓⵔⵉ ⵜⴰⴳⴷⵓⴷⴰⵏⵜ",
        ),
        (
            "droit-travail",
            "علاقات الشغل ومفتشية الشغل",
            "Relations de travail et inspection du travail",
            "Employment relations and labour inspection",
            "ⵜⵉⵙⵖⵓⵏⵉⵏ ⵏ ⵓⵡⵓⵔⵉ",
        ),
    ],
    "sante-social": [
        (
            "couverture-medicale",
            "التغطية الصحية",
            "Couverture médicale",
            "Health insurance",
            "ⴰⵙⵎⵓⵜⵜⴳ ⴰⴷⵓⵙⴰⵏ",
        ),
        (
            "aides-sociales",
            "الدعم الاجتماعي والتعويضات العائلية",
            "Aides sociales et allocations familiales",
            "Social aid and family allowances",
            "ⵜⵉⵡⵉⵙⵉ ⵜⴰⵏⴰⵎⵓⵏⵜ",
        ),
        (
            "handicap",
            "الأشخاص في وضعية إعاقة",
            "Personnes en situation de handicap",
            "People with disabilities",
            "ⵉⵎⴷⴷⵓⴽⴰⵍ ⵙ ⵓⵏⴳⴳⴰⵔ",
        ),
    ],
    "logement-urbanisme-foncier": [
        (
            "urbanisme",
            "التعمير ورخص البناء",
            "Urbanisme et autorisations de construire",
            "Urban planning and building permits",
            "ⴰⵙⵖⵔⵎ ⴷ ⵜⵉⵙⵓⵔⴰⴳ ⵏ ⵓⵙⴽⴽⵉⵏ",
        ),
        (
            "foncier",
            "العقار والمحافظة العقارية",
            "Foncier et conservation foncière",
            "Land and land registry",
            "ⴰⴽⴰⵍ ⴷ ⵓⵎⵙⵙⵓⴳⵍ ⵏ ⵓⴽⴰⵍ",
        ),
        ("logement", "السكن", "Logement", "Housing", "ⴰⵣⴷⴰⵖ"),
    ],
    "transport": [
        (
            "permis-conduire",
            "رخصة السياقة",
            "Permis de conduire",
            "Driving licence",
            "ⵜⵉⵙⵓⵔⴰⴳ ⵏ ⵓⵏⴻⵀⵀⵓ",
        ),
        (
            "vehicules",
            "المركبات والبطاقة الرمادية",
            "Véhicules et carte grise",
            "Vehicles and registration",
            "ⵜⵉⴽⵔⵓⵙⵉⵏ",
        ),
        (
            "transport-professionnel",
            "النقل المهني",
            "Transport professionnel",
            "Professional transport",
            "ⴰⵙⵎⴰⵜⴰⵔ ⴰⵎⵙⵡⵓⵔⵉ",
        ),
    ],
    "justice": [
        (
            "casier-judiciaire",
            "السجل العدلي والبطاقة الشخصية",
            "Casier judiciaire et fiche anthropométrique",
            "Criminal record",
            "ⴰⵎⵙⵙⵓⴳⵍ ⴰⵏⵣⵣⴰⵔⴰⵏ",
        ),
        (
            "tribunaux",
            "المحاكم وتتبع الملفات",
            "Tribunaux et suivi des dossiers",
            "Courts and case tracking",
            "ⵜⵉⵏⵣⵣⴰⵔⵉⵏ",
        ),
        (
            "reclamations-information",
            "الشكايات والحصول على المعلومات",
            "Réclamations et accès à l'information",
            "Complaints and access to information",
            "ⵜⵉⵛⴽⴰⵢⵉⵏ ⴷ ⵓⵏⴰⵍⴽⵎ ⵖⵔ ⵜⵓⵏⵖⵉⵏⵜ",
        ),
    ],
    "impots-douanes": [
        (
            "fiscalite-entreprises",
            "جبايات المقاولات",
            "Fiscalité des entreprises",
            "Business taxes",
            "ⵜⵉⵛⵔⵉⴹⵉⵏ ⵏ ⵜⵙⵏⵓⵔⴰⵢⵉⵏ",
        ),
        (
            "impots-particuliers",
            "ضرائب الأفراد والجبايات المحلية",
            "Impôts des particuliers et fiscalité locale",
            "Personal and local taxes",
            "ⵜⵉⵛⵔⵉⴹⵉⵏ ⵏ ⵉⵎⴷⴷⵓⴽⴰⵍ",
        ),
        ("douane", "الجمارك", "Douane", "Customs", "ⵉⵎⴰⵣⴰⵏⵏ"),
    ],
    "entreprise-investissement": [
        (
            "creation-entreprise",
            "إحداث المقاولة",
            "Création d'entreprise",
            "Starting a business",
            "ⴰⵙⵏⵓⵍⴼⵓ ⵏ ⵜⵙⵏⵓⵔⴰⵢⵜ",
        ),
        (
            "autorisations-activite",
            "رخص مزاولة النشاط",
            "Autorisations d'activité",
            "Operating licences",
            "ⵜⵉⵙⵓⵔⴰⴳ ⵏ ⵓⵎⵓⵙⵙⵓ",
        ),
        (
            "investissement-incitations",
            "الاستثمار والتحفيزات",
            "Investissement et incitations",
            "Investment and incentives",
            "ⴰⵙⵎⵔⵙ ⴷ ⵜⵉⵡⵉⵙⵉⵡⵉⵏ",
        ),
        (
            "propriete-industrielle",
            "الملكية الصناعية والتجارية",
            "Propriété industrielle et commerciale",
            "Industrial and commercial property",
            "ⵜⴰⵎⵍⴽⵉⵜ ⵜⴰⵏⴰⵥⵓⵕⵜ",
        ),
    ],
    "agriculture-peche": [
        ("exploitation-agricole", "الاستغلاليات الفلاحية", "Exploitation agricole", "Farming", "ⵜⴰⴼⵍⴰⵃⵜ"),
        (
            "aides-agricoles",
            "الدعم الفلاحي",
            "Aides agricoles",
            "Farm subsidies",
            "ⵜⵉⵡⵉⵙⵉ ⵏ ⵜⴼⵍⴰⵃⵜ",
        ),
        ("peche", "الصيد البحري", "Pêche", "Fishing", "ⴰⵙⴳⵓⵔ"),
        ("chasse-forets", "القنص والمياه والغابات", "Chasse, eaux et forêts", "Hunting and forests", "ⴰⵙⴳⵓⵔ ⴷ ⵜⵉⵥⴳⴰ"),
    ],
    "culture-jeunesse-sport": [
        ("culture-arts", "الثقافة والفنون", "Culture et arts", "Culture and the arts", "ⵜⴰⴷⵍⵙⴰ ⴷ ⵜⵥⵓⵕⵉⵏ"),
        ("jeunesse", "الشباب والتخييم", "Jeunesse et colonies de vacances", "Youth and holiday camps", "ⵜⵉⵍⵉⵍⵉⵜ"),
        ("sport", "الرياضة", "Sport", "Sport", "ⵜⵓⵏⵏⵓⴼⴰ"),
    ],
    "marocains-monde-etrangers": [
        (
            "services-consulaires",
            "الخدمات القنصلية",
            "Services consulaires",
            "Consular services",
            "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ ⵜⵉⵇⵏⵚⵍⵉⵏ",
        ),
        (
            "sejour-etrangers",
            "إقامة الأجانب",
            "Séjour des étrangers",
            "Residence of foreigners",
            "ⴰⵣⴷⴰⵖ ⵏ ⵉⴱⵔⴰⵏⵉⵢⵏ",
        ),
        ("visas", "التأشيرات", "Visas", "Visas", "ⵜⵉⴼⵉⵣⴰⵜⵉⵏ"),
        (
            "retour-mre",
            "عودة مغاربة العالم",
            "Retour des Marocains du monde",
            "Return of Moroccans abroad",
            "ⴰⵙⵓⵖⵍ ⵏ ⵉⵎⵖⵔⴰⴱⵉⵢⵏ ⵏ ⵎⴰⴹⵍ",
        ),
    ],
}


def load_subthemes(apps, schema_editor):
    """Create or update every sub-theme (safe to run again: the root conftest reseeds with it)."""
    from tawasul.core.text import normalize

    Theme = apps.get_model("catalog", "Theme")
    SubTheme = apps.get_model("catalog", "SubTheme")
    themes = {t.slug: t for t in Theme.objects.all()}
    for theme_slug, rows in SUBTHEMES.items():
        theme = themes.get(theme_slug)
        if theme is None:  # a theme renamed or removed by the national unit: leave it alone
            continue
        for position, (slug, ar, fr, en, zgh) in enumerate(rows, 1):
            SubTheme.objects.update_or_create(
                theme=theme,
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


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_postgres_title_vector")]

    operations = [migrations.RunPython(load_subthemes, migrations.RunPython.noop)]
