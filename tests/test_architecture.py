"""The house shows its parts: no import cycles anywhere in quizapp/, no module over ~400 lines unless
docs/architecture.md says why it must be one file.

The import graph is read from the source (ast), with every import counted: module level, inside
functions (lazy imports) and under ``if TYPE_CHECKING:`` — a cycle of any of them is two modules that
cannot be read, tested or moved apart. ``importlib.import_module("…")`` with a literal name counts too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "quizapp"
MAX_LINES = 420  # "about 400": a screen a little over is fine, a module half again as long is two modules


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The quizapp modules ``name`` imports (a name from a package counts as the package, unless it
    is a module of it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    wanted: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            wanted += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            wanted += [base, *(f"{base}.{alias.name}" for alias in node.names)]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            wanted.append(node.args[0].value)
    found = set()
    for target in wanted:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle_through_a_lazy_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_lazy_and_type_checking_imports(tmp_path):
    known = {"quizapp.x", "quizapp.y", "quizapp.z", "quizapp.w"}
    source = tmp_path / "x.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from quizapp.y import Y\n"
        "def f():\n    from quizapp import z\n"
        "import importlib\nimportlib.import_module('quizapp.w')\n")
    assert imports_of("quizapp.x", source, known) == {"quizapp.y", "quizapp.z", "quizapp.w"}


def test_no_import_cycles_in_quizapp():
    found = cycles(import_graph())
    assert found == [], "import cycles: " + "; ".join(" ↔ ".join(c) for c in found)


def allowed_long_modules() -> set[str]:
    """Modules docs/architecture.md names under "Long files" with a reason (`path` — why)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Long files", 1)[1] if "## Long files" in text else ""
    section = section.split("\n## ", 1)[0]
    return set(re.findall(r"`(quizapp/[\w/]+\.py)` —", section))


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_over_about_400_lines_unless_the_architecture_doc_says_why(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    relative = path.relative_to(ROOT).as_posix()
    if lines > MAX_LINES:
        assert relative in allowed_long_modules(), (
            f"{relative} has {lines} lines (> {MAX_LINES}): split it by responsibility, or say in "
            "docs/architecture.md under '## Long files' why it must be one file")
