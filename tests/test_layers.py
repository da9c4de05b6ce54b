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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _first_party(module: str, names: tuple[str, ...]) -> list[str]:
    """The first-party modules an import loads (`from bot import volume` loads bot.volume)."""
    if not any(_is_under(module, package) for package in PACKAGES):
        return []
    known = {_module_name(p) for p in _modules()}
    return [module] + [f"{module}.{n}" for n in names if f"{module}.{n}" in known]


def _reached(start: str) -> set[str]:
    """Every first-party module that importing `start` loads, directly or not."""
    paths = {_module_name(p): p for p in _modules()}
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module in seen or module not in paths:
            continue
        seen.add(module)
        for imported, names in _imports(paths[module]):
            todo += _first_party(imported, names)
    return seen - {start}


@pytest.mark.parametrize(
    "path",
    [p for p in _modules() if _inside(p, "bot/render", "summarizers") or p.name == "model.py"],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_model_render_and_summarizers_load_neither_store_nor_sources(path):
    """Not even through another module: they run in the process pool and in pure tests."""
    wrong = sorted(
        m
        for m in _reached(_module_name(path))
        if any(_is_under(m, p) for p in ("bot.store", "bot.sources", "bot.services"))
    )
    assert wrong == [], f"{path.name} loads {wrong}"
