"""Signals sent by core, so that later apps react without core importing them."""

from django.dispatch import Signal

#: Sent after a holiday override is saved or deleted and committed, once every process's
#: calendar has been told to refresh. Argument `dates`: the set of `datetime.date` whose status
#: may have changed. The case core listens to recompute the open deadlines around those dates.
holidays_changed = Signal()
