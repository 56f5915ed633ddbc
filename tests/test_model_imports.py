"""The model's modules form an acyclic import graph, and imports inside functions are few.

The serialisers (persistence, render, mermaid, markdown, open, migrations, idempotent) depend
on the model, not the other way round: the Journey reaches them only through
``cjm_widgets/model/_seam.py``. This test parses the imports of every module in
``cjm_widgets/model`` with :mod:`ast` (``if TYPE_CHECKING:`` blocks are types only and do not
count), checks the module-level graph has no cycle, and lists every import made inside a
function: each must be in ``ALLOWED_LAZY`` below with its reason.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import cjm_widgets.model

MODEL = Path(cjm_widgets.model.__file__).parent
PACKAGE = "cjm_widgets.model"

#: (module, imported module) -> how many times, and why it is imported inside a function.
ALLOWED_LAZY: dict[tuple[str, str], tuple[int, str]] = {
    # the seam: the Journey's file/view methods reach the serialisers above it
    ("_seam", "cjm_widgets.model.persistence"): (4, "seam: to_json/save/load/from_dict"),
    ("_seam", "cjm_widgets.model.open"): (1, "seam: Journey.open"),
    ("_seam", "cjm_widgets.model.render"): (2, "seam: _repr_html_/to_frame"),
    ("_seam", "cjm_widgets.model.markdown"): (1, "seam: to_markdown"),
    ("_seam", "cjm_widgets.model.mermaid"): (2, "seam: to_mermaid/from_mermaid"),
    # third-party libraries kept off `import cjm_widgets` (import time)
    ("persistence", "jsonschema.exceptions"): (1, "jsonschema loads only to validate a file"),
    ("persistence", "jsonschema"): (1, "jsonschema loads only to validate a file"),
    ("_jinja", "jinja2"): (1, "Jinja2 loads only to render the static map"),
    ("render", "pandas"): (1, "pandas only for Journey.to_frame"),
    ("render", "numpy"): (1, "numpy (with pandas) only for Journey.to_frame"),
}


def _module_name(path: Path) -> str:
    return PACKAGE if path.stem == "__init__" else f"{PACKAGE}.{path.stem}"


def _resolve(node: ast.ImportFrom | ast.Import) -> list[str]:
    """The modules an import statement loads (``from pkg import sub`` → ``pkg.sub``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    out = []
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        is_sub = base == PACKAGE and (MODEL / f"{alias.name}.py").exists()
        out.append(candidate if is_sub else base)
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> tuple[set[str], list[str]]:
    """(module-level imports, imports inside functions) of one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top: set[str] = set()
    lazy: list[str] = []

    def walk(nodes: list[ast.stmt], in_function: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                walk(node.orelse, in_function)
                continue
            if isinstance(node, ast.Import | ast.ImportFrom):
                (lazy.extend if in_function else top.update)(_resolve(node))
                continue
            inner = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            for field in ("body", "orelse", "finalbody", "handlers"):
                block = getattr(node, field, None)
                if isinstance(block, list):
                    stmts = [h for h in block if isinstance(h, ast.stmt | ast.ExceptHandler)]
                    walk(
                        [s for s in stmts if isinstance(s, ast.stmt)]
                        + [b for h in stmts if isinstance(h, ast.ExceptHandler) for b in h.body],
                        in_function or inner,
                    )

    walk(tree.body, False)
    return top, lazy


def _graph() -> tuple[dict[str, set[str]], Counter[tuple[str, str]]]:
    graph: dict[str, set[str]] = {}
    lazy: Counter[tuple[str, str]] = Counter()
    for path in sorted(MODEL.glob("*.py")):
        name = _module_name(path)
        top, inner = _imports(path)
        graph[name] = {m for m in top if m.startswith(PACKAGE + ".") and m != name}
        lazy.update((path.stem, m) for m in inner)
    return graph, lazy


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_model_import_graph_is_acyclic() -> None:
    graph, _ = _graph()
    assert f"{PACKAGE}.journey" in graph and f"{PACKAGE}.persistence" in graph
    assert _cycle(graph) is None, f"import cycle: {' -> '.join(_cycle(graph) or [])}"


def test_serialisers_depend_on_the_model_not_the_other_way_round() -> None:
    graph, _ = _graph()

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    serialisers = {f"{PACKAGE}.{m}" for m in ("persistence", "render", "mermaid", "markdown")}
    serialisers.add(f"{PACKAGE}.open")
    assert not reach(f"{PACKAGE}.journey") & serialisers
    for module in ("persistence", "mermaid"):
        assert f"{PACKAGE}.journey" in reach(f"{PACKAGE}.{module}")


def test_function_level_imports_are_few_and_each_justified() -> None:
    _, lazy = _graph()
    unexplained = {k: n for k, n in lazy.items() if k not in ALLOWED_LAZY}
    assert not unexplained, (
        f"imports inside functions in cjm_widgets/model without a reason: {unexplained}; "
        "import at module level (the graph must stay acyclic) or add it to ALLOWED_LAZY"
    )
    more = {k: n for k, n in lazy.items() if n > ALLOWED_LAZY[k][0]}
    assert not more, f"more function-level imports than allowed: {more}"
    assert sum(lazy.values()) <= sum(n for n, _ in ALLOWED_LAZY.values())


def test_the_walker_sees_a_cycle_and_a_lazy_import(tmp_path: Path) -> None:
    """The checks above can fail: a made-up two-module cycle and a lazy import are found."""
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    src = tmp_path / "m.py"
    src.write_text(
        "from typing import TYPE_CHECKING\nimport json\nif TYPE_CHECKING:\n    import os\n"
        "def f():\n    try:\n        import csv\n    except ImportError:\n        import re\n",
        encoding="utf-8",
    )
    top, lazy = _imports(src)
    assert top == {"typing", "json"} and lazy == ["csv", "re"]


@pytest.mark.parametrize("first", ["persistence", "mermaid", "render", "open", "migrations"])
def test_a_serialiser_imports_first_in_a_fresh_interpreter(first: str) -> None:
    code = (
        f"import cjm_widgets.model.{first}\n"
        "import cjm_widgets as cjm\n"
        "j = cjm.Journey.from_mermaid('journey\\n  section A\\n    Task: 4')\n"
        "assert cjm.Journey.from_dict(j.to_dict()) == j and '<' in j._repr_html_()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
