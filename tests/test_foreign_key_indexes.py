"""Every foreign key of the platform can be followed backwards through an index: its own, or a
composite index (or unique constraint) that starts with it (ADR 0051). Without one, finding a
case's events, or checking that a row may be deleted, reads the whole table."""

from django.apps import apps
from django.db import models


def _leading_fields(meta) -> set[str]:
    """The fields that a full (not partial) index or unique constraint of the model starts with."""
    leading = set()
    for index in meta.indexes:
        if index.fields and index.condition is None:
            leading.add(index.fields[0].lstrip("-"))
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is None:
            leading.add(constraint.fields[0])
    for together in meta.unique_together:
        leading.add(together[0])
    return leading


def test_every_foreign_key_is_indexed_by_itself_or_first_in_a_composite_index():
    missing = []
    for model in apps.get_models():
        meta = model._meta
        if not meta.app_label or not model.__module__.startswith("tawasul.") or not meta.managed or meta.proxy:
            continue
        leading = _leading_fields(meta)
        for field in meta.local_concrete_fields:
            if not isinstance(field, models.ForeignKey):
                continue
            if field.db_index or field.unique or field.primary_key or field.name in leading:
                continue
            missing.append(f"{meta.label}.{field.name}")
    assert missing == []
