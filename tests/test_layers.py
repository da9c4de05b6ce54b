"""The layering rules, checked on the source: Redis stays behind `Store`, and what renders or
summarizes depends on the model only (so it runs anywhere: in the process pool, in a test)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("bot", "handlers", "summarizers")


def _modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def _imports(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names) of every import in `path`, function-level ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, tuple(a.name for a in node.names)))
        elif isinstance(node, ast.Import):
            found += [(a.name, ()) for a in node.names]
    return found


def _inside(path: Path, *folders: str) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return any(relative.startswith(f"{folder}/") for folder in folders)


def _is_under(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_only_store_is_imported_from_the_store(path):
    if _inside(path, "bot/store"):
        return
    wrong = [
        (module, names)
        for module, names in _imports(path)
        if _is_under(module, "bot.store") and (module != "bot.store" or set(names) - {"Store"})
    ]
    assert wrong == [], f"{path.name} reaches into the store: {wrong}"


@pytest.mark.parametrize(
    "path",
    [p for p in _modules() if _inside(p, "bot/render", "summarizers")],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_render_and_summarizers_know_neither_store_nor_sources(path):
    wrong = [m for m, _ in _imports(path) if _is_under(m, "bot.store") or _is_under(m, "bot.sources")]
    assert wrong == [], f"{path.name} imports {wrong}"
