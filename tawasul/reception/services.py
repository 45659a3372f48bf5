"""Writes of the reception program (ARCHITECTURE.md §3: keyword-only, atomic, checked here).

Every write to reference data names its actor, which django-simple-history records as the
author of the new version (`_history_user`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Activity, ActivityStatus, ChecklistItem, CheckState, ReceptionSite, SiteCheck, SurveyAnswer
from .permissions import can_manage, is_national_unit
from .rules import QUESTION_FIELDS, SCALE, activity_errors, label_missing_items, scrub_comment

# --- Sites ----------------------------------------------------------------------------------------


def _free_code(base: str) -> str:
    base = slugify(base)[:56] or "site"
    code, n = base, 1
    while ReceptionSite.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def site_create(*, actor, facility, administration=None) -> ReceptionSite:
    """Take a facility into the program, with its seven checklist items "not checked yet".

    The site's administration is the facility's; a facility without one needs `administration`.
    The actor must manage that administration (its head of unit, or the national unit)."""
    administration = facility.administration or administration
    if administration is None:
        raise ValidationError({"administration": _("Choose the administration in charge of this site.")})
    if not can_manage(actor, administration.pk):
        raise PermissionDenied
    if ReceptionSite.objects.filter(facility=facility).exists():
        raise ValidationError({"facility": _("This facility is already a reception site.")})
    with transaction.atomic():
        site = ReceptionSite(facility=facility, administration=administration, code=_free_code(facility.code))
        site._history_user = actor
        site.save()
        for item in ChecklistItem.values:
            check = SiteCheck(site=site, item=item)
            check._history_user = actor
            check.save()
    return site


def site_update_checklist(*, actor, site: ReceptionSite, items: dict[str, dict], today: dt.date | None = None) -> int:
    """Record a check of the site: `items` maps an item to `{"state", "checked_on", "note"}`.

    A row is saved only when something changed. A state other than "not checked" needs a date
    (today when none is given; never in the future). Returns how many rows changed."""
    if not can_manage(actor, site.administration_id):
        raise PermissionDenied
    today = today or timezone.localdate()
    changed = 0
    with transaction.atomic():
        checks = {c.item: c for c in SiteCheck.objects.select_for_update().filter(site=site)}
        for item, values in items.items():
            if item not in ChecklistItem.values:
                raise ValidationError(_("Unknown checklist item."))
            state = values.get("state") or CheckState.NOT_CHECKED
            if state not in CheckState.values:
                raise ValidationError({item: _("Unknown state.")})
            checked_on = values.get("checked_on")
            if checked_on and checked_on > today:
                raise ValidationError({item: _("A check cannot be dated in the future.")})
            check = checks.get(item) or SiteCheck(site=site, item=item)
            if state == CheckState.NOT_CHECKED:
                checked_on = None
            elif not checked_on:
                checked_on = check.checked_on if state == check.state and check.checked_on else today
            note = (values.get("note") or "").strip()[:300]
            if check.pk and (check.state, check.checked_on, check.note) == (state, checked_on, note):
                continue
            check.state, check.checked_on, check.note = state, checked_on, note
            check._history_user = actor
            check.save()
            changed += 1
        if changed:
            site._history_user = actor
            site.save(update_fields=["updated_at"])
    return changed


def site_set_label(*, actor, site: ReceptionSite, is_model_site: bool, labelled_on: dt.date | None = None):
    """Grant or withdraw the "model site" label: the national unit only, and only to a site whose
    every checklist item is in place (docs/adr/0032)."""
    if not is_national_unit(actor):
        raise PermissionDenied
    today = timezone.localdate()
    with transaction.atomic():
        site = ReceptionSite.objects.select_for_update().get(pk=site.pk)
        if is_model_site:
            missing = label_missing_items(dict(site.checks.values_list("item", "state")))
            if missing:
                names = ", ".join(str(ChecklistItem(item).label) for item in missing)
                message = _("Every checklist item must be in place first. Missing: %(items)s")
                raise ValidationError(message % {"items": names})
            labelled_on = labelled_on or today
            if labelled_on > today:
                raise ValidationError({"labelled_on": _("The label date cannot be in the future.")})
            site.is_model_site, site.labelled_on = True, labelled_on
        else:
            site.is_model_site, site.labelled_on = False, None
        site._history_user = actor
        site.save(update_fields=["is_model_site", "labelled_on", "updated_at"])
    return site


# --- Activities -------------------------------------------------------------------------------------

PROGRESS_FIELDS = ("status", "completion", "started_on", "ended_on")
PLAN_FIELDS = (
    "title_ar",
    "title_fr",
    "title_zgh",
    "title_en",
    "administration",
    "site",
    "planned_start",
    "planned_end",
)


def _check_activity(activity: Activity) -> None:
    errors = activity_errors(
        status=activity.status,
        completion=activity.completion,
        planned_start=activity.planned_start,
        planned_end=activity.planned_end,
        started_on=activity.started_on,
        ended_on=activity.ended_on,
    )
    if activity.ended_on and activity.ended_on > timezone.localdate():
        errors.setdefault("ended_on", []).append(_("The actual end cannot be in the future."))
    if activity.started_on and activity.started_on > timezone.localdate():
        errors.setdefault("started_on", []).append(_("The actual start cannot be in the future."))
    if activity.site_id and activity.site.administration_id != activity.administration_id:
        errors.setdefault("site", []).append(_("The site must belong to the owner administration."))
    if errors:
        raise ValidationError(errors)


def activity_create(*, actor, data: dict) -> Activity:
    """A new activity of the program: the national unit plans the program."""
    if not is_national_unit(actor):
        raise PermissionDenied
    activity = Activity(**{k: data[k] for k in (*PLAN_FIELDS, *PROGRESS_FIELDS) if k in data})
    _check_activity(activity)
    with transaction.atomic():
        activity._history_user = actor
        activity.save()
    return activity


def activity_update(*, actor, activity: Activity, data: dict) -> Activity:
    """Update an activity. The owner administration's managers report progress (status,
    completion, actual dates); the national unit may also change the plan."""
    national = is_national_unit(actor)
    if not national and not can_manage(actor, activity.administration_id):
        raise PermissionDenied
    allowed = (*PLAN_FIELDS, *PROGRESS_FIELDS) if national else PROGRESS_FIELDS
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        for key in allowed:
            if key in data:
                setattr(activity, key, data[key])
        if activity.status == ActivityStatus.DONE and activity.completion == 100 and not activity.ended_on:
            activity.ended_on = timezone.localdate()
        _check_activity(activity)
        activity._history_user = actor
        activity.save()
    return activity


# --- Survey ---------------------------------------------------------------------------------------------


class SurveyRefused(Exception):
    """The answer was not stored (a replayed form)."""


def survey_submit(
    *, site: ReceptionSite, scores: dict[str, int], comment: str, channel: str, language: str, nonce: str
) -> SurveyAnswer:
    """Store one anonymous answer. The nonce of the form's ticket is unique: a form sent twice
    (a double click, or a script replaying one page) is stored once."""
    for name in QUESTION_FIELDS:
        if scores.get(name) not in SCALE:
            raise ValidationError({name: _("Choose a mark from 1 to 5.")})
    answer = SurveyAnswer(
        site=site,
        answered_on=timezone.localdate(),
        channel=channel,
        language=(language or "")[:8],
        comment=scrub_comment(comment),
        nonce=nonce,
        **{name: scores[name] for name in QUESTION_FIELDS},
    )
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError as error:
        raise SurveyRefused from error
    return answer
