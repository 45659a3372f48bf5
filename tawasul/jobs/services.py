"""Writes of the jobs portal (ARCHITECTURE.md §3.1): keyword-only, atomic, each with its `JobEvent`.

Candidates: `candidate_profile_save`, `application_submit`, `application_withdraw`.
Recruiting unit: `notice_save`, `notice_publish`, `applications_preselect`, `list_publish`,
`list_record_withdrawal`. Every publication bumps the notice's `version`, the key of the public
pages' cache and ETag (results days, issue 7 scenario 8).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.accounts.validators import normalize_cin, normalize_phone
from tawasul.core.references import next_reference
from tawasul.core.text import normalize
from tawasul.core.uploads import (
    CheckedFile,
    UploadRejected,
    check_upload,
    delete_stored_file,
    store_checked_file,
)
from tawasul.notifications.services import notify

from .models import (
    AGE_CAP_WITH_SERVICE,
    REFERENCE_PREFIX,
    SHORTLIST_MAX,
    STATUS_ON_LIST,
    Application,
    ApplicationDocument,
    CandidateProfile,
    ExamCentre,
    ExamTest,
    JobEvent,
    ListEntry,
    ListKind,
    Notice,
    NoticeLine,
    PublishedList,
    RequiredDocument,
    list_order,
)
from .permissions import can_manage_notice

#: Files of one application: one per required document, plus the authorisation.
MAX_FILES = 20


class JobActionRefused(Exception):
    """A rule of R4 refuses the action; `message` is for the person (translated)."""

    def __init__(self, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _event(*, notice: Notice, action: str, actor=None, application: Application | None = None, **payload) -> None:
    JobEvent.objects.create(
        notice=notice,
        application=application,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        payload=payload,
    )


def _bump(notice: Notice) -> None:
    """A new version of the public pages of this notice (their cache key and ETag), rendered in
    every language by a task after commit (results day: the first readers find it ready)."""
    now = timezone.now()
    Notice.objects.filter(pk=notice.pk).update(version=F("version") + 1, updated_at=now)
    notice.refresh_from_db(fields=["version", "updated_at"])
    notice_id = notice.pk
    transaction.on_commit(lambda: _enqueue_warm(notice_id))


def _enqueue_warm(notice_id: int) -> None:
    from .tasks import warm_public_pages

    warm_public_pages.enqueue(notice_id)


def _require_recruiter(actor, notice: Notice) -> None:
    if not can_manage_notice(actor, notice):
        raise PermissionDenied(_("Only the recruiting unit of this administration may do this."))


# --- Notices -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineData:
    speciality: str
    posting_place: str
    posts: int


@dataclass(frozen=True)
class TestData:
    type: str
    duration_minutes: int
    coefficient: int


@transaction.atomic
def notice_save(
    *,
    actor,
    administration,
    fields: Mapping,
    lines: Sequence[LineData],
    centres: Sequence[str] = (),
    tests: Sequence[TestData] = (),
    documents: Sequence[str] = (),
    notice: Notice | None = None,
) -> Notice:
    """Create a draft notice, or replace a draft's contents. `posts_total` is the sum of the lines
    (R4). A published notice is not edited here: what candidates read stays what they applied to."""
    if notice is None:
        notice = Notice(administration=administration)
    elif notice.is_published:
        raise JobActionRefused(_("A published notice cannot be edited."), "published")
    _require_recruiter(actor, notice)
    if not lines:
        raise JobActionRefused(_("Give at least one line (speciality and number of posts)."), "no_lines")
    for name, value in fields.items():
        setattr(notice, name, value)
    notice.posts_total = sum(line.posts for line in lines)
    adm = notice.administration
    notice.search_text = normalize(
        " ".join(
            [notice.title_ar, notice.title_fr, notice.grade, adm.name_ar, adm.name_fr, adm.acronym]
            + [f"{li.speciality} {li.posting_place}" for li in lines]
        )
    )
    notice.updated_at = timezone.now()
    created = notice.pk is None
    notice.full_clean()
    notice.save()
    if not created:
        for related in (notice.lines, notice.centres, notice.tests, notice.documents):
            related.all().delete()
    NoticeLine.objects.bulk_create(
        NoticeLine(notice=notice, position=i, speciality=li.speciality, posting_place=li.posting_place, posts=li.posts)
        for i, li in enumerate(lines)
    )
    ExamCentre.objects.bulk_create(ExamCentre(notice=notice, position=i, name=c) for i, c in enumerate(centres))
    ExamTest.objects.bulk_create(
        ExamTest(notice=notice, position=i, type=t.type, duration_minutes=t.duration_minutes, coefficient=t.coefficient)
        for i, t in enumerate(tests)
    )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(notice=notice, position=i, name=d) for i, d in enumerate(documents)
    )
    _event(notice=notice, action="notice_created" if created else "notice_edited", actor=actor)
    return notice


@transaction.atomic
def notice_publish(*, actor, notice: Notice) -> Notice:
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _require_recruiter(actor, notice)
    if notice.is_published:
        raise JobActionRefused(_("This notice is already published."), "published")
    if notice.deadline_at <= timezone.now():
        raise JobActionRefused(_("The deadline has passed: set a later deadline before publishing."), "deadline")
    notice.status = Notice.Status.PUBLISHED
    notice.published_at = timezone.now()
    notice.save(update_fields=["status", "published_at"])
    _bump(notice)
    _event(notice=notice, action="notice_published", actor=actor)
    return notice


#: The PDFs a notice carries (R4 `notice_pdf`, `opening_order_pdf`), by the name used in URLs.
NOTICE_FILES = {"notice": "notice_pdf", "order": "opening_order_pdf"}


def notice_attach_pdf(*, actor, notice: Notice, which: str, uploaded_file) -> Notice:
    """Attach (or replace) the notice PDF or the opening order, checked by `tawasul.core.uploads`
    (a real PDF only). Allowed on a published notice too: the arrêté often comes later."""
    _require_recruiter(actor, notice)
    field = NOTICE_FILES.get(which)
    if field is None:
        raise JobActionRefused(_("Unknown file."), "file")
    checked = check_upload(uploaded_file)
    if checked.kind != "pdf":
        raise UploadRejected("unsupported_type")
    name = store_checked_file(uploaded_file, checked, folder="jobs/notices")
    try:
        with transaction.atomic():
            notice = Notice.objects.select_for_update().get(pk=notice.pk)
            old = getattr(notice, field).name
            getattr(notice, field).name = name
            notice.save(update_fields=[field])
            if notice.is_published:
                _bump(notice)
            _event(notice=notice, action="file_attached", actor=actor, which=which)
    except BaseException:
        delete_stored_file(name)
        raise
    if old:
        delete_stored_file(old)
    return notice


# --- Candidates ----------------------------------------------------------------------------------


@transaction.atomic
def candidate_profile_save(
    *,
    user,
    cin: str,
    phone: str,
    birth_date: dt.date,
    diplomas: str,
    experience: str = "",
    prior_service_years: int = 0,
) -> CandidateProfile:
    """DOMAIN.md §4.3 steps 1-2. CIN and phone are kept on the account (R10 formats)."""
    user.cin = normalize_cin(cin)
    user.phone = normalize_phone(phone)
    user.save(update_fields=["cin", "phone"])
    profile, _created = CandidateProfile.objects.update_or_create(
        user=user,
        defaults={
            "birth_date": birth_date,
            "diplomas": diplomas,
            "experience": experience,
            "prior_service_years": prior_service_years,
        },
    )
    return profile


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def upper_age_limit(notice: Notice, profile: CandidateProfile) -> int | None:
    """The highest age allowed to this candidate: `age_max`, extended by prior pensionable
    service up to 45 (DOMAIN.md §4.2), or None when the notice sets none."""
    if notice.age_max is None:
        return None
    limit = notice.age_max
    if notice.age_extension_for_prior_service and profile.prior_service_years:
        limit = max(limit, min(limit + profile.prior_service_years, AGE_CAP_WITH_SERVICE))
    return limit


def eligibility_errors(notice: Notice, profile: CandidateProfile | None, *, is_civil_servant: bool) -> list[str]:
    """R4's age rules, on 1 January of the competition's year; the upper limit does not apply to
    serving civil servants when the notice says so."""
    if profile is None:
        return [_("Fill in your candidate profile first.")]
    day = notice.age_reference_date
    age = age_on(profile.birth_date, day)
    errors = []
    if age < notice.age_min:
        errors.append(
            _("You must be at least %(min)s years old on %(day)s.") % {"min": notice.age_min, "day": day.isoformat()}
        )
    waived = is_civil_servant and notice.age_limit_waived_for_civil_servants
    limit = upper_age_limit(notice, profile)
    if limit is not None and not waived and age > limit:
        errors.append(
            _("The age limit of this notice is %(max)s years on %(day)s; you are %(age)s.")
            % {"max": limit, "day": day.isoformat(), "age": age}
        )
    return errors


def _check_files(files: Sequence) -> list[CheckedFile]:
    if len(files) > MAX_FILES:
        raise ValidationError(_("Too many files: at most %(limit)s.") % {"limit": MAX_FILES})
    return [check_upload(f) for f in files]


def application_submit(
    *,
    user,
    notice: Notice,
    line: NoticeLine,
    centre: ExamCentre | None,
    is_civil_servant: bool,
    documents: Mapping[int, object],
    authorisation=None,
    now: dt.datetime | None = None,
) -> Application:
    """DOMAIN.md §4.3 steps 3-7: check the deadline, the channel, the eligibility and the files,
    store the files, create the application with its reference, queue the receipt email.

    `documents` maps each `RequiredDocument` id to its uploaded file. Raises `JobActionRefused`
    (a rule) or `tawasul.core.uploads.UploadRejected` (a file)."""
    now = now or timezone.now()
    if not notice.is_published or not notice.takes_portal_applications:
        raise JobActionRefused(_("This notice does not take applications on the portal."), "channel")
    if now >= notice.deadline_at:
        raise JobActionRefused(_("The deadline for applications has passed."), "deadline")
    if line.notice_id != notice.pk or (centre is not None and centre.notice_id != notice.pk):
        raise JobActionRefused(_("Choose a speciality and a centre of this notice."), "line")
    if centre is None and notice.centres.exists():
        raise JobActionRefused(_("Choose an exam centre."), "centre")
    profile = CandidateProfile.objects.filter(user=user).first()
    errors = eligibility_errors(notice, profile, is_civil_servant=is_civil_servant)
    if errors:
        raise JobActionRefused(" ".join(errors), "eligibility")
    required = list(notice.documents.all())
    missing = [doc.name for doc in required if not documents.get(doc.pk)]
    if missing:
        raise JobActionRefused(_("Attach these documents: %(names)s.") % {"names": ", ".join(missing)}, "documents")
    if is_civil_servant and not authorisation:
        raise JobActionRefused(
            _("Serving civil servants must attach their administration's authorisation to sit the competition."),
            "authorisation",
        )
    if Application.objects.filter(notice=notice, candidate=user).exclude(status=Application.Status.WITHDRAWN).exists():
        raise JobActionRefused(_("You have already applied to this notice."), "duplicate")
    uploads = [(doc, documents[doc.pk]) for doc in required]
    if is_civil_servant:
        uploads.append((None, authorisation))
    checked = _check_files([f for _doc, f in uploads])
    stored: list[str] = []
    try:
        for (_doc, f), result in zip(uploads, checked, strict=True):
            stored.append(store_checked_file(f, result, folder="jobs"))
        with transaction.atomic():
            application = Application.objects.create(
                reference=next_reference(REFERENCE_PREFIX),
                notice=notice,
                line=line,
                centre=centre,
                candidate=user,
                full_name=user.get_full_name() or str(user),
                is_civil_servant=is_civil_servant,
                submitted_at=now,
            )
            ApplicationDocument.objects.bulk_create(
                ApplicationDocument(
                    application=application,
                    required=doc,
                    is_authorisation=doc is None,
                    storage_name=name,
                    display_name=result.safe_name,
                    kind=result.kind,
                    mime=result.mime,
                    size=result.size,
                    sha256=result.sha256,
                )
                for (doc, _f), result, name in zip(uploads, checked, stored, strict=True)
            )
            _event(notice=notice, application=application, action="application_submitted", actor=user)
            notify(
                channel="email",
                to=user.email or "",
                template="jobs/application_received",
                context={
                    "reference": application.reference,
                    "notice": notice.title_fr or notice.title_ar,
                    "notice_ar": notice.title_ar,
                    "deadline": timezone.localtime(notice.deadline_at).strftime("%Y-%m-%d %H:%M"),
                    "speciality": line.speciality,
                },
                language=getattr(user, "preferred_language", "") or "ar",
                subject_ref=application.reference,
            )
    except IntegrityError as exc:
        for name in stored:
            delete_stored_file(name)
        raise JobActionRefused(_("You have already applied to this notice."), "duplicate") from exc
    except BaseException:
        for name in stored:
            delete_stored_file(name)
        raise
    return application


@transaction.atomic
def application_withdraw(*, user, application: Application, now: dt.datetime | None = None) -> Application:
    """The candidate withdraws before the deadline (after it, the file is locked: R4)."""
    now = now or timezone.now()
    application = Application.objects.select_for_update().select_related("notice").get(pk=application.pk)
    if application.candidate_id != user.pk:
        raise PermissionDenied
    if application.status != Application.Status.SUBMITTED:
        raise JobActionRefused(_("This application can no longer be withdrawn."), "status")
    if now >= application.notice.deadline_at:
        raise JobActionRefused(_("The deadline has passed: the application is locked."), "deadline")
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = now
    application.save(update_fields=["status", "withdrawn_at"])
    _event(notice=application.notice, application=application, action="application_withdrawn", actor=user)
    return application


# --- Recruiting unit -----------------------------------------------------------------------------


@transaction.atomic
def applications_preselect(
    *, actor, notice: Notice, selected_ids: Sequence[int] | None, among_ids: Sequence[int] | None = None
) -> int:
    """Preselect after the deadline, before the first list: among the received applications (or
    only `among_ids`, the page the recruiter looked at), mark `selected_ids` preselected and the
    others not (`selected_ids=None`: all of them). Returns the number preselected."""
    _require_recruiter(actor, notice)
    if timezone.now() < notice.deadline_at:
        raise JobActionRefused(_("Applications are reviewed after the deadline."), "deadline")
    if notice.lists.exists():
        raise JobActionRefused(_("The preselection list is already published."), "published")
    pool = notice.applications.filter(
        status__in=[Application.Status.SUBMITTED, Application.Status.PRESELECTED, Application.Status.NOT_PRESELECTED]
    )
    if among_ids is not None:
        pool = pool.filter(pk__in=list(among_ids))
    if selected_ids is None:
        chosen = pool.update(status=Application.Status.PRESELECTED)
    else:
        chosen = pool.filter(pk__in=list(selected_ids)).update(status=Application.Status.PRESELECTED)
        pool.exclude(pk__in=list(selected_ids)).update(status=Application.Status.NOT_PRESELECTED)
    _event(notice=notice, action="applications_preselected", actor=actor, count=chosen)
    return chosen


def list_candidates(notice: Notice, kind: str) -> list[Application]:
    """Who may go on list `kind`: the preselected applications for the first list, then the
    candidates of the list it follows (the waiting list: the oral's candidates not on the main)."""
    if kind == ListKind.PRESELECTED_WRITTEN:
        return list(notice.applications.filter(status=Application.Status.PRESELECTED).select_related("line"))
    if kind == ListKind.SHORTLIST:  # Art. 92: every application the selection commission heard
        received = notice.applications.exclude(status=Application.Status.WITHDRAWN)
        return list(received.select_related("line").order_by("full_name", "pk"))
    source = {
        ListKind.APPOINTED: ListKind.SHORTLIST,
        ListKind.CONVOKED_ORAL: ListKind.PRESELECTED_WRITTEN,
        ListKind.FINAL_MAIN: ListKind.CONVOKED_ORAL,
        ListKind.FINAL_WAITING: ListKind.CONVOKED_ORAL,
    }.get(kind)
    if source is None:
        return []
    ids = ListEntry.objects.filter(list__notice=notice, list__kind=source).values("application_id")
    queryset = notice.applications.filter(pk__in=ids).select_related("line")
    if kind == ListKind.FINAL_WAITING:
        main = ListEntry.objects.filter(list__notice=notice, list__kind=ListKind.FINAL_MAIN).values("application_id")
        queryset = queryset.exclude(pk__in=main)
    return list(queryset.order_by("full_name", "pk"))


def next_list_kind(notice: Notice) -> str | None:
    """The list that may be published next (R4's order), or None when the final lists are out
    (withdrawals are recorded one by one: `list_record_withdrawal`)."""
    published = set(notice.lists.values_list("kind", flat=True))
    order = list_order(notice)
    if order[-1] == ListKind.WITHDRAWALS:
        order = order[:-1]
    elif not notice.applications.exclude(status=Application.Status.WITHDRAWN).exists():
        # Decree 2-12-412: no candidacy received, the minister proposes a candidate directly.
        order = (ListKind.APPOINTED,)
    for kind in order:
        if kind not in published:
            return kind
    return None


def _entry(lst: PublishedList, application: Application, position: int) -> ListEntry:
    return ListEntry(
        list=lst,
        application=application,
        position=position,
        full_name=application.full_name,
        reference=application.reference,
        speciality=application.line.speciality,
    )


@transaction.atomic
def list_publish(
    *, actor, notice: Notice, kind: str, application_ids: Sequence[int], direct_name: str = ""
) -> PublishedList:
    """Publish list `kind` with these applications in this order. R4: each list only after the
    one it follows; its candidates come from that list. Art. 92 senior posts: at most three
    proposed, one appointed among them, or, when nobody applied, the person the minister
    proposed directly (`direct_name`)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _require_recruiter(actor, notice)
    if kind not in list_order(notice) or kind == ListKind.WITHDRAWALS:
        raise JobActionRefused(_("Unknown list."), "kind")
    if notice.lists.filter(kind=kind).exists():
        raise JobActionRefused(_("This list is already published."), "published")
    if next_list_kind(notice) != kind:
        raise JobActionRefused(_("This list cannot be published yet: publish the lists in order."), "order")
    if timezone.now() < notice.deadline_at:
        raise JobActionRefused(_("Lists are published after the deadline."), "deadline")
    by_id = {a.pk: a for a in list_candidates(notice, kind)}
    ids = list(dict.fromkeys(int(i) for i in application_ids))
    direct_name = direct_name.strip()[:300]
    if direct_name and not (kind == ListKind.APPOINTED and not by_id and not ids):
        raise JobActionRefused(_("A person is named directly only when nobody applied."), "direct")
    if not ids and not direct_name and kind != ListKind.FINAL_WAITING:
        raise JobActionRefused(_("Choose at least one candidate."), "empty")
    if any(i not in by_id for i in ids):
        raise JobActionRefused(_("A chosen candidate is not on the previous list."), "not_eligible")
    if (kind == ListKind.SHORTLIST and len(ids) > SHORTLIST_MAX) or (kind == ListKind.APPOINTED and len(ids) > 1):
        limit = SHORTLIST_MAX if kind == ListKind.SHORTLIST else 1
        raise JobActionRefused(_("This list takes at most %(limit)s candidates.") % {"limit": limit}, "too_many")
    lst = PublishedList.objects.create(notice=notice, kind=kind, published_by=actor)
    ListEntry.objects.bulk_create(_entry(lst, by_id[i], n) for n, i in enumerate(ids, start=1))
    if direct_name:
        ListEntry.objects.create(list=lst, position=1, full_name=direct_name, reference="")
    Application.objects.filter(pk__in=ids).update(status=STATUS_ON_LIST[kind])
    if kind == ListKind.PRESELECTED_WRITTEN:
        notice.applications.filter(status=Application.Status.SUBMITTED).update(
            status=Application.Status.NOT_PRESELECTED
        )
    elif kind == ListKind.FINAL_WAITING:
        leftover = [a for a in by_id if a not in ids]
        Application.objects.filter(pk__in=leftover).update(status=Application.Status.NOT_ADMITTED)
    _bump(notice)
    _event(notice=notice, action="list_published", actor=actor, kind=kind, count=len(ids))
    return lst


@transaction.atomic
def list_record_withdrawal(*, actor, notice: Notice, application: Application) -> Application | None:
    """A candidate of the main list withdraws (DOMAIN.md §4.3 step 11): strike them from the main
    list, add them to the withdrawals list, and call up the first candidate of the waiting list
    not yet called to the end of the main list. Returns the promoted application (or None)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _require_recruiter(actor, notice)
    lists = {lst.kind: lst for lst in notice.lists.all()}
    if ListKind.FINAL_WAITING not in lists:
        raise JobActionRefused(_("Publish the main and waiting lists before recording withdrawals."), "order")
    main = lists[ListKind.FINAL_MAIN]
    entry = ListEntry.objects.select_for_update().filter(list=main, application=application, struck=False).first()
    if entry is None:
        raise JobActionRefused(_("This candidate is not on the main list."), "not_on_list")
    entry.struck = True
    entry.save(update_fields=["struck"])
    withdrawals = lists.get(ListKind.WITHDRAWALS) or PublishedList.objects.create(
        notice=notice, kind=ListKind.WITHDRAWALS, published_by=actor
    )
    last = withdrawals.entries.aggregate(m=Max("position"))["m"] or 0
    application = Application.objects.select_related("line").get(pk=application.pk)
    _entry(withdrawals, application, last + 1).save()
    Application.objects.filter(pk=application.pk).update(status=Application.Status.DESISTED)
    _event(notice=notice, application=application, action="withdrawal_recorded", actor=actor)
    waiting = (
        ListEntry.objects.select_for_update()
        .filter(list=lists[ListKind.FINAL_WAITING], struck=False)
        .order_by("position")
        .first()
    )
    promoted = None
    if waiting is not None:
        waiting.struck = True
        waiting.save(update_fields=["struck"])
        promoted = Application.objects.select_related("line").get(pk=waiting.application_id)
        last_main = main.entries.aggregate(m=Max("position"))["m"] or 0
        _entry(main, promoted, last_main + 1).save()
        Application.objects.filter(pk=promoted.pk).update(status=Application.Status.FINAL_MAIN)
        _event(notice=notice, application=promoted, action="called_from_waiting_list", actor=actor)
    _bump(notice)
    return promoted
