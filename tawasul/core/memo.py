"""Look-ups remembered for a few seconds in each process (issue 7, ADR 0045).

Every filing reads the same few rows of slow-changing tables to check its input: the
administration named by its code, the subject and sub-subject named by theirs. Reading them
from the database at every request was a third of the validation's cost. A `ProcessMemo` keeps
each answer (absent ones too: an unknown code stays unknown) for `seconds`:

    ADMINISTRATIONS = ProcessMemo("FILING_LOOKUP_CACHE_SECONDS", models=(Administration,))
    administration = ADMINISTRATIONS.get(("joined", code, day), lambda: ...query...)

A change saved or deleted through the ORM in this process forgets everything at once (the
`post_save` / `post_delete` of `models`); other processes see it within `seconds`, as they see
a holiday override within `CALENDAR_OVERRIDES_CHECK_SECONDS`. `seconds` is read from the
setting named at every use, so 0 turns the memo off. Values are shared between requests and
threads: callers must not change them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save

__all__ = ["ProcessMemo"]

_MISSING = object()


class ProcessMemo:
    """Answers kept `settings.<setting>` seconds per process, at most `size` of them."""

    _all: list[ProcessMemo] = []

    @classmethod
    def clear_all(cls) -> None:
        """Forget every memo's answers (between tests, whose rows are rolled back unseen)."""
        for memo in cls._all:
            memo.clear()

    def __init__(self, setting: str, *, models: tuple = (), size: int = 4096) -> None:
        ProcessMemo._all.append(self)
        self.setting = setting
        self.size = size
        self._values: dict[Hashable, tuple[float, Any]] = {}
        for model in models:
            uid = f"process-memo-{setting}-{id(self)}-{model._meta.label}"
            post_save.connect(self._forget, sender=model, weak=False, dispatch_uid=f"{uid}-save")
            post_delete.connect(self._forget, sender=model, weak=False, dispatch_uid=f"{uid}-delete")

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        seconds = getattr(settings, self.setting)
        if seconds <= 0:
            return compute()
        now = time.monotonic()
        kept = self._values.get(key, _MISSING)
        if kept is not _MISSING and now - kept[0] < seconds:
            return kept[1]
        value = compute()
        if len(self._values) >= self.size:
            self._values.clear()  # a flood of distinct keys (made-up codes) is not kept
        self._values[key] = (now, value)
        return value

    def clear(self) -> None:
        self._values.clear()

    def _forget(self, **kwargs) -> None:
        self.clear()
