"""Loading the portal's reference content: the national subject taxonomy and the FAQ.

Both live as JSON in `data/` (chikaya.ma's الموضوع الرئيسي / الموضوع الفرعي, DOMAIN.md §2.2) and are
loaded by a data migration (so a fresh install can file complaints at once) and again by the
demo loader. Loading is idempotent: rows are matched by subject code, FAQ entries by position.
The functions take the model classes so that the migration can pass its historical models.
"""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_subjects(subject_model=None) -> int:
    """Create or update the national subjects (no administration); return how many rows."""
    if subject_model is None:
        from .models import Subject as subject_model
    count = 0
    for position, main in enumerate(_read("subjects.json")):
        parent = _upsert(subject_model, main, parent=None, position=position)
        count += 1
        for child_position, child in enumerate(main.get("children", [])):
            _upsert(subject_model, child, parent=parent, position=child_position)
            count += 1
    return count


def _upsert(subject_model, item: dict, *, parent, position: int):
    obj, _created = subject_model.objects.update_or_create(
        administration=None,
        code=item["code"],
        defaults={
            "name_ar": item["ar"],
            "name_fr": item.get("fr", ""),
            "name_en": item.get("en", ""),
            "name_zgh": item.get("zgh", ""),
            "parent": parent,
            "position": position,
            "is_active": True,
        },
    )
    return obj


def load_faq(faq_model=None) -> int:
    """Create or update the FAQ entries, matched by position; return how many."""
    if faq_model is None:
        from .models import FaqEntry as faq_model
    entries = _read("faq.json")
    for position, entry in enumerate(entries):
        fields = {}
        for lang in ("ar", "fr", "zgh", "en"):
            fields[f"question_{lang}"] = entry["q"].get(lang, "")
            fields[f"answer_{lang}"] = entry["a"].get(lang, "")
        faq_model.objects.update_or_create(position=position, defaults=fields)
    return len(entries)
