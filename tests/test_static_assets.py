"""The shipped front-end files: offline-only, type-checked JS, scoped CSS, no HTML injection."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from needs import unavailable

import cjm_widgets
from cjm_widgets.widgets._base import STATIC_DIR, bundle_css, bundle_esm
from cjm_widgets.widgets.vega_runtime import runtime_bundle

#: emotion_curve.js imports the notebook's one Vega runtime from a blob URL it makes from the
#: shared runtime model's text (widgets/vega_runtime.py): never a network URL.
_BLOB_IMPORT = "await import(/* webpackIgnore: true */ url)"

PACKAGE = Path(cjm_widgets.__file__).resolve().parent
JS_FILES = sorted(PACKAGE.rglob("*.js")) + sorted(PACKAGE.rglob("*.mjs"))
CSS_FILES = sorted(PACKAGE.rglob("*.css"))
WIDGET_JS = sorted(p for p in STATIC_DIR.glob("*.js") if not p.name.startswith("_"))

# The only URL-shaped string allowed: the SVG namespace (an identifier, never fetched).
SVG_NAMESPACE = '"http://www.w3.org/2000/svg"'
_URL = re.compile(r"""(?i)(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}""")


def _strip_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)


def _strip_js_line_comments(text: str) -> str:
    return re.sub(r"(?m)^\s*//.*$", "", text)


def test_there_are_assets_to_check():
    assert WIDGET_JS, "no widget modules found"
    assert (STATIC_DIR / "journey_editor.js") in WIDGET_JS
    assert CSS_FILES


@pytest.mark.parametrize("path", JS_FILES + CSS_FILES, ids=lambda p: p.name)
def test_nothing_loads_from_the_network(path):
    text = path.read_text(encoding="utf-8")
    text = text.replace(SVG_NAMESPACE, '"svg-namespace"')
    if path.name == "emotion_curve.js":
        assert text.count(_BLOB_IMPORT) == 1
        assert "const url = URL.createObjectURL(new Blob([code]" in text
        text = text.replace(_BLOB_IMPORT, "")
    code = _strip_comments(text)
    if path.suffix != ".css":
        code = _strip_js_line_comments(code)
    problems = []
    for pattern, what in [
        (
            r"""\bimport\s*(?:[^'"]*?\bfrom\s*)?['"](?!\./)[^'"]*['"]""",
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


@pytest.mark.parametrize("path", JS_FILES, ids=lambda p: p.name)
def test_js_is_type_checked_and_never_injects_html(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("// @ts-check\n"), f"{path.name} must start with // @ts-check"
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


@pytest.mark.parametrize("path", WIDGET_JS, ids=lambda p: p.name)
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


@pytest.mark.parametrize("path", CSS_FILES, ids=lambda p: p.name)
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


@pytest.mark.parametrize("path", WIDGET_JS, ids=lambda p: p.name)
def test_bundled_module_is_one_valid_esm(path):
    asset = path.stem
    esm = bundle_esm(asset)
    assert not re.search(r"^\s*import\s", esm, re.MULTILINE), "imports left in the bundle"
    assert esm.count("export default") + esm.count("as default}") == 1
    own = path.read_text(encoding="utf-8")
    imported = re.search(r"import\s*\{([^}]*)\}\s*from\s*['\"]\./_common\.js['\"]", own)
    if imported:
        common = (STATIC_DIR / "_common.js").read_text(encoding="utf-8")
        for name in (n.strip() for n in imported.group(1).split(",") if n.strip()):
            assert re.search(
                rf"^export (?:function|const|let|class) {name}\b", common, re.MULTILINE
            ), f"_common.js exports no {name}"
    node = shutil.which("node")
    if node is None:  # skips on a laptop without Node.js; under CI the check must run
        unavailable("node is not installed: the ES module syntax check needs Node.js")
    proc = subprocess.run(
        [node, "--check", "--input-type=module"],
        input=esm,
        text=True,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr


def test_the_vega_runtime_is_one_offline_esm_exporting_vega_embed():
    key, esm = runtime_bundle()
    assert key and runtime_bundle() == (key, esm)  # kept for the kernel's lifetime
    assert not re.search(r"^\s*import\s", esm, re.MULTILINE), "imports left in the bundle"
    assert not re.search(r"\bimport\s*\(\s*['\"]https?:", esm)
    exports = re.findall(r"export\s*\{([^}]*)\}", esm)[-1]
    assert {name.split(" as ")[-1].strip() for name in exports.split(",")} == {"vegaEmbed", "vega"}
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed: the ES module syntax check needs Node.js")
    proc = subprocess.run(
        [node, "--check", "--input-type=module"], input=esm, text=True, capture_output=True,
        timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_widget_classes_ship_the_bundles():
    from cjm_widgets.widgets import JourneyEditor

    assert JourneyEditor._esm == bundle_esm("journey_editor")
    assert JourneyEditor._css == bundle_css("journey_editor")
    assert ".cjm-error" in JourneyEditor._css and ".cjm-board" in JourneyEditor._css
