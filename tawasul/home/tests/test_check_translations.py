"""`manage.py check_translations` (issue 2, item 3): stale or incomplete catalogues fail `make test`."""

import re
from pathlib import Path

import pytest
from babel.messages import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po
from django.conf import settings
from django.core.management import call_command

from tawasul.home.management.commands.check_translations import MAKEMESSAGES_IGNORE, Report, check_language


def write_catalog(path: Path, messages: dict[str, str], *, fuzzy: set[str] = frozenset(), mo: Path | None = None):
    catalog = Catalog(locale="fr")
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr, flags=["fuzzy"] if msgid in fuzzy else [])
    with path.open("wb") as handle:
        write_po(handle, catalog)
    if mo:
        with mo.open("wb") as handle:
            write_mo(handle, catalog)


def problems(tmp_path, current: dict, fresh: dict, *, language="fr", fuzzy=frozenset(), mo_messages=None) -> list[str]:
    current_po, fresh_po, mo = tmp_path / "current.po", tmp_path / "fresh.po", tmp_path / "django.mo"
    write_catalog(current_po, current, fuzzy=fuzzy)
    write_catalog(fresh_po, fresh)
    write_catalog(tmp_path / "compiled.po", mo_messages if mo_messages is not None else current, fuzzy=fuzzy, mo=mo)
    report = Report()
    check_language(language, current_po=current_po, fresh_po=fresh_po, mo=mo, report=report)
    return report.problems.get(language, [])


def test_a_complete_current_catalogue_passes(tmp_path):
    assert problems(tmp_path, {"Home": "Accueil"}, {"Home": ""}) == []


def test_a_msgid_in_the_code_but_not_in_the_po_is_stale(tmp_path):
    found = problems(tmp_path, {"Home": "Accueil"}, {"Home": "", "Map": ""})
    assert found == ["stale: 'Map' is in the code but not in the .po (run `make messages`)"]


def test_a_msgid_no_longer_in_the_code_is_stale(tmp_path):
    found = problems(tmp_path, {"Home": "Accueil", "Old": "Vieux"}, {"Home": ""})
    assert found == ["stale: 'Old' is in the .po but no longer in the code (run `make messages`)"]


def test_empty_and_fuzzy_translations_fail(tmp_path):
    found = problems(tmp_path, {"Home": "", "Map": "Carte"}, {"Home": "", "Map": ""}, fuzzy={"Map"})
    assert "untranslated: 'Home'" in found
    assert "fuzzy: 'Map'" in found


def test_english_msgstrs_may_stay_empty(tmp_path):
    assert problems(tmp_path, {"Home": ""}, {"Home": ""}, language="en") == []


def test_a_mo_compiled_from_an_older_po_fails(tmp_path):
    found = problems(tmp_path, {"Home": "Accueil"}, {"Home": ""}, mo_messages={"Home": "Maison"})
    assert len(found) == 1
    assert found[0].startswith("the .mo is out of step with the .po (1 message(s): 'Home')")


def test_mismatched_placeholders_fail(tmp_path):
    found = problems(tmp_path, {"no region %(code)s": "pas de région %(nom)s"}, {"no region %(code)s": ""})
    assert any(problem.startswith("placeholders: 'no region %(code)s'") for problem in found)


def test_make_messages_ignores_what_the_check_ignores():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    line = next(line for line in makefile.splitlines() if "makemessages" in line)
    assert sorted(re.findall(r"-i '([^']+)'", line)) == sorted(MAKEMESSAGES_IGNORE)
    assert "--no-obsolete" in line


def locale_snapshot() -> dict[str, bytes]:
    locale = Path(settings.LOCALE_PATHS[0])
    return {str(path.relative_to(locale)): path.read_bytes() for path in sorted(locale.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_the_real_catalogues_are_current_and_complete_and_left_untouched():
    """Fails when someone adds a string without running `make messages` and translating it."""
    before = locale_snapshot()
    call_command("check_translations")
    assert locale_snapshot() == before
