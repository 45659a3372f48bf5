"""SMS gateways. The platform picks one by dotted path in the `SMS_GATEWAY` setting.

A gateway is a class with `send(to: str, body: str) -> None` that raises on failure (the
outbox then retries). Operators plug in their provider's class without touching the outbox.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsGateway:
    def send(self, to: str, body: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


def mask_phone(number: str) -> str:
    """'+212612345678' → '+2126******78': enough to tell numbers apart in a log, not to call one."""
    number = number.strip()
    if len(number) <= 6:
        return "*" * len(number)
    return number[:5] + "*" * (len(number) - 7) + number[-2:]


class LoggingSmsGateway(SmsGateway):
    """Writes the SMS to the log: the default, for laptops and tests, sends nothing.

    The log shows the number masked and the text's length; the text itself only with DEBUG on (a
    laptop trial) or at the DEBUG log level: a production left on this gateway by mistake writes no
    citizen's number or message to its journal. `sent` keeps the last `KEEP` messages for tests,
    bounded so that a long-running worker does not grow with every SMS."""

    KEEP = 100
    sent: list[tuple[str, str]] = []

    def send(self, to: str, body: str) -> None:
        sent = LoggingSmsGateway.sent
        sent.append((to, body))
        del sent[: -self.KEEP]
        if settings.DEBUG:
            logger.info("SMS to %s: %s", mask_phone(to), body)
            return
        logger.info("SMS to %s (%d characters, not sent: LoggingSmsGateway)", mask_phone(to), len(body))
        logger.debug("SMS to %s: %s", mask_phone(to), body)


def get_sms_gateway() -> SmsGateway:
    return import_string(settings.SMS_GATEWAY)()
