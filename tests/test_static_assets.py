"""The shipped front-end files: offline-only, type-checked JS, scoped CSS, no HTML injection.

The JS checks that need Node.js (the committed bundles match their sources, `tsc --checkJs`,
the `node --test` unit tests in tests/js) skip on a laptop without node or without
`npm ci`; under CI=true they fail instead (.ci/run installs both).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from needs import unavailable

import cjm_widgets
from cjm_widgets.widgets._base import DIST_DIR, STATIC_DIR, bundle_css, bundle_esm
from cjm_widgets.widgets.vega_runtime import runtime_bundle

PACKAGE = Path(cjm_widgets.__file__).resolve().parent
REPO = PACKAGE.parent
SRC_DIR = STATIC_DIR / "src"
JS_FILES = sorted(PACKAGE.rglob("*.js")) + sorted(PACKAGE.rglob("*.mjs"))
SRC_JS = sorted(SRC_DIR.rglob("*.js"))
CSS_FILES = sorted(PACKAGE.rglob("*.css"))
WIDGET_JS = sorted(DIST_DIR.glob("*.js"))
#: The entry module of each widget: src/<name>/index.js or src/<name>.js.
WIDGET_SRC = sorted(
    [p for p in SRC_DIR.glob("*.js") if not p.name.startswith("_")]
    + [p for p in SRC_DIR.glob("*/index.js") if not p.parent.name.startswith("_")]
)

# The only URL-shaped string allowed: the SVG namespace (an identifier, never fetched).
SVG_NAMESPACE = '"http://www.w3.org/2000/svg"'
_URL = re.compile(r"""(?i)(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}""")


def _strip_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)


def _strip_js_line_comments(text: str) -> str:
    return re.sub(r"(?m)^\s*//.*$", "", text)


def _rel(path: Path) -> str:
    """A short test id: relative to static/ for the widgets' files, else to the package."""
    base = STATIC_DIR if path.is_relative_to(STATIC_DIR) else PACKAGE
    return path.relative_to(base).as_posix()


def test_there_are_assets_to_check():
    assert WIDGET_JS, "no widget bundles found"
    assert (DIST_DIR / "journey_editor.js") in WIDGET_JS
    assert {p.stem for p in WIDGET_JS} == {
        p.parent.name if p.name == "index.js" else p.stem for p in WIDGET_SRC
    }, "one committed bundle per widget source"
    assert CSS_FILES


def _node() -> str:
    """The node executable; skip without it (fail under CI)."""
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed: the front-end checks need Node.js (apt nodejs npm)")
    return str(node)


def _node_tools() -> str:
    """node, with the pinned build tools installed by `npm ci` at the repository root."""
    node = _node()
    if not (REPO / "package.json").is_file():
        unavailable("not a source checkout: no package.json")
    if not (REPO / "node_modules" / "esbuild").is_dir():
        unavailable("the front-end tools are not installed: run `npm ci` at the repository root")
    return node


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=REPO, text=True, capture_output=True, timeout=300)


def test_committed_bundles_match_their_sources():
    proc = _run([_node_tools(), "scripts/build_js.mjs", "--check"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_js_passes_the_type_checker():
    node = _node_tools()
    proc = _run([node, "node_modules/typescript/bin/tsc", "-p", "jsconfig.json"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_js_unit_tests_pass():
    tests = sorted((REPO / "tests" / "js").glob("*.test.mjs"))
    assert tests, "no JS unit tests in tests/js"
    proc = _run([_node(), "--test", "--test-reporter=tap", *(str(t) for t in tests)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"(?m)^# pass [1-9]", proc.stdout), proc.stdout
    assert re.search(r"(?m)^# fail 0$", proc.stdout), proc.stdout


def _function_lengths(text: str) -> list[tuple[int, int]]:
    """(first line, lines) of every function whose body is a brace block, nested ones too.

    A small scanner over the source with strings, template literals, regexes and comments
    blanked, enough for this code base's style (function declarations, arrows, methods).
    """
    code = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    code = re.sub(r"//[^\n]*", "", code)
    code = re.sub(r"`(?:\\.|[^`\\])*`", lambda m: re.sub(r"[^\n]", " ", m.group(0)), code)
    code = re.sub(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', '""', code)
    opener = re.compile(r"(?:\bfunction\b[^{;]*?\)|=>|\)\s*)\s*\{$")
    out: list[tuple[int, int]] = []
    stack: list[tuple[bool, int]] = []
    for pos, ch in enumerate(code):
        if ch == "{":
            head = code[max(0, pos - 200) : pos + 1]
            is_fn = bool(opener.search(head)) and not re.search(
                r"\b(?:if|for|while|switch|catch)\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*\{$", head
            )
            stack.append((is_fn, pos))
        elif ch == "}" and stack:
            is_fn, start = stack.pop()
            if is_fn:
                first = code.count("\n", 0, start) + 1
                out.append((first, code.count("\n", start, pos) + 1))
    return out


def test_function_scanner_measures_functions():
    js = "function a() {\n  if (x) {\n  }\n  const f = (y) => {\n    return y;\n  };\n}\n"
    assert sorted(_function_lengths(js)) == [(1, 7), (4, 3)]


@pytest.mark.parametrize("path", SRC_JS, ids=_rel)
def test_no_js_function_is_over_150_lines(path):
    long = [(line, n) for line, n in _function_lengths(path.read_text(encoding="utf-8")) if n > 150]
    assert not long, f"{_rel(path)}: functions over 150 lines (line, lines): {long}"


@pytest.mark.parametrize("path", JS_FILES + CSS_FILES, ids=_rel)
def test_nothing_loads_from_the_network(path):
    text = path.read_text(encoding="utf-8")
    text = text.replace(SVG_NAMESPACE, '"svg-namespace"')
    if path.name == "emotion_curve.js":
        # the one runtime import (of the Vega runtime's blob URL), laid out by the bundler
        # over several lines or minified (its webpackIgnore comment dropped): match it loosely
        blob_import = r"await\s*import\(\s*(?:/\*\s*webpackIgnore:\s*true\s*\*/\s*)?url\s*\)"
        assert len(re.findall(blob_import, text)) == 1
        assert "URL.createObjectURL(new Blob([code]" in text
        text = re.sub(blob_import, "", text)
    code = _strip_comments(text)
    if path.suffix != ".css":
        code = _strip_js_line_comments(code)
    problems = []
    for pattern, what in [
        (
            r"""\bimport\s*(?:[^'"]*?\bfrom\s*)?['"](?!\.\.?/)[^'"]*['"]""",
            "an import of a non-local module",
        ),
        (r"""\bimport\s*\(""", "a dynamic import()"),
        (r"""@import\b""", "a CSS @import"),
        (r"""\burl\s*\(""", "a CSS url()"),
        (r"""\b(?:fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon)\b""", "a network API"),
        (r"""https?://""", "an http(s) URL"),
    ]:
        for match in re.finditer(pattern, text if "http" in pattern else code):
            line = match.string.count("\n", 0, match.start()) + 1
            problems.append(f"{path.name}:{line}: {what}: {match.group(0)!r}")
    assert not problems, "\n".join(problems)
    assert not _URL.search(code), path


@pytest.mark.parametrize("path", SRC_JS, ids=_rel)
def test_js_sources_are_checked_by_tsc(path):
    # jsconfig.json sets checkJs for all of static/src; the comment keeps editors checking too
    text = path.read_text(encoding="utf-8")
    assert text.startswith("// @ts-check\n"), f"{path.name} must start with // @ts-check"


@pytest.mark.parametrize("path", JS_FILES, ids=_rel)
def test_js_never_injects_html(path):
    text = path.read_text(encoding="utf-8")
    code = _strip_js_line_comments(_strip_comments(text))
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "createContextualFragment",
    ]:
        assert sink not in code, f"{path.name} uses {sink}: insert user text as text"


@pytest.mark.parametrize("path", WIDGET_SRC, ids=_rel)
def test_widget_module_exports_render(path):
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^export default \{[^}]*\brender\b[^}]*\};?\s*$", text, re.MULTILINE)


def _selectors(css: str) -> list[str]:
    """Every selector of every style rule (descending into @media / @supports)."""
    css = _strip_comments(css)
    out: list[str] = []
    pos, depth_stack = 0, []
    prelude_start = 0
    while pos < len(css):
        ch = css[pos]
        if ch == "{":
            prelude = css[prelude_start:pos].strip()
            if prelude.startswith("@"):
                kind = prelude.split()[0]
                if kind in {"@page", "@font-face"}:  # declarations only, no selectors
                    pos = css.index("}", pos) + 1
                    prelude_start = pos
                    continue
                assert kind in {"@media", "@supports", "@container"}, f"unexpected {kind}"
                depth_stack.append("group")
            else:
                out.extend(s.strip() for s in prelude.split(","))
                # skip the declarations block
                end = css.index("}", pos)
                pos = end
                prelude_start = pos + 1
                pos += 1
                continue
            prelude_start = pos + 1
        elif ch == "}":
            depth_stack.pop()
            prelude_start = pos + 1
        pos += 1
    assert not depth_stack, "unbalanced braces"
    return out


@pytest.mark.parametrize("path", CSS_FILES, ids=_rel)
def test_every_css_selector_is_scoped_under_a_cjm_class(path):
    selectors = _selectors(path.read_text(encoding="utf-8"))
    assert selectors
    bad = [
        s
        for s in selectors
        if not re.search(r"\.cjm-[a-z]", s.split()[0] if s else "")
        and not (s.startswith("body[data-jp-theme-light") and ".cjm-" in s)
    ]
    assert not bad, f"selectors not scoped under a .cjm- class in {path.name}: {bad}"


def test_selector_parser_sees_rules_inside_media():
    css = ".cjm-a { x: 1 }\n@media (hover: none) { .cjm-b, .cjm-c .d { y: 2 } }\n.e { z: 3 }"
    assert _selectors(css) == [".cjm-a", ".cjm-b", ".cjm-c .d", ".e"]


@pytest.mark.parametrize("path", WIDGET_JS, ids=_rel)
def test_bundled_module_is_one_valid_esm(path):
    asset = path.stem
    esm = bundle_esm(asset)
    assert not re.search(r"^\s*import\s", esm, re.MULTILINE), "imports left in the bundle"
    defaults = len(re.findall(r"\bexport default\b|\bas default\b", esm))
    assert defaults == 1, "one default export (the widget's {render})"
    proc = subprocess.run(
        [_node(), "--check", "--input-type=module"],
        input=esm,
        text=True,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr


def test_widget_classes_ship_the_bundles():
    from cjm_widgets.widgets import JourneyEditor

    assert JourneyEditor._esm == bundle_esm("journey_editor")
    assert JourneyEditor._css == bundle_css("journey_editor")
    assert ".cjm-error" in JourneyEditor._css and ".cjm-board" in JourneyEditor._css


def test_a_missing_bundle_says_how_to_build_it():
    with pytest.raises(FileNotFoundError, match=r"npm ci && npm run build"):
        bundle_esm("no_such_widget")


def test_no_bundle_imports_vega_itself():
    # the curve takes Vega from the notebook's one shared runtime (widgets/vega_runtime.py)
    for asset in ("emotion_curve", "journey_editor", "evidence_tagger"):
        assert "vega-embed" not in bundle_esm(asset), asset


def test_the_vega_runtime_is_one_offline_esm_exporting_vega_embed():
    key, esm = runtime_bundle()
    assert key and runtime_bundle() == (key, esm)  # kept for the kernel's lifetime
    assert not re.search(r"^\s*import\s", esm, re.MULTILINE), "imports left in the bundle"
    assert not re.search(r"\bimport\s*\(\s*['\"]https?:", esm)
    exports = re.findall(r"export\s*\{([^}]*)\}", esm)[-1]
    assert {name.split(" as ")[-1].strip() for name in exports.split(",")} == {"vegaEmbed", "vega"}
    proc = subprocess.run(
        [_node(), "--check", "--input-type=module"],
        input=esm,
        text=True,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
