"""The XSS corpus in every field, rendered in a real JupyterLab: nothing runs, all is text.

One notebook, one Lab session: a journey and evidence holding every payload of
``tests/xss_corpus.py`` in every user-visible field, shown as the static map, the live
JourneyEditor, the live EvidenceTagger, the Markdown export and the Mermaid export (both
rendered by JupyterLab itself, trusted, i.e. without its sanitiser). Every payload calls
``window.__cjm_pwned`` if it runs — the ``page`` fixture fails the test then — and here the
outputs are checked for injected elements or ``on*`` attributes and for the payload text.
"""

from __future__ import annotations

import html
import re
import sys
import urllib.parse
from pathlib import Path

import pytest

from .lab import cell_output, open_notebook, run_all, screenshot, write_notebook

TESTS_DIR = Path(__file__).resolve().parents[1]
if str(TESTS_DIR) not in sys.path:  # xss_corpus lives beside the unit tests
    sys.path.insert(0, str(TESTS_DIR))

from xss_corpus import PAYLOADS  # noqa: E402

from cjm_widgets.model.mermaid import mermaid_name  # noqa: E402

pytestmark = pytest.mark.browser

SETUP = f"""\
import sys, warnings
sys.path.insert(0, {str(TESTS_DIR)!r})
warnings.simplefilter("ignore", UserWarning)
import cjm_widgets as cjm
from IPython.display import Markdown
from xss_corpus import PAYLOADS, xss_evidence, xss_journey
texts = [p.text for p in PAYLOADS]
journey = xss_journey(texts)
ev = xss_evidence(journey, texts, per_payload=2)
# the Mermaid diagram lists every persona on every task: keep one so it stays under
# Mermaid's text limit (the names of stages and touchpoints are what it shows); JupyterLab
# takes $…$ out of Markdown as math before the ```mermaid fence reaches Mermaid, so the
# payloads with "$" are left out of this one diagram
one_actor = journey.copy()
with one_actor.batch():
    for persona in one_actor.personas[1:]:
        one_actor.remove_persona(persona)
    for stage in [s for s in one_actor.stages if "$" in s.name]:
        one_actor.remove_stage(stage)
    one_actor.title = " ".join(t for t in texts if "$" not in t)"""

CELLS = [
    SETUP,
    "journey",
    "cjm.JourneyEditor(journey, evidence=ev)",
    "cjm.EvidenceTagger(journey, ev, page_size=500)",
    "Markdown(cjm.export.to_markdown(journey, ev))",
    'Markdown("```mermaid\\n" + one_actor.to_mermaid() + "```")',
]

# Elements a payload would bring with it; none of the outputs draws any of them itself.
# (<math> is left out: MathJax draws it for $…$ in rendered Markdown, see below.)
_INJECTED = (
    "script, img, iframe, object, embed, video, audio, source, base, meta, link, form, "
    "template, noscript, marquee, foreignObject iframe, animate, a[href^='javascript' i]"
)

_AUDIT_JS = """
([root, injected]) => {
  const bad = [];
  // attributes that load or navigate; text attributes (title, label, data-*) may hold anything
  const urlAttrs = ['href', 'xlink:href', 'src', 'srcdoc', 'action', 'formaction', 'data'];
  for (const el of root.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const v = a.value.replace(/\\s+/g, '').toLowerCase();
      if (a.name.toLowerCase().startsWith('on')) bad.push(`${el.tagName} ${a.name}=${a.value}`);
      else if (urlAttrs.includes(a.name.toLowerCase()) && !a.value.startsWith('#')
               && v.includes('javascript:'))
        bad.push(`${el.tagName} ${a.name}=${a.value}`);
    }
  }
  for (const el of root.querySelectorAll(injected)) bad.push(`<${el.tagName.toLowerCase()}>`);
  return bad;
}
"""


def _norm(text: str) -> str:
    return " ".join(text.split())


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_corpus_in_every_field_never_runs_and_shows_as_text(lab, page, page_monitor):
    write_notebook(lab.root_dir, "xss.ipynb", CELLS)
    open_notebook(page, lab, "xss.ipynb")
    run_all(page)

    outputs = {
        "static map": (1, ".cjm-map"),
        "JourneyEditor": (2, ".cjm-editor"),
        "EvidenceTagger": (3, ".cjm-tagger tbody tr"),
        "Markdown export": (4, ".jp-RenderedMarkdown table"),
        # JupyterLab draws Mermaid as an <img> of an SVG data URL (inert: images run no script)
        "Mermaid export": (5, ".jp-RenderedMermaid img[src^='data:image/svg+xml']"),
    }
    for name, (index, ready) in outputs.items():
        area = cell_output(page, index)
        area.locator(ready).first.wait_for(state="attached", timeout=60_000)
        assert area.locator(".jp-RenderedText[data-mime-type*='error']").count() == 0, name

    # let anything a payload scheduled (image errors, autofocus, animations) happen: two
    # animation frames after the last image/iframe request has settled
    page.wait_for_load_state("networkidle")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    texts = [_norm(p.text) for p in PAYLOADS]
    for name, (index, _ready) in outputs.items():
        area = cell_output(page, index)
        if name == "Mermaid export":
            images = area.locator("img")
            assert images.count() == 1, f"{name}: {images.count()} images"
            svg = urllib.parse.unquote(images.first.get_attribute("src") or "")
            for problem in ("Syntax error", "Maximum text size", "Parse error"):
                assert problem not in svg, f"{name}: Mermaid could not draw it: {problem}"
            shown = _squash(html.unescape(re.sub(r"<[^>]*>", "", svg.split("]>", 1)[-1])))
            # Mermaid drops double quotes from labels, and reads "<…>" in a label as HTML
            # that it sanitises (in an <img>, so inert) rather than as text: the export cannot
            # escape "<" yet (Mermaid's #lt; needs "#", which names lose). Known limit:
            # only names without "<" are compared.
            shown = shown.replace('"', "")
            missing = [
                t
                for t in texts
                if "<" not in t
                and "$" not in t
                and _squash(mermaid_name(t)).replace('"', "")[:20] not in shown
            ]
            assert not missing, f"{name}: {len(missing)} names not in the diagram: {missing[:5]}"
            continue
        bad = page.evaluate(_AUDIT_JS, [area.element_handle(), _INJECTED])
        assert not bad, f"{name}: injected markup in the page: {bad[:10]}"
        shown = _norm(area.text_content() or "")
        wanted = texts
        if name == "Markdown export":
            # Known limit: JupyterLab typesets $…$ in rendered Markdown with MathJax even when
            # the export escapes it as \$ (the DOM scan sees the plain dollar), so payloads
            # with "$" show as (inert) math there; GitHub and CommonMark keep \$ literal.
            wanted = [t for t in texts if "$" not in t]
        missing = [t for t in wanted if t.strip() not in shown]
        assert not missing, f"{name}: {len(missing)} payloads not shown as text: {missing[:5]}"

    # the editor edits the same names: its stage headers are the payloads, as text
    editor = cell_output(page, 2).locator(".cjm-editor")
    screenshot(editor, "xss-journey-editor")
    screenshot(cell_output(page, 1).locator(".cjm-map"), "xss-static-map")
    page_monitor.sync()
    assert not page_monitor.xss, page_monitor.xss
    assert not page_monitor.dialogs, page_monitor.dialogs
