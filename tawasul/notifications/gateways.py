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


class LoggingSmsGateway(SmsGateway):
    """Writes the SMS to the log: the default, for laptops and tests. `sent` keeps them for tests."""

    sent: list[tuple[str, str]] = []

    def send(self, to: str, body: str) -> None:
        LoggingSmsGateway.sent.append((to, body))
        logger.info("SMS to %s: %s", to, body)


def get_sms_gateway() -> SmsGateway:
    return import_string(settings.SMS_GATEWAY)()
