"""The post's tracking feed: the carrier's item events move document orders (DOMAIN.md R3 "States";
docs/adr/0042-post-tracking-feed.md).

An order handed to the post carries the UPU S10 number of its registered letter
(`services.order_hand_to_post`). The post operator (Barid Al-Maghrib in Morocco) pushes the events
it scans for its items to `POST /api/v1/post/events/` (`tawasul.api.postfeed`); `post_events_apply`
turns them into the workflow's moves, made by the platform (`Actor.system()`) through
`case_transition`, as an officer would record them by hand:

    handed_to_post ─mark_in_transit→ in_transit
    handed_to_post | in_transit ─mark_delivered→ delivered | ─mark_returned→ returned

**Event codes** (`settings.POST_FEED_EVENT_MAP`: code → outcome). The default follows the UPU's
EMSEVT item events (the Universal Postal Union's EDI message for item tracking, which its members'
IPS systems exchange; event names as the UPU lists them, e.g. in its "PRIME" operations FAQ and the
tracking specifications quoted by logistic-natives.com, 2022):

- `in_transit`: EMA posting/collection, EMB arrival at the outward office of exchange, EMC departure
  from it, EMJ/EMK arrival at/departure from a transit office of exchange, EMD arrival at the inward
  office of exchange, EMF departure from it, EMG arrival at the delivery office;
- `delivered`: EMI final delivery;
- `attempted`: EMH unsuccessful (attempted) delivery — no move; a public event on the requester's
  timeline (`post_delivery_attempted`, with the post office when the carrier names one), written
  with the case core's `case_log_event`;
- `returned`: `RTS`. EMSEVT has no event of its own for "returned to the sender": a return is an
  EMH whose action code says so, then the item travels back. `RTS` is this feed's code, which the
  operator's adapter sends once the letter is back with the sender; a deployment whose operator
  uses another code sets it in the map.

Codes outside the map (customs EME, the EDx/EXx events...) change nothing and are reported
`unknown_code`.

**Rules**, for each event (in the order of the carrier's times, the batch's order breaking ties):

- the item number is normalized as `post_item_number_normalize` does (`invalid_item` otherwise)
  and looked up among the orders of the documents portal only (`unknown_item`); two orders in the
  post's hands with the same number (a number reused by the carrier) are left alone
  (`ambiguous_item`);
- an event already applied (same carrier event id on the order's events; without an id, same code
  and same time) is answered `applied` again and changes nothing: the carrier can resend a batch it
  got no answer for and gets the same answer;
- only an order in the post's hands (`handed_to_post`, `in_transit`) moves; the state only goes
  forward, so an older event arriving late never moves an order back: an in-transit event for an
  order already in transit is `no_change`, any event for an order delivered, returned or not yet
  handed to the post is `not_applicable` (the same for a move refused by the workflow table);
- each order's move is its own transaction (the case row locked, the duplicate check inside it):
  one event refused never loses the others, and two deliveries of the same batch at once apply it
  once.

The requester is told of each move by the workflow's own notifications (the mark_* transitions are
public); the attempted delivery is on the timeline only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from tawasul.cases.actors import Actor
from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.services import CaseActionRefused, case_log_event, case_transition
from tawasul.cases.workflow import SYSTEM

from .models import DocumentOrder
from .services import post_item_number_normalize
from .workflow import PORTAL

__all__ = [
    "ATTEMPT_ACTION",
    "EVENT_LABELS",
    "MAX_EVENTS",
    "OUTCOMES",
    "FeedResult",
    "PostEvent",
    "event_map",
    "post_events_apply",
]

#: Events per call (the API refuses a longer batch with a 400).
MAX_EVENTS = 500
#: What an event code may stand for in `settings.POST_FEED_EVENT_MAP`.
OUTCOMES = {
    "in_transit": "mark_in_transit",
    "delivered": "mark_delivered",
    "returned": "mark_returned",
    "attempted": None,  # no move: a public event on the timeline
}
#: The public event of an attempted delivery (not a transition: `case_log_event`).
ATTEMPT_ACTION = "post_delivery_attempted"
#: Labels of this module's public events, for the order's timelines (web page and API).
EVENT_LABELS = {ATTEMPT_ACTION: gettext_noop("The post tried to deliver the letter")}
#: The orders the feed may move: in the post's hands.
IN_POST = ("handed_to_post", "in_transit")
#: Marks the events written by the feed (their payload's `source`).
SOURCE = "post_feed"


@dataclass(frozen=True)
class PostEvent:
    """One carrier event, its shape already checked by the caller (`at` is aware)."""

    index: int  # its place in the carrier's batch, for the answer
    item: str
    code: str
    at: dt.datetime
    office: str = ""
    id: str = ""

    @property
    def at_utc(self) -> str:
        return self.at.astimezone(dt.UTC).isoformat()

    @property
    def key(self) -> str:
        """What makes the event the same event twice: the carrier's id, or its code and time."""
        return f"id:{self.id}" if self.id else f"{_code(self.code)}@{self.at_utc}"


@dataclass
class FeedResult:
    applied: int = 0
    ignored: list[tuple[int, str]] = field(default_factory=list)

    def ignore(self, event: PostEvent, reason: str) -> None:
        self.ignored.append((event.index, reason))


def _code(value: str) -> str:
    return value.strip().upper()


def event_map() -> dict[str, str]:
    """`settings.POST_FEED_EVENT_MAP` with its codes in upper case (config/settings.py refuses an
    outcome not in `OUTCOMES` at start-up)."""
    return {_code(str(code)): str(outcome).strip() for code, outcome in settings.POST_FEED_EVENT_MAP.items()}


def _normalized(item: str) -> str | None:
    try:
        return post_item_number_normalize(item)
    except ValidationError:
        return None


def _orders_by_number(numbers: Iterable[str]) -> dict[str, list[int]]:
    """Case ids of the documents portal's orders for each item number (one query)."""
    found: dict[str, list[int]] = {}
    rows = DocumentOrder.objects.filter(post_item_number__in=set(numbers), case__portal=PORTAL).values_list(
        "post_item_number", "case_id"
    )
    for number, case_id in rows:
        found.setdefault(number, []).append(case_id)
    return found


def _already_applied(case_ids: Sequence[int], key: str) -> bool:
    return CaseEvent.objects.filter(case_id__in=case_ids, payload__source=SOURCE, payload__post_event_key=key).exists()


def _payload(event: PostEvent, number: str) -> dict:
    payload = {
        "source": SOURCE,
        "item_number": number,
        "post_event": _code(event.code),
        "post_event_key": event.key,
        "post_event_at": event.at_utc,
    }
    if event.id:
        payload["post_event_id"] = event.id
    if event.office:
        payload["post_office"] = event.office
    return payload


def _apply_one(event: PostEvent, number: str, case_ids: list[int], outcome: str) -> str:
    """Apply one event to the order(s) of its number: "applied" or the reason it was not."""
    system = Actor.system()
    with transaction.atomic():
        # Lock the orders' cases first, so that the duplicate check and the move are one step even
        # when the carrier sends the same batch twice at once.
        cases = list(Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk"))
        if _already_applied(case_ids, event.key):
            return "applied"
        in_post = [case for case in cases if case.status in IN_POST]
        if not in_post:
            return "not_applicable"
        if len(in_post) > 1:
            return "ambiguous_item"
        case = in_post[0]
        action = OUTCOMES[outcome]
        if action is None:  # attempted delivery: on the timeline, no move
            payload = _payload(event, number)
            if event.office:
                payload["reason"] = event.office  # the timeline shows it: where to collect the letter
            case_log_event(case=case, action=ATTEMPT_ACTION, actor=system, role=SYSTEM, is_public=True, payload=payload)
            return "applied"
        if outcome == "in_transit" and case.status == "in_transit":
            return "no_change"
        try:
            case_transition(case=case, action=action, actor=system, payload=_payload(event, number))
        except (CaseActionRefused, ValidationError):  # a move the table refuses from this status
            return "not_applicable"
    return "applied"


def post_events_apply(*, events: Sequence[PostEvent]) -> FeedResult:
    """Apply a batch of the carrier's events (see the module docstring). Returns how many were
    applied (a repeated event counts again: the same batch always gets the same answer) and, for
    the others, their index and the reason."""
    mapping = event_map()
    result = FeedResult()
    numbers = {event.index: _normalized(event.item) for event in events}
    orders = _orders_by_number(number for number in numbers.values() if number)
    for event in sorted(events, key=lambda e: (e.at, e.index)):
        number = numbers[event.index]
        outcome = mapping.get(_code(event.code))
        if number is None:
            result.ignore(event, "invalid_item")
        elif outcome is None:
            result.ignore(event, "unknown_code")
        elif number not in orders:
            result.ignore(event, "unknown_item")
        else:
            verdict = _apply_one(event, number, orders[number], outcome)
            if verdict == "applied":
                result.applied += 1
            else:
                result.ignore(event, verdict)
    result.ignored.sort()
    return result
