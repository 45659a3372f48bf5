"""The import ladder of ARCHITECTURE.md §2, kept by a test.

An app may import only apps on a lower rung. `core` imports no other app; `cases` knows no
portal; `catalog` and `facilities` stand without `cases`; no service imports `api`.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "tawasul"

RUNGS = {
    "core": 0,
    "registry": 1,
    "accounts": 2,
    "notifications": 2,
    "cases": 3,
    "facilities": 3,  # below catalog: procedure pages link their deposit places
    "catalog": 4,
    "complaints": 4,
    "information": 4,
    "documents": 4,
    "jobs": 4,
    "reception": 4,
    "contact": 5,
    "backoffice": 5,  # the staff side of every case portal: it shows what the portals register
    "insights": 5,
    "api": 6,
    "home": 7,
}
# Pairs that the rungs would allow but the architecture forbids.
FORBIDDEN = {("catalog", "cases"), ("facilities", "cases")}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".")[1] for name in names if name.startswith("tawasul.") and name.count(".") >= 1}


def app_modules():
    for app_dir in sorted(p for p in ROOT.iterdir() if (p / "apps.py").exists()):
        for path in sorted(app_dir.rglob("*.py")):
            if "migrations" not in path.parts:
                yield app_dir.name, path


def test_every_app_has_a_rung():
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    assert apps <= set(RUNGS), f"give these apps a rung in RUNGS: {sorted(apps - set(RUNGS))}"


@pytest.mark.parametrize(("app", "path"), list(app_modules()), ids=lambda v: str(v).split("tawasul/")[-1])
def test_imports_flow_downwards(app, path):
    wrong = sorted(
        other
        for other in imported_apps(path) - {app}
        if other in RUNGS and (RUNGS[other] >= RUNGS[app] or (app, other) in FORBIDDEN)
    )
    assert not wrong, f"{path.relative_to(ROOT.parent)} imports {wrong}, which are not below {app}"
