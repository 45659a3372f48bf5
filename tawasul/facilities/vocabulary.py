"""The shared vocabularies of the map: facility types and services offered.

Seeded by migration 0002 (so every database and every test has them); staff may add more in the
admin. Names: Arabic, French, English, Amazigh (Tifinagh, best effort, to be reviewed by IRCAM
translators). Plain data only: migrations import this module.
"""

# code, ar, fr, en, zgh
TYPES = [
    ("prefecture", "عمالة أو إقليم", "Préfecture ou province", "Prefecture or province", "ⵜⴰⵎⵏⴰⴹⵜ"),
    ("pachalik", "باشوية", "Pachalik", "Pashalik", "ⵜⴰⴱⴰⵛⴰⵡⵉⵜ"),
    ("caidat", "قيادة", "Caïdat", "Caidat", "ⵜⴰⵇⵢⴰⴷⵜ"),
    ("commune_office", "مقر الجماعة", "Siège de la commune", "Commune office", "ⴰⵙⵇⵇⵉⵎ ⵏ ⵜⴳⵎⴰⵎⵜ"),
    (
        "civil_status_office",
        "مكتب الحالة المدنية",
        "Bureau d'état civil",
        "Civil status office",
        "ⴰⵙⵉⴽⵍ ⵏ ⵡⴰⴷⴷⴰⴷ ⴰⵖⵍⵏⴰⵡ",
    ),
    ("post_office", "وكالة بريد المغرب", "Agence Barid Al-Maghrib", "Post office", "ⵜⴰⵏⵙⴰ ⵏ ⵍⴱⵔⵉⴷ"),
    ("cnss_agency", "وكالة الضمان الاجتماعي", "Agence CNSS", "CNSS agency", "ⵜⴰⵏⵙⴰ ⵏ CNSS"),
    ("hospital", "مستشفى", "Hôpital", "Hospital", "ⴰⵙⴳⵏⴰⴼ"),
    ("health_centre", "مركز صحي", "Centre de santé", "Health centre", "ⴰⵎⵎⴰⵙ ⵏ ⵜⴷⵓⵙⵉ"),
    ("school", "مؤسسة تعليمية", "Établissement scolaire", "School", "ⵜⵉⵏⵎⵍ"),
    ("police", "مفوضية الشرطة", "Commissariat de police", "Police station", "ⵜⴰⵎⵙⵙⵓⴷⵜ ⵏ ⵍⴱⵓⵍⵉⵙ"),
    ("gendarmerie", "مركز الدرك الملكي", "Brigade de la Gendarmerie royale", "Royal Gendarmerie post", "ⴰⵎⵎⴰⵙ ⵏ ⵍⴷⵔⴽ"),
    ("court", "محكمة", "Tribunal", "Court", "ⵜⴰⵙⵏⵓⵔⵜ"),
    (
        "cri",
        "المركز الجهوي للاستثمار",
        "Centre régional d'investissement",
        "Regional investment centre",
        "ⴰⵎⵎⴰⵙ ⴰⵏⴰⵎⵓⵏ ⵏ ⵓⵙⵎⵔⵙ",
    ),
    ("tax_office", "المديرية الإقليمية للضرائب", "Direction des impôts", "Tax office", "ⵜⴰⵏⵙⴰ ⵏ ⵜⵉⵣⵔⵓⴼⵉⵏ"),
    ("anapec", "وكالة أنابيك", "Agence ANAPEC", "ANAPEC agency", "ⵜⴰⵏⵙⴰ ⵏ ANAPEC"),
]

# code, ar, fr, en, zgh
SERVICES = [
    (
        "signature_legalisation",
        "تصحيح الإمضاء",
        "Légalisation de signature",
        "Signature legalisation",
        "ⴰⵙⵖⵜⵉ ⵏ ⵓⵣⵎⵎⴻⵎ",
    ),
    ("certified_copy", "مطابقة النسخ لأصولها", "Copie conforme", "Certified copies", "ⵜⵉⵏⵖⵍⵉⵏ ⵉⵎⵙⴰⵙⴰⵏ"),
    (
        "civil_status_records",
        "نسخ عقود الحالة المدنية",
        "Extraits d'actes d'état civil",
        "Civil status records",
        "ⵉⵙⵉⴽⵍⵏ ⵏ ⵡⴰⴷⴷⴰⴷ ⴰⵖⵍⵏⴰⵡ",
    ),
    ("residence_certificate", "شهادة السكنى", "Certificat de résidence", "Residence certificate", "ⴰⵙⴻⵍⴽⵏ ⵏ ⵜⵏⵏⵉⵍⴰ"),
    (
        "administrative_certificates",
        "الشواهد الإدارية",
        "Certificats administratifs",
        "Administrative certificates",
        "ⵉⵙⴻⵍⴽⵏ ⵉⵏⴱⴱⴰⴹⵏ",
    ),
    (
        "national_id_card",
        "البطاقة الوطنية للتعريف الإلكترونية",
        "Carte nationale d'identité électronique",
        "National ID card",
        "ⵜⴰⴽⴰⵔⴹⴰ ⵜⴰⵏⴰⵎⵓⵔⵜ",
    ),
    ("building_permit", "رخص البناء", "Permis de construire", "Building permits", "ⵜⵉⵙⵓⵔⴰ ⵏ ⵓⵙⴽⵓ"),
    ("complaints_reception", "استقبال الشكايات", "Réception des réclamations", "Complaints desk", "ⴰⵙⵏⵓⴱⴳ ⵏ ⵜⵉⵏⴰⴼⵓⵜⵉⵏ"),
    ("parcels", "الطرود والبريد", "Courrier et colis", "Mail and parcels", "ⵜⵉⴱⵔⴰⵜⵉⵏ ⴷ ⵉⴽⵓⵍⵉⵙⵏ"),
    (
        "postal_banking",
        "الخدمات المالية البريدية",
        "Services financiers postaux",
        "Postal banking",
        "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ ⵏ ⵉⴷⵔⵉⵎⵏ",
    ),
    (
        "social_security",
        "التسجيل في الضمان الاجتماعي",
        "Immatriculation à la CNSS",
        "Social security registration",
        "ⴰⵣⵎⵎⴻⵎ ⴳ CNSS",
    ),
    (
        "health_insurance",
        "التأمين الإجباري الأساسي عن المرض",
        "Assurance maladie obligatoire (AMO)",
        "Health insurance (AMO)",
        "AMO",
    ),
    ("emergency", "المستعجلات", "Urgences", "Emergency care", "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ ⵉⵖⴰⵡⵍⵏ"),
    ("consultations", "الفحوصات الطبية", "Consultations médicales", "Medical consultations", "ⴰⵙⵎⵣⵣⴰⵔ ⴰⴷⵓⵙⴰⵏ"),
    ("vaccination", "التلقيح", "Vaccination", "Vaccination", "ⴰⵙⵙⴰⵖⵏ"),
    ("school_enrolment", "التسجيل المدرسي", "Inscription scolaire", "School enrolment", "ⴰⵣⵎⵎⴻⵎ ⴳ ⵜⵉⵏⵎⵍ"),
    ("police_complaints", "تلقي الشكايات والتصريحات", "Dépôt de plainte", "Reporting an offence", "ⴰⵙⵏⵓⴱⴳ ⵏ ⵜⵉⵎⵙⴰⵍ"),
    ("criminal_record", "السجل العدلي", "Casier judiciaire", "Criminal record extract", "ⴰⵙⵉⴽⵍ ⴰⵏⵣⵔⴼⴰⵏ"),
    ("company_creation", "إحداث المقاولات", "Création d'entreprise", "Company creation", "ⴰⵙⵏⴼⵍⵓⵍ ⵏ ⵜⴰⵏⴰⵎⵓⵔⵜ"),
    (
        "investor_support",
        "مواكبة المستثمرين",
        "Accompagnement des investisseurs",
        "Investor support",
        "ⴰⵎⵢⴰⵡⴰⵙ ⵏ ⵉⵎⵙⵎⵔⵙⵏ",
    ),
    ("tax_services", "الخدمات الضريبية", "Services fiscaux", "Tax services", "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ ⵏ ⵜⵉⵣⵔⵓⴼⵉⵏ"),
    (
        "job_seekers",
        "تسجيل الباحثين عن الشغل",
        "Inscription des chercheurs d'emploi",
        "Job-seeker registration",
        "ⴰⵣⵎⵎⴻⵎ ⵏ ⵉⵎⵏⴰⴷⴰⵏ ⵏ ⵜⵡⵓⵔⵉ",
    ),
]

# The services each type usually offers (demo data and import defaults).
TYPE_SERVICES = {
    "prefecture": ["administrative_certificates", "complaints_reception", "building_permit"],
    "pachalik": ["administrative_certificates", "residence_certificate", "complaints_reception"],
    "caidat": ["administrative_certificates", "residence_certificate", "complaints_reception"],
    "commune_office": ["signature_legalisation", "certified_copy", "building_permit", "complaints_reception"],
    "civil_status_office": ["civil_status_records", "signature_legalisation"],
    "post_office": ["parcels", "postal_banking"],
    "cnss_agency": ["social_security", "health_insurance"],
    "hospital": ["emergency", "consultations"],
    "health_centre": ["consultations", "vaccination"],
    "school": ["school_enrolment"],
    "police": ["national_id_card", "police_complaints"],
    "gendarmerie": ["police_complaints"],
    "court": ["criminal_record", "complaints_reception"],
    "cri": ["company_creation", "investor_support"],
    "tax_office": ["tax_services"],
    "anapec": ["job_seekers"],
}
