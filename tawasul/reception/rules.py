"""The rules of the reception program, as pure functions (no database): the survey's questions,
its single-use tickets, comment scrubbing, the rules of a progress line and the progress
arithmetic of seed 003, and the conditions of the "model site" label (docs/adr/0032)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import ActivityStatus, ChecklistItem, CheckState

# --- Survey -------------------------------------------------------------------------------------

#: R7 "Satisfaction survey" and DOMAIN.md §6 (badges, signage, satisfaction measurement): five
#: questions on a 1–5 scale, then an optional comment. The field names are the model's columns.
QUESTIONS: tuple[tuple[str, object], ...] = (
    ("welcome", _("How courteous was the staff who received you?")),
    ("orientation", _("How easy was it to find your way (signage, guidance)?")),
    ("waiting", _("How acceptable was your waiting time?")),
    ("clarity", _("How clearly were the procedure and the documents explained to you?")),
    ("overall", _("Overall, how satisfied are you with this visit?")),
)
QUESTION_FIELDS = tuple(name for name, _label in QUESTIONS)
SCALE = (1, 2, 3, 4, 5)
COMMENT_MAX_LENGTH = 500

#: A ticket is good for two hours after the form was shown (a visitor may answer while waiting).
TICKET_MAX_AGE_SECONDS = 2 * 3600
#: ...and not before a few seconds: five questions cannot be read and answered faster (a script
#: posting at once is turned back; a person just sends the form again).
SURVEY_MIN_SECONDS = 3
_TICKET_SALT = "tawasul.reception.survey-ticket"


class TicketError(Exception):
    """The ticket is forged, belongs to another site, or is too old."""


class TicketTooFresh(TicketError):
    """Sent sooner than a person can answer."""


def issue_ticket(site_code: str, *, now: float | None = None) -> str:
    """A signed single-use ticket for one showing of the survey form of `site_code`."""
    issued = int(now if now is not None else time.time())
    return signing.Signer(salt=_TICKET_SALT).sign(f"{site_code}:{secrets.token_urlsafe(18)}:{issued}")


def read_ticket(value: str, site_code: str, *, now: float | None = None) -> str:
    """The ticket's nonce, if it is ours, for this site, and of a plausible age."""
    try:
        payload = signing.Signer(salt=_TICKET_SALT).unsign(value or "")
        code, nonce, issued = payload.rsplit(":", 2)
        issued_at = int(issued)
    except (signing.BadSignature, ValueError) as error:
        raise TicketError from error
    if code != site_code:
        raise TicketError
    age = (now if now is not None else time.time()) - issued_at
    if age > TICKET_MAX_AGE_SECONDS or age < -60:
        raise TicketError
    if age < SURVEY_MIN_SECONDS:
        raise TicketTooFresh
    return nonce


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
#: A run of 6 digits or more (phone, national ID number, file number), spaces or dots inside allowed.
_LONG_NUMBER = re.compile(r"(?:\+?\d[\s.\-]?){6,}")
#: A CIN (DOMAIN.md R10): one or two letters then digits.
_CIN = re.compile(r"\b[A-Za-z]{1,2}\d{4,7}\b")
REDACTED = "[…]"


def scrub_comment(text: str) -> str:
    """The comment without what would identify a person (e-mail, phone, ID numbers): the survey
    stores no personal data, whatever a visitor types."""
    text = (text or "").strip()
    for pattern in (_EMAIL, _CIN, _LONG_NUMBER):
        text = pattern.sub(REDACTED, text)
    return text[:COMMENT_MAX_LENGTH]


def survey_summary(rows: Iterable[dict], *, minimum: int) -> dict:
    """Counts, averages and the 1–5 distribution of each question, from rows of
    `{question: score, "n": count}` grouped by every score (one row per (question, score)).

    Below `minimum` answers the figures are withheld (`shown` False): a handful of answers says
    little, and at a small desk they could point at one visitor or one agent.
    """
    distribution = {name: dict.fromkeys(SCALE, 0) for name in QUESTION_FIELDS}
    for row in rows:
        distribution[row["question"]][row["score"]] += row["n"]
    count = sum(distribution[QUESTION_FIELDS[0]].values())
    questions = []
    for name, label in QUESTIONS:
        dist = distribution[name]
        total = sum(score * n for score, n in dist.items())
        average = (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), ROUND_HALF_UP) if count else None
        shares = [
            (score, n, (Decimal(100 * n) / Decimal(count)).quantize(Decimal("1"), ROUND_HALF_UP) if count else 0)
            for score, n in dist.items()
        ]
        questions.append({"name": name, "label": label, "average": average, "distribution": shares})
    return {"count": count, "minimum": minimum, "shown": count >= minimum, "questions": questions}


# --- Activities and progress (seed 003) ------------------------------------------------------------


def activity_errors(
    *,
    status: str,
    completion: int | None,
    planned_start: dt.date | None,
    planned_end: dt.date | None,
    started_on: dt.date | None,
    ended_on: dt.date | None,
) -> dict[str, list]:
    """What is wrong with a progress line, by field (empty when it is consistent)."""
    errors: dict[str, list] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if completion is not None and not 0 <= completion <= 100:
        add("completion", _("The completion is a percentage from 0 to 100."))
    if planned_start and planned_end and planned_end < planned_start:
        add("planned_end", _("The planned end cannot be before the planned start."))
    if started_on and ended_on and ended_on < started_on:
        add("ended_on", _("The actual end cannot be before the actual start."))
    if status == ActivityStatus.DONE:
        if completion != 100:
            add("completion", _("A done activity is %(full)s complete.") % {"full": "100 %"})
        if not ended_on:
            add("ended_on", _("Give the day the activity ended."))
    elif status == ActivityStatus.PLANNED:
        if completion:
            add("completion", _("A planned activity has not started: its completion is 0 %."))
        if started_on or ended_on:
            add("started_on", _("A planned activity has no actual dates yet."))
    elif status == ActivityStatus.IN_PROGRESS:
        if not started_on:
            add("started_on", _("Give the day the activity started."))
        if completion == 100:
            add("completion", _("An activity at %(full)s is done: choose the status “Done”.") % {"full": "100 %"})
        if ended_on:
            add("ended_on", _("An activity in progress has no end date yet."))
    return errors


def is_late(*, status: str, planned_end: dt.date, today: dt.date) -> bool:
    """Past its planned end and neither done nor cancelled."""
    return status in (ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS) and planned_end < today


def overall_completion(completions: Iterable[int]) -> int | None:
    """The program's completion as seed 003 reports it ("نسبة تقدم الإلتزام" 100 % over four
    activities at 100 %): the plain mean of the activities' completion, cancelled ones left out
    by the caller, rounded half up to a whole percent. None without any activity."""
    values = list(completions)
    if not values:
        return None
    mean = Decimal(sum(values)) / Decimal(len(values))
    return int(mean.quantize(Decimal("1"), ROUND_HALF_UP))


# --- The model-site label ------------------------------------------------------------------------


def label_missing_items(states: dict[str, str]) -> list[str]:
    """The checklist items that keep a site from the "model site" label: every item of R7 must be
    in place (docs/adr/0032)."""
    return [item for item in ChecklistItem.values if states.get(item) != CheckState.COMPLIANT]


#: Points of each state in a site's checklist score (R7 "Audit: score per item").
STATE_POINTS = {CheckState.COMPLIANT: 2, CheckState.PARTIAL: 1, CheckState.MISSING: 0, CheckState.NOT_CHECKED: 0}


def checklist_score(states: Iterable[str]) -> int:
    """A site's checklist as one figure: 2 points per item in place, 1 per item partly in place,
    over the 7 items of R7, as a whole percentage (rounded half up)."""
    points = sum(STATE_POINTS.get(state, 0) for state in states)
    maximum = 2 * len(ChecklistItem.values)
    return int((Decimal(100 * points) / Decimal(maximum)).quantize(Decimal("1"), ROUND_HALF_UP))
