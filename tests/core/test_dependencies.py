"""Every third-party library Retning imports is declared in pyproject.toml: an undeclared
one works on a developer's machine by accident and is missing in a clean deployment."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "src" / "retning"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return {
        canonical(re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0])
        for requirement in project["dependencies"]
    }


def imported_top_level_modules() -> dict[str, list[str]]:
    """Top-level module → files importing it (absolute imports only)."""
    found: dict[str, list[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], []).append(str(path.relative_to(REPO)))
    return found


def test_every_imported_third_party_module_is_declared():
    distributions = packages_distributions()
    wanted = declared()
    undeclared = {}
    for module, files in imported_top_level_modules().items():
        if module in sys.stdlib_module_names or module in {"retning", "__future__"}:
            continue
        owners = {canonical(d) for d in distributions.get(module, [])}
        assert owners, f"{module} (imported in {files[0]}) belongs to no installed package"
        if not owners & wanted:
            undeclared[module] = (sorted(owners), files[:3])
    assert undeclared == {}


def test_the_walk_sees_the_libraries_retning_is_built_on():
    modules = imported_top_level_modules()
    assert {"django", "sklearn", "scipy", "numpy", "odfdo", "httpx"} <= set(modules)
