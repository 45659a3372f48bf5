"""Opening hours: the structured weekly timetable of a facility.

Stored as `{"mon": [["08:30", "16:30"]], "fri": [["08:30", "11:30"], ["15:00", "16:30"]]}`:
weekday keys `mon`..`sun`, each a list of non-overlapping `[open, close]` ranges in 24-hour
`HH:MM`; a missing or empty day is closed. Public administrations in Morocco open Monday to
Friday 08:30-16:30 (decree 2-05-916 on the working hours of public administrations, "horaire
continu"); the demo data uses that default.

The compact text form used by CSV imports is `mon-fri 08:30-16:30; sat 09:00-12:00`
(`parse_hours`). "Open now" is computed in Africa/Casablanca (`is_open_at`).
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS = {
    "mon": gettext_lazy("Monday"),
    "tue": gettext_lazy("Tuesday"),
    "wed": gettext_lazy("Wednesday"),
    "thu": gettext_lazy("Thursday"),
    "fri": gettext_lazy("Friday"),
    "sat": gettext_lazy("Saturday"),
    "sun": gettext_lazy("Sunday"),
}
CASABLANCA = ZoneInfo("Africa/Casablanca")
ADMINISTRATION_HOURS = {day: [["08:30", "16:30"]] for day in DAYS[:5]}

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_RANGE = re.compile(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


def _minutes(value: str) -> int:
    if not isinstance(value, str) or not _TIME.match(value):
        raise ValueError(_("“%(value)s” is not a time in HH:MM form.") % {"value": value})
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def validate_hours(hours) -> dict:
    """Check the stored shape; raise ValueError with a readable message. Returns `hours`."""
    if hours in (None, ""):
        return {}
    if not isinstance(hours, dict):
        raise ValueError(_("Opening hours must map weekdays to time ranges."))
    for day, ranges in hours.items():
        if day not in DAYS:
            raise ValueError(_("“%(day)s” is not a weekday (use mon, tue, wed, thu, fri, sat, sun).") % {"day": day})
        if not isinstance(ranges, list):
            raise ValueError(_("The hours of %(day)s must be a list of ranges.") % {"day": day})
        last_close = -1
        for item in ranges:
            if not (isinstance(item, (list, tuple)) and len(item) == 2):
                raise ValueError(_("A range must be a pair of times such as 08:30-16:30."))
            start, end = _minutes(item[0]), _minutes(item[1])
            if end <= start:
                message = _("A range must close after it opens (%(range)s).")
                raise ValueError(message % {"range": f"{item[0]}-{item[1]}"})
            if start < last_close:
                raise ValueError(_("The ranges of %(day)s overlap or are out of order.") % {"day": day})
            last_close = end
    return hours


def parse_hours(text: str) -> dict:
    """Parse the compact form `mon-fri 08:30-16:30; sat 09:00-12:00, 14:00-16:00`.

    Days are a single key or a `from-to` span; several ranges are separated by commas.
    Raises ValueError on anything else.
    """
    text = (text or "").strip().lower()
    if not text:
        return {}
    result: dict[str, list[list[str]]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        head, _sep, rest = part.partition(" ")
        if "-" in head:
            first, _sep, last = head.partition("-")
            if first not in DAYS or last not in DAYS or DAYS.index(last) < DAYS.index(first):
                raise ValueError(_("“%(days)s” is not a span of weekdays such as mon-fri.") % {"days": head})
            days = DAYS[DAYS.index(first) : DAYS.index(last) + 1]
        elif head in DAYS:
            days = (head,)
        else:
            raise ValueError(_("“%(day)s” is not a weekday (use mon, tue, wed, thu, fri, sat, sun).") % {"day": head})
        ranges = []
        for chunk in rest.split(","):
            match = _RANGE.match(chunk)
            if not match:
                raise ValueError(_("“%(range)s” is not a range such as 08:30-16:30.") % {"range": chunk.strip()})
            ranges.append([match.group(1).zfill(5), match.group(2).zfill(5)])
        for day in days:
            result.setdefault(day, []).extend(ranges)
    for day in result:
        result[day].sort()
    return validate_hours(result)


def is_open_at(hours: dict, moment: dt.datetime) -> bool:
    """Whether a facility with these hours is open at `moment` (any aware datetime), read in
    Africa/Casablanca local time."""
    local = moment.astimezone(CASABLANCA)
    day = DAYS[local.weekday()]
    now = local.hour * 60 + local.minute
    return any(_minutes(start) <= now < _minutes(end) for start, end in (hours or {}).get(day, []))


def weekly_rows(hours: dict) -> list[dict]:
    """One row per weekday for display: label (in the active language), ranges, closed flag."""
    rows = []
    for day in DAYS:
        ranges = (hours or {}).get(day) or []
        rows.append(
            {"day": day, "label": str(DAY_LABELS[day]), "ranges": [f"{a}–{b}" for a, b in ranges], "closed": not ranges}
        )
    return rows
