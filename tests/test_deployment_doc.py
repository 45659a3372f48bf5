"""The deployment guide (docs/operations/deployment.md) cannot drift from the code: every
environment variable config/settings.py reads is in its reference with the code's default,
no variable it lists is gone, and the commands and periodic jobs it names exist. `.env.example`
cannot drift from the reference: it lists each of its variables once, with its default."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.core.management import get_commands

from config.jobs import JOBS

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ROOT / "config" / "settings.py"
GUIDE = ROOT / "docs" / "operations" / "deployment.md"
README = ROOT / "README.md"
ENV_EXAMPLE = ROOT / ".env.example"

#: Read by settings for the test commands only; the guide lists them apart.
DEVELOPMENT_ONLY = {"TAWASUL_TESTING", "TEST_DB_NAME"}

# env.str("NAME", ...), env.int("NAME"), env.list(...), env.email_url(...), env("NAME") ...
ENV_CALL = re.compile(r"""\benv(?:\.(?P<kind>[a-z_]+))?\(\s*(?P<arg>f?["'][^"']*["']|[^,)\s]+)""")
# env_secret("NAME") reads NAME and NAME_FILE (config/settings.py: env_secret).
ENV_SECRET = re.compile(r"""\benv_secret\(\s*["'](?P<name>[A-Z0-9_]+)["']""")
OS_ENVIRON = re.compile(r"""os\.(?:environ\.get\(|environ\[|getenv\()\s*["'](?P<name>[A-Z0-9_]+)["']""")
# env methods that parse a value rather than read a variable, and the .env reader.
NOT_READS = {"db_url_config", "cache_url_config", "email_url_config", "read_env"}
ROW = re.compile(r"^\|\s*`(?P<name>[A-Z][A-Z0-9_]*)`\s*\|(?P<default>[^|]*)\|", re.MULTILINE)
# `NAME=value` (set) or `# NAME=value` (commented out: the default is fine) in .env.example.
ENV_LINE = re.compile(r"^(?P<commented># )?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$", re.MULTILINE)


def _settings_source_outside_env_secret() -> str:
    """settings.py without the body of env_secret(), whose reads take the name as a parameter."""
    source = SETTINGS.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "env_secret":
            del lines[node.lineno - 1 : node.end_lineno]
            break
    return "".join(lines)


def variables_read_by_settings() -> set[str]:
    source = _settings_source_outside_env_secret()
    names = set()
    for match in ENV_CALL.finditer(source):
        if match["kind"] in NOT_READS:
            continue
        literal = re.fullmatch(r"""["']([A-Z0-9_]+)["']""", match["arg"])
        assert literal, f"settings read an environment variable whose name is not a literal: {match[0]!r}"
        names.add(literal[1])
    for match in ENV_SECRET.finditer(source):
        names |= {match["name"], f"{match['name']}_FILE"}
    names |= {match["name"] for match in OS_ENVIRON.finditer(source)}
    return names


def _reference() -> str:
    """The guide's "Environment variable reference" section, up to the next level-2 heading."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("\n## Environment variable reference")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def documented_defaults() -> dict[str, str]:
    rows: dict[str, str] = {}
    for match in ROW.finditer(_reference()):
        assert match["name"] not in rows, f"{match['name']} is listed twice in the reference"
        rows[match["name"]] = match["default"].strip()
    return rows


def _value(node: ast.expr):
    """The value of a literal default (numbers, strings, lists, simple arithmetic), else None."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        items = [_value(item) for item in node.elts]
        return None if None in items else items
    if isinstance(node, ast.BinOp):
        left, right = _value(node.left), _value(node.right)
        if not (isinstance(left, int | float) and isinstance(right, int | float)):
            return None
        operations = {ast.Mult: lambda: left * right, ast.Add: lambda: left + right, ast.Pow: lambda: left**right}
        operation = operations.get(type(node.op))
        return operation() if operation else None
    return None


def _rendered(value) -> str:
    """How the guide writes a default: 1/0 for booleans, comma-separated lists."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def literal_defaults() -> dict[str, set[str]]:
    """NAME → the defaults written as literals in settings (a name may be read more than once)."""
    defaults: dict[str, set[str]] = {}
    tree = ast.parse(_settings_source_outside_env_secret())
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
            continue
        function = node.func
        is_env = isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name)
        is_env = is_env and function.value.id == "env" and function.attr not in NOT_READS
        if not (is_env or (isinstance(function, ast.Name) and function.id == "env_secret")):
            continue
        default = next((keyword.value for keyword in node.keywords if keyword.arg == "default"), None)
        value = _value(default) if default is not None else None
        if value is not None:
            defaults.setdefault(node.args[0].value, set()).add(_rendered(value))
    return defaults


def test_every_variable_settings_read_is_in_the_guides_reference():
    missing = variables_read_by_settings() - documented_defaults().keys()
    assert not missing, f"add to docs/operations/deployment.md's reference: {sorted(missing)}"


def test_the_reference_lists_no_variable_settings_no_longer_read():
    stale = documented_defaults().keys() - variables_read_by_settings()
    assert not stale, f"remove from docs/operations/deployment.md's reference: {sorted(stale)}"


def test_the_reference_shows_the_default_written_in_settings():
    documented = documented_defaults()
    wrong = {}
    for name, values in literal_defaults().items():
        for value in values:
            expected = "empty" if value == "" else f"`{value}`"
            if expected not in documented.get(name, expected):
                wrong[name] = (value, documented[name])
    assert not wrong, f"defaults differ from config/settings.py (code, guide): {wrong}"


def test_only_test_variables_are_in_the_development_section():
    section = _reference().split("### Development and tests only", 1)[1]
    assert {match["name"] for match in ROW.finditer(section)} == DEVELOPMENT_ONLY


def test_the_guide_names_only_management_commands_that_exist():
    named = set(re.findall(r"manage\.py ([a-z_]+)", GUIDE.read_text(encoding="utf-8")))
    assert named, "the guide names no management command"
    assert not named - set(get_commands())


def test_the_guide_names_every_periodic_job():
    text = GUIDE.read_text(encoding="utf-8")
    assert not [job.name for job in JOBS if f"`{job.name}`" not in text]


def test_the_readme_links_the_guide():
    assert "docs/operations/deployment.md" in README.read_text(encoding="utf-8")


# --- .env.example -------------------------------------------------------------------------------


def env_example_lines() -> dict[str, tuple[bool, str]]:
    """NAME → (set, i.e. not commented out; the value written)."""
    lines: dict[str, tuple[bool, str]] = {}
    for match in ENV_LINE.finditer(ENV_EXAMPLE.read_text(encoding="utf-8")):
        assert match["name"] not in lines, f"{match['name']} is listed twice in .env.example"
        lines[match["name"]] = (not match["commented"], match["value"])
    return lines


def _literal_default(documented: str) -> str | None:
    """The guide's default as a value ("`20/h`" → "20/h", "empty…" → ""), or None when the default
    depends on other settings ("on unless `DEBUG`")."""
    literal = re.fullmatch(r"`([^`]*)`", documented)
    if literal:
        return literal[1]
    if documented == "empty" or documented.startswith("empty:"):
        return ""
    return None


def test_env_example_lists_every_variable_of_the_reference_and_no_other():
    listed, documented = env_example_lines().keys(), documented_defaults().keys()
    assert not documented - listed, f"add to .env.example: {sorted(documented - listed)}"
    assert not listed - documented, f"remove from .env.example (or document): {sorted(listed - documented)}"


def test_env_example_writes_each_default_so_copying_it_changes_nothing():
    documented = documented_defaults()
    wrong = {}
    for name, (is_set, value) in env_example_lines().items():
        default = _literal_default(documented[name])
        if default is None:
            # A default that follows other settings (DEBUG follows TAWASUL_DEMO): setting any value
            # would pin it, so the line stays commented out.
            if is_set:
                wrong[name] = f"comment it out: its default is {documented[name]!r}"
        elif value != default:
            wrong[name] = f"{value!r} is not the default {default!r}"
    assert not wrong, f".env.example: {wrong}"
