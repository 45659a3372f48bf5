"""Demo data of the complaints portal: the subjects, the FAQ and a few thousand complaints.

`load(stdout)` is called by `manage.py seed_demo` (after the registry and accounts) inside a
transaction. The first `REAL_CASES` complaints go through the real services (`complaint_submit`
and `case_transition`, real events, deadlines and emails queued); the rest are bulk-created
consistently: each `Case` with its reference (allocated by `next_reference`, with its check
character), deadlines from the same calendar, the `CaseEvent` rows of its path through the
workflow table, its messages and its `Complaint` row, dated over the last 18 months, in Arabic and
French. Deterministic (seeded), and fast enough for SQLite (< 30 s).
"""

from __future__ import annotations

import contextlib
import random
import secrets
from datetime import timedelta

from django.utils import timezone

from tawasul.accounts.roles import Role
from tawasul.cases.actors import Actor
from tawasul.cases.models import Case, CaseEvent, Message
from tawasul.cases.services import case_transition, compute_deadlines, hash_tracking_token
from tawasul.cases.workflow import REQUESTER, get_workflow
from tawasul.core.references import next_reference
from tawasul.registry.models import Commune
from tawasul.registry.selectors import administrations_joined

from .loading import load_faq, load_subjects
from .models import Complaint, Subject
from .services import complaint_answer, complaint_declare_inadmissible, complaint_submit
from .workflow import COMPLAINTS, PORTAL, PREFIX

TOTAL = 3000
REAL_CASES = 100
HISTORY_DAYS = 548  # 18 months
SEED = 2017  # decree 2-17-265

FIRST_NAMES = [
    ("أمينة", "Amina"), ("يوسف", "Youssef"), ("فاطمة الزهراء", "Fatima Zahra"), ("محمد", "Mohamed"),
    ("خديجة", "Khadija"), ("عمر", "Omar"), ("سعيدة", "Saida"), ("ياسين", "Yassine"), ("نادية", "Nadia"),
    ("رشيد", "Rachid"), ("سلمى", "Salma"), ("إدريس", "Driss"), ("حنان", "Hanane"), ("عبد الله", "Abdellah"),
]  # fmt: skip
LAST_NAMES = [
    ("العلوي", "Alaoui"), ("بناني", "Bennani"), ("الإدريسي", "El Idrissi"), ("التازي", "Tazi"),
    ("الفاسي", "El Fassi"), ("بنعلي", "Benali"), ("أمزيان", "Amziane"), ("الشرقاوي", "Cherkaoui"),
    ("أيت علي", "Ait Ali"), ("الوزاني", "Ouazzani"), ("برادة", "Berrada"), ("الحسني", "El Hassani"),
]  # fmt: skip

OPENERS = {
    "ar": [
        "أتقدم إليكم بهذه الشكاية بخصوص {subject}.",
        "أود أن أثير انتباهكم إلى مشكل يتعلق ب{subject}.",
        "تحية طيبة، أكتب إليكم بشأن {subject}.",
        "سبق لي أن راجعت مصالحكم عدة مرات في موضوع {subject} دون نتيجة.",
        "أرجو منكم التدخل في ما يخص {subject}.",
        "بصفتي مرتفقا، أسجل ملاحظتي حول {subject}.",
    ],
    "fr": [
        "Je vous adresse cette réclamation au sujet de : {subject}.",
        "Je souhaite attirer votre attention sur un problème de {subject}.",
        "Bonjour, je vous écris concernant {subject}.",
        "Je me suis présenté plusieurs fois à vos services pour {subject}, sans résultat.",
        "Je vous prie d'intervenir au sujet de : {subject}.",
        "En tant qu'usager, je souhaite signaler ceci ({subject}).",
    ],
}
DETAILS = {
    "ar": [
        "أودعت ملفي منذ {weeks} أسابيع ولم أتوصل بأي رد إلى حد الآن.",
        "انتظرت أكثر من {hours} ساعات في الشباك دون أن يتم استقبالي.",
        "طلب مني الموظف وثائق غير منصوص عليها في المسطرة المنشورة.",
        "الموقع الإلكتروني لا يعمل منذ {days} أيام ولا يمكن إتمام الطلب.",
        "تم رفض طلبي دون تعليل مكتوب.",
        "أديت الرسوم مرتين ولم يتم إرجاع المبلغ الزائد.",
        "المكتب مغلق في أوقات العمل المعلنة.",
        "لا توجد ولوجيات للأشخاص في وضعية إعاقة في المقر.",
    ],
    "fr": [
        "J'ai déposé mon dossier il y a {weeks} semaines et n'ai reçu aucune réponse.",
        "J'ai attendu plus de {hours} heures au guichet sans être reçu.",
        "L'agent m'a demandé des pièces qui ne figurent pas dans la procédure publiée.",
        "Le site ne fonctionne plus depuis {days} jours et je ne peux pas terminer ma demande.",
        "Ma demande a été refusée sans motivation écrite.",
        "J'ai payé les frais deux fois et le trop-perçu ne m'a pas été remboursé.",
        "Le bureau est fermé pendant les horaires affichés.",
        "Le bâtiment n'est pas accessible aux personnes en situation de handicap.",
    ],
}
CLOSERS = {
    "ar": [
        "أرجو معالجة هذا الملف في أقرب الآجال.",
        "وتقبلوا فائق التقدير والاحترام.",
        "أطلب توضيحا مكتوبا حول هذا الموضوع.",
        "أقترح تخصيص شباك خاص لهذه الطلبات.",
        "شكرا مسبقا على تفاعلكم.",
    ],
    "fr": [
        "Je vous remercie de traiter ce dossier rapidement.",
        "Veuillez agréer mes salutations distinguées.",
        "Je demande une explication écrite.",
        "Je suggère d'ouvrir un guichet dédié à ces demandes.",
        "Merci d'avance pour votre réponse.",
    ],
}
ANSWERS = {
    "positive": {
        "ar": "تمت معالجة طلبكم وتسوية وضعيتكم. شكرا على تواصلكم.",
        "fr": "Votre demande a été traitée et votre situation régularisée. Merci de nous avoir écrit.",
    },
    "negative": {
        "ar": "بعد الدراسة، تبين أن طلبكم لا يستوفي الشروط القانونية.",
        "fr": "Après examen, votre demande ne remplit pas les conditions légales.",
    },
    "partial": {
        "ar": "تمت تسوية جزء من طلبكم، والباقي قيد الدراسة لدى المصلحة المختصة.",
        "fr": "Une partie de votre demande a été réglée ; le reste est à l'étude au service compétent.",
    },
    "informative": {
        "ar": "نشكركم على ملاحظتكم، وقد تمت إحالتها على المصالح المعنية.",
        "fr": "Merci pour votre observation, transmise aux services concernés.",
    },
}
INFO_REQUEST = {
    "ar": "المرجو موافاتنا بنسخة من وصل الإيداع.",
    "fr": "Merci de nous envoyer une copie du récépissé de dépôt.",
}
INADMISSIBLE_REASON = {
    "ar": "موضوع الشكاية معروض على القضاء، ولا يمكن للإدارة البت فيه.",
    "fr": "L'objet de la réclamation est soumis à la justice ; l'administration ne peut pas y donner suite.",
}
REOPEN_REASON = {"ar": "الجواب لا يحل المشكل المطروح.", "fr": "La réponse ne règle pas le problème soulevé."}

OFFICER = Actor(user=None, roles=frozenset({Role.OFFICER}))
SYSTEM_ROLE = "system"


def _description(rng: random.Random, lang: str, subject: str) -> str:
    return " ".join(
        [
            rng.choice(OPENERS[lang]).format(subject=subject),
            rng.choice(DETAILS[lang]).format(
                weeks=rng.randint(3, 20), hours=rng.randint(2, 6), days=rng.randint(2, 15)
            ),
            rng.choice(CLOSERS[lang]),
        ]
    )


def _person(rng: random.Random, lang: str, n: int) -> dict:
    i, j = rng.randrange(len(FIRST_NAMES)), rng.randrange(len(LAST_NAMES))
    pick = 0 if lang == "ar" else 1
    letters = rng.choice(["A", "AB", "BE", "BK", "C", "D", "EE", "G", "JA", "K", "X"])
    return {
        "first_name": FIRST_NAMES[i][pick],
        "last_name": LAST_NAMES[j][pick],
        "id_type": "cin",
        "id_number": f"{letters}{rng.randint(10000, 999999)}",
        "email": f"{FIRST_NAMES[i][1].split()[0].lower()}.{n}@example.ma",
        "phone": f"+21266{rng.randint(1000000, 9999999)}",
    }


def _final_status(rng: random.Random, age_days: int) -> str:
    """A plausible final status for a complaint received `age_days` ago."""
    if age_days < 3:
        return rng.choice(["submitted", "submitted", "acknowledged"])
    if age_days < 60:
        weights = {"submitted": 1, "acknowledged": 2, "in_progress": 5, "info_requested": 2, "answered": 6, "closed": 4,
                   "reopened": 1, "inadmissible": 1, "duplicate": 1, "withdrawn": 1}  # fmt: skip
    else:
        weights = {"in_progress": 1, "answered": 6, "closed": 14, "reopened": 1, "inadmissible": 1, "duplicate": 1,
                   "withdrawn": 1}  # fmt: skip
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# The path through the workflow table to each final status: (action, to_status, role).
PATHS = {
    "submitted": [],
    "acknowledged": [("acknowledge", "acknowledged")],
    "in_progress": [("acknowledge", "acknowledged"), ("start", "in_progress")],
    "info_requested": [
        ("acknowledge", "acknowledged"),
        ("start", "in_progress"),
        ("request_information", "info_requested"),
    ],
    "answered": [("acknowledge", "acknowledged"), ("start", "in_progress"), ("answer", "answered")],
    "closed": [("acknowledge", "acknowledged"), ("start", "in_progress"), ("answer", "answered"), ("close", "closed")],
    "reopened": [
        ("acknowledge", "acknowledged"),
        ("start", "in_progress"),
        ("answer", "answered"),
        ("reopen", "in_progress"),
    ],
    "inadmissible": [("acknowledge", "acknowledged"), ("declare_inadmissible", "inadmissible")],
    "duplicate": [("acknowledge", "acknowledged"), ("mark_duplicate", "duplicate")],
    "withdrawn": [("withdraw", "withdrawn")],
}


@contextlib.contextmanager
def _keep_given_dates(*fields):
    """Let bulk_create keep the past dates we give instead of `auto_now(_add)` stamping now."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def load(stdout) -> None:
    subjects = load_subjects()
    faq = load_faq()
    stdout.write(f"  {subjects} complaint subjects, {faq} FAQ entries")
    if Case.objects.filter(portal=PORTAL).exists():
        stdout.write("  complaints already present: none added")
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    administrations = list(administrations_joined().select_related("region"))
    if not administrations:
        stdout.write("  no administration: no complaint added")
        return
    mains = list(Subject.objects.filter(administration__isnull=True, parent__isnull=True, is_active=True))
    children: dict[int, list[Subject]] = {}
    for sub in Subject.objects.filter(parent__in=mains, is_active=True):
        children.setdefault(sub.parent_id, []).append(sub)
    communes = list(Commune.objects.select_related("province__region").order_by("code")[:600])
    weights = [rng.paretovariate(1.2) for _ in administrations]  # a few administrations get most complaints

    def draw():
        administration = rng.choices(administrations, weights=weights)[0]
        subject = rng.choice(mains)
        sub = rng.choice(children.get(subject.pk, [None]))
        commune = rng.choice(communes) if communes and rng.random() < 0.8 else None
        return administration, subject, sub, commune

    _real_cases(rng, draw, min(REAL_CASES, TOTAL))
    created = _bulk_cases(rng, draw, TOTAL - REAL_CASES)
    stdout.write(f"  {REAL_CASES + created} complaints ({REAL_CASES} through the services)")


def _real_cases(rng: random.Random, draw, count: int) -> None:
    for n in range(count):
        lang = "ar" if rng.random() < 0.6 else "fr"
        administration, subject, sub, commune = draw()
        case = complaint_submit(
            actor=Actor(user=None, roles=frozenset({REQUESTER})),
            administration=administration,
            kind=rng.choice(["complaint"] * 8 + ["observation", "suggestion"]),
            subject=subject,
            sub_subject=sub,
            description=_description(rng, lang, (sub or subject).name(lang)),
            commune=commune,
            language=lang,
            is_confidential=rng.random() < 0.1,
            **_person(rng, lang, n),
        )
        # The first cases walk every path once, so that each goes through the real services.
        status = list(PATHS)[n] if n < len(PATHS) else _final_status(rng, age_days=rng.choice([1, 10, 30]))
        outcome = rng.choice(["positive", "positive", "negative", "partial", "informative"])
        for action, _target in PATHS[status]:
            actor = Actor.requester(case) if action in ("reopen", "withdraw") else OFFICER
            note = ""
            if action == "answer":
                note = ANSWERS[outcome][lang]
            elif action == "request_information":
                note = INFO_REQUEST[lang]
            elif action == "reopen":
                note = REOPEN_REASON[lang]
            if action == "answer":  # the staff service: the outcome on the event and the complaint
                case = complaint_answer(case=case, actor=actor, note=note, outcome=outcome)
            elif action == "declare_inadmissible":  # the staff service: a legal ground and a reason
                case = complaint_declare_inadmissible(
                    case=case, actor=actor, ground="sub_judice", note=INADMISSIBLE_REASON[lang]
                )
            else:
                case = case_transition(case=case, action=action, actor=actor, note=note)
        if case.status in ("answered", "closed") and rng.random() < 0.5:
            Complaint.objects.filter(case=case).update(
                satisfaction=rng.choice([1, 2, 3, 4, 4, 5, 5]), rated_at=timezone.now()
            )


def _bulk_cases(rng: random.Random, draw, count: int) -> int:
    policy = COMPLAINTS.policy_for("complaint")
    workflow = get_workflow(PORTAL)
    now = timezone.now()
    cases, plans = [], []
    for n in range(count):
        lang = "ar" if rng.random() < 0.6 else "fr"
        administration, subject, sub, commune = draw()
        age = rng.randint(0, HISTORY_DAYS)
        received = now - timedelta(days=age, hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
        status = _final_status(rng, age)
        final = "in_progress" if status == "reopened" else status
        steps, at = [], received
        for action, target in PATHS[status]:
            at = at + timedelta(hours=rng.randint(4, 24 * (10 if action == "answer" else 2)))
            steps.append((action, target, min(at, now)))
        answered_at = next((t for a, _s, t in steps if a == "answer"), None)
        reopened = status == "reopened"
        closed_at = steps[-1][2] if final in workflow.closed_statuses else None
        started = steps[-1][2] if reopened else received
        deadlines = compute_deadlines(policy, started_at=started)
        if final in workflow.closed_statuses or final in ("answered", "info_requested"):
            deadlines["next_escalation_at"] = None
        person = _person(rng, lang, REAL_CASES + n)
        cases.append(
            Case(
                reference=next_reference(PREFIX, year=timezone.localtime(received).year),
                portal=PORTAL,
                kind=rng.choice(["complaint"] * 8 + ["observation", "suggestion"]),
                administration=administration,
                channel=rng.choice(["web"] * 6 + ["mobile_app", "mobile_app", "phone_3737", "counter"]),
                status=final,
                language=lang,
                is_confidential=rng.random() < 0.1,
                complainant_type=rng.choice(["citizen"] * 12 + ["mre", "foreigner", "legal_person"]),
                subject=(sub or subject).name(lang)[:255],
                description=_description(rng, lang, (sub or subject).name(lang)),
                received_at=received,
                clock_started_at=started,
                paused_at=steps[-1][2] if final == "info_requested" else None,
                answered_at=None if reopened else answered_at,
                closed_at=closed_at,
                reopen_count=1 if reopened else 0,
                is_overdue=final not in workflow.closed_statuses
                and answered_at is None
                and deadlines["answer_due_at"] < now,
                last_qualifying_action_at=next((t for a, _s, t in reversed(steps) if a != "reopen"), None),
                tracking_token_hash=hash_tracking_token(secrets.token_urlsafe(16)),
                created_at=received,
                updated_at=steps[-1][2] if steps else received,
                version=1 + len(steps),
                **deadlines,
                **person,
            )
        )
        plans.append(
            (
                lang,
                subject,
                sub,
                commune,
                steps,
                rng.choice(["positive", "positive", "negative", "partial", "informative"]),
            )
        )
    with _keep_given_dates(
        Case._meta.get_field("created_at"),
        Case._meta.get_field("updated_at"),
        CaseEvent._meta.get_field("created_at"),
        Message._meta.get_field("created_at"),
    ):
        Case.objects.bulk_create(cases, batch_size=500)
        if cases[0].pk is None:  # backends without RETURNING: read the ids back
            ids = dict(Case.objects.filter(reference__in=[c.reference for c in cases]).values_list("reference", "pk"))
            for case in cases:
                case.pk = ids[case.reference]
        messages, events, complaints = [], [], []
        for case, (lang, subject, sub, commune, steps, outcome) in zip(cases, plans, strict=True):
            events.append(CaseEvent(case=case, action="submitted", to_status="submitted", actor_role=REQUESTER,
                                    is_public=True, payload={"channel": case.channel, "attachments": 0},
                                    created_at=case.received_at))  # fmt: skip
            previous = "submitted"
            for action, target, at in steps:
                role = REQUESTER if action in ("reopen", "withdraw") else Role.OFFICER
                payload = {"outcome": outcome} if action == "answer" else {}
                events.append(CaseEvent(case=case, action=action, from_status=previous, to_status=target,
                                        actor_role=role, is_public=True, payload=payload, created_at=at))  # fmt: skip
                body = {"answer": ANSWERS[outcome][lang], "request_information": INFO_REQUEST[lang],
                        "reopen": REOPEN_REASON[lang]}.get(action)  # fmt: skip
                if body:
                    kind = {"answer": "public_answer", "request_information": "request_for_information"}.get(
                        action, "citizen_message"
                    )
                    messages.append(
                        Message(case=case, kind=kind, author_role=role, body=body, language=lang, created_at=at)
                    )
                previous = target
            rated = case.status in ("answered", "closed") and rng.random() < 0.45
            complaints.append(
                Complaint(
                    case=case,
                    subject=subject,
                    sub_subject=sub,
                    region=commune.province.region if commune else case.administration.region,
                    province=commune.province if commune else None,
                    commune=commune,
                    satisfaction=rng.choice([1, 2, 3, 4, 4, 5, 5]) if rated else None,
                    rated_at=case.answered_at if rated else None,
                    outcome=outcome if any(action == "answer" for action, _t, _at in steps) else "",
                )
            )
        CaseEvent.objects.bulk_create(events, batch_size=1000)
        Message.objects.bulk_create(messages, batch_size=1000)
        Complaint.objects.bulk_create(complaints, batch_size=1000)
    return len(cases)


__all__ = ["load"]
