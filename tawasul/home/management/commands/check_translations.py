"""`manage.py check_translations`: fail when a catalogue is stale or a message lacks a translation.

Run by `make check-messages` before the tests (issue 2, item 3: "a check in `make test` fails
when a `.po` file is stale or a message lacks a translation"). It never modifies the tree: it
copies the project's sources into a temporary directory and runs `makemessages` there, with the
same options as `make messages`, then compares.

For each language of settings.LANGUAGES it reports:
- a catalogue that is stale: a msgid in the code missing from the .po, or a msgid in the .po
  that the code no longer uses (an obsolete `#~` entry counts too);
- for every language but the source one (msgids are English, ADR 0004), a message with an empty
  or fuzzy translation;
- a .mo out of step with its .po: the messages the .po compiles to (translated, not fuzzy)
  differ from those in the .mo. Compared by content, not by timestamps, which git checkouts reset;
- a translation whose Python placeholders (`%(name)s`) differ from the msgid's.
"""

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages import Catalog, checkers
from babel.messages.catalog import TranslationError
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Msgids are written in English (common brief, ADR 0004): its msgstrs may stay empty.
SOURCE_LANGUAGE = "en"
DOMAIN = "django"
# Must match the `-i` options of `make messages` (a test keeps the Makefile in step).
MAKEMESSAGES_IGNORE = (".venv/*", "var/*", "static/vendor/*", "bench/*", "node_modules/*", "test-artifacts/*")
# Top-level entries not copied into the scratch tree: ignored by makemessages anyway, or large.
COPY_SKIP = {".git", ".venv", "var", "node_modules", "test-artifacts", "bench", ".hypothesis", ".ruff_cache"}
COPY_SKIP_ANYWHERE = ("__pycache__", "*.pyc", "*.mo", "vendor", ".pytest_cache")


def makemessages_arguments(languages: list[str]) -> list[str]:
    args = ["makemessages", *(f"-l{code}" for code in languages), "--no-obsolete", "--no-location"]
    for pattern in MAKEMESSAGES_IGNORE:
        args += ["-i", pattern]
    return args


def message_key(message) -> tuple:
    context = message.context.decode() if isinstance(message.context, bytes) else message.context
    msgid = message.id if isinstance(message.id, str) else tuple(message.id)
    return (context, msgid)


def describe(key: tuple) -> str:
    context, msgid = key
    text = msgid if isinstance(msgid, str) else msgid[0]
    text = text if len(text) <= 90 else text[:87] + "..."
    return f"{text!r}" + (f" (context {context!r})" if context else "")


def strings_of(message) -> tuple[str, ...]:
    return (message.string,) if isinstance(message.string, str) else tuple(message.string)


def compiled_messages(catalog: Catalog) -> dict[tuple, tuple[str, ...]]:
    """What compiling this .po yields: translated, non-fuzzy messages (as `msgfmt` does)."""
    return {message_key(m): strings_of(m) for m in catalog if m.id and not m.fuzzy and all(strings_of(m))}


@dataclass
class Report:
    problems: dict[str, list[str]] = field(default_factory=dict)

    def add(self, language: str, problem: str) -> None:
        self.problems.setdefault(language, []).append(problem)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def render(self) -> str:
        lines = []
        for language, problems in self.problems.items():
            lines.append(f"locale/{language}: {len(problems)} problem(s)")
            lines.extend(f"  - {problem}" for problem in problems)
        return "\n".join(lines)


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=None, domain=DOMAIN)


def check_language(language: str, current_po: Path, fresh_po: Path, mo: Path, report: Report) -> None:
    if not current_po.exists():
        report.add(language, f"{current_po} is missing: run `make messages`")
        return
    current = read_catalog(current_po)
    fresh = read_catalog(fresh_po)
    current_keys = {message_key(m) for m in current if m.id}
    fresh_keys = {message_key(m) for m in fresh if m.id}

    for key in sorted(fresh_keys - current_keys, key=str):
        report.add(language, f"stale: {describe(key)} is in the code but not in the .po (run `make messages`)")
    for key in sorted(current_keys - fresh_keys, key=str):
        report.add(language, f"stale: {describe(key)} is in the .po but no longer in the code (run `make messages`)")
    for key in sorted((message_key(m) for m in current.obsolete.values()), key=str):
        report.add(language, f"stale: obsolete entry {describe(key)} is still in the .po (run `make messages`)")

    if language != SOURCE_LANGUAGE:
        for message in current:
            if not message.id:
                continue
            if message.fuzzy:
                report.add(language, f"fuzzy: {describe(message_key(message))}")
            elif not all(strings_of(message)):
                report.add(language, f"untranslated: {describe(message_key(message))}")

    for message in current:
        if not message.id or not any(strings_of(message)):
            continue
        try:
            checkers.python_format(current, message)
        except TranslationError as error:
            report.add(language, f"placeholders: {describe(message_key(message))}: {error}")

    if not mo.exists():
        report.add(language, f"{mo} is missing: run `make messages`")
        return
    with mo.open("rb") as handle:
        compiled = compiled_messages(read_mo(handle))
    expected = compiled_messages(current)
    if compiled != expected:
        differing = {key for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key)}
        sample = ", ".join(describe(key) for key in sorted(differing, key=str)[:5])
        count = len(differing)
        report.add(language, f"the .mo is out of step with the .po ({count} message(s): {sample}); run `make messages`")


class Command(BaseCommand):
    help = "Fail when a translation catalogue is stale, a message lacks a translation, or a .mo is out of date."

    requires_system_checks = []

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        locale_dir = Path(settings.LOCALE_PATHS[0])
        languages = [code for code, _name in settings.LANGUAGES]
        with tempfile.TemporaryDirectory(prefix="tawasul-messages-") as scratch:
            copy = Path(scratch) / "tree"
            self.copy_sources(base, copy)
            self.run_makemessages(copy, languages)
            report = Report()
            fresh_locale = copy / locale_dir.relative_to(base)
            for language in languages:
                lc = Path(language) / "LC_MESSAGES"
                check_language(
                    language,
                    current_po=locale_dir / lc / f"{DOMAIN}.po",
                    fresh_po=fresh_locale / lc / f"{DOMAIN}.po",
                    mo=locale_dir / lc / f"{DOMAIN}.mo",
                    report=report,
                )
        if report:
            raise CommandError("Translation catalogues need work:\n" + report.render())
        self.stdout.write(f"Translations OK: {', '.join(languages)} catalogues are current and complete.")

    @staticmethod
    def copy_sources(base: Path, copy: Path) -> None:
        skip_anywhere = shutil.ignore_patterns(*COPY_SKIP_ANYWHERE)

        def ignore(directory: str, names: list[str]) -> set[str]:
            skipped = set(skip_anywhere(directory, names))
            if Path(directory) == base:
                skipped |= COPY_SKIP & set(names)
            return skipped

        shutil.copytree(base, copy, ignore=ignore, symlinks=True)

    @staticmethod
    def run_makemessages(copy: Path, languages: list[str]) -> None:
        result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", *makemessages_arguments(languages), "-v", "0"],
            cwd=copy,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"makemessages failed in the scratch copy:\n{result.stdout}{result.stderr}")
