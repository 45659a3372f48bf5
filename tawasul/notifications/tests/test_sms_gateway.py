"""The default SMS gateway only logs: it must not keep every SMS in a worker's memory, nor write a
citizen's number and message to a production journal."""

from __future__ import annotations

import logging

import pytest

from tawasul.notifications.gateways import LoggingSmsGateway, mask_phone

NUMBER = "+212612345678"
BODY = "Tawasul CHK-2026-0004312-K: Répondue"


@pytest.fixture(autouse=True)
def _empty_outbox():
    LoggingSmsGateway.sent.clear()
    yield
    LoggingSmsGateway.sent.clear()


def test_the_number_is_masked_but_numbers_stay_distinguishable():
    assert mask_phone(NUMBER) == "+2126******78"
    assert mask_phone("+212698765432") != mask_phone(NUMBER)
    assert mask_phone("12345") == "*****"


def test_in_production_the_log_has_neither_the_number_nor_the_text(settings, caplog):
    settings.DEBUG = False
    with caplog.at_level(logging.INFO, logger="tawasul.notifications.gateways"):
        LoggingSmsGateway().send(NUMBER, BODY)
    logged = caplog.text
    assert "+2126******78" in logged
    assert NUMBER not in logged
    assert "612345678" not in logged
    assert "CHK-2026-0004312-K" not in logged


def test_in_production_the_text_is_only_at_the_debug_level_and_the_number_still_masked(settings, caplog):
    settings.DEBUG = False
    with caplog.at_level(logging.DEBUG, logger="tawasul.notifications.gateways"):
        LoggingSmsGateway().send(NUMBER, BODY)
    assert BODY in caplog.text
    assert NUMBER not in caplog.text


def test_on_a_laptop_the_text_is_shown_with_the_number_masked(settings, caplog):
    settings.DEBUG = True
    with caplog.at_level(logging.INFO, logger="tawasul.notifications.gateways"):
        LoggingSmsGateway().send(NUMBER, BODY)
    assert BODY in caplog.text
    assert NUMBER not in caplog.text


def test_the_kept_messages_are_bounded():
    gateway = LoggingSmsGateway()
    for n in range(LoggingSmsGateway.KEEP * 3):
        gateway.send(NUMBER, f"message {n}")
    assert len(LoggingSmsGateway.sent) == LoggingSmsGateway.KEEP
    assert LoggingSmsGateway.sent[-1] == (NUMBER, f"message {LoggingSmsGateway.KEEP * 3 - 1}")
    assert LoggingSmsGateway.sent[0] == (NUMBER, f"message {LoggingSmsGateway.KEEP * 2}")
