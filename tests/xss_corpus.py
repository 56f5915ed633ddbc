"""An XSS corpus for cjm-widgets and the checks that run it (shared by unit and browser tests).

Every payload, if the browser ever runs it, calls ``__cjm_pwned('<id>')`` — the tripwire that
``tests/browser/conftest.py`` defines in every frame and turns into a test failure. Without a
browser, :func:`check_html` parses rendered HTML/SVG with :mod:`html.parser` and fails on any
element or attribute outside an allowlist, any ``on*`` attribute, any URL that is not a
``#fragment``, and any trace of a payload outside text (a tag, an attribute other than a
text-like one such as ``title``, a ``<style>``/``<script>`` body or a comment); it also checks
that the payload is shown as text. :data:`CHECKS` maps an output kind (``html``, ``svg``,
``markdown``, ``mermaid``) to its check, so a new output is one more line in the test's list
of surfaces.

Usage::

    from xss_corpus import PAYLOADS, xss_journey, xss_evidence, check_output
    journey = xss_journey([p.text for p in PAYLOADS[:1]])
    check_output("html", journey._repr_html_(), expect=[journey.title])
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

__all__ = [
    "CHECKS",
    "PAYLOADS",
    "TRIPWIRE",
    "Payload",
    "check_html",
    "check_markdown",
    "check_mermaid",
    "check_output",
    "xss_evidence",
    "xss_journey",
]

#: The function every payload calls when it runs (defined by the browser tests' init script).
TRIPWIRE = "__cjm_pwned"


@dataclass(frozen=True)
class Payload:
    """One attack string; ``id`` is what it reports to ``window.__cjm_pwned`` if it runs."""

    id: str
    text: str
    kind: str  # what it attacks, for reading failures


def _p(n: int, kind: str, template: str) -> Payload:
    pid = f"x{n:02d}"
    return Payload(pid, template.replace("PWN", f"{TRIPWIRE}('{pid}')"), kind)


PAYLOADS: tuple[Payload, ...] = (
    _p(1, "script tag", "<script>PWN</script>"),
    _p(2, "img onerror", '<img src=x onerror="PWN">'),
    _p(3, "svg onload", "<svg onload=PWN>"),
    _p(4, "svg script", "<svg><script>PWN</script></svg>"),
    _p(5, "body onload", "<body onload=PWN>"),
    _p(6, "iframe srcdoc", '<iframe srcdoc="<script>PWN</script>"></iframe>'),
    _p(7, "math mXSS", "<math><mtext><table><mglyph><style><img src=x onerror=PWN>"),
    _p(8, "javascript: link", '<a href="javascript:PWN">open</a>'),
    _p(9, "bare javascript: URL", "javascript:PWN"),
    _p(10, "attribute breakout (double)", '" onmouseover="PWN" autofocus onfocus="PWN" x="'),
    _p(11, "attribute breakout (single)", "' onfocus='PWN' autofocus tabindex=1 x='"),
    _p(12, "tag breakout", '"><img src=x onerror=PWN>'),
    _p(13, "style breakout", "</style><style>*{}</style><img src=x onerror=PWN>"),
    _p(14, "title breakout", "</title><script>PWN</script>"),
    _p(15, "textarea breakout", "</textarea><script>PWN</script>"),
    _p(16, "CSS expression()", '<div style="width: expression(PWN)">css</div>'),
    _p(17, "CSS @import", "<style>@import 'javascript:PWN';</style>"),
    _p(18, "details ontoggle", "<details open ontoggle=PWN><summary>x</summary></details>"),
    _p(19, "video source onerror", '<video><source onerror="PWN"></video>'),
    _p(20, "autofocus onfocus", "<input autofocus onfocus=PWN>"),
    _p(21, "template mXSS", "<template><img src=x onerror=PWN></template>"),
    _p(22, "noscript mXSS", '<noscript><p title="</noscript><img src=x onerror=PWN>">'),
    _p(23, "svg xlink:href", '<svg><a xlink:href="javascript:PWN"><text y="20">x</text></a></svg>'),
    _p(24, "svg animate onbegin", "<svg><animate onbegin=PWN attributeName=x dur=1s>"),
    _p(25, "object data", '<object data="javascript:PWN"></object>'),
    _p(26, "form formaction", '<form><button formaction="javascript:PWN">go</button></form>'),
    _p(27, "script-in-script", "</script><script>PWN</script>"),
    _p(28, "nested filter bypass", "<scr<script>ipt>PWN</scr</script>ipt>"),
    _p(29, "entity-encoded handler", "<img src=x onerror=&#95;&#95;cjm_pwned('x29')>"),
    _p(30, "template literal", "${PWN}"),
    _p(31, "client template", "{{constructor.constructor('PWN')()}}"),
    _p(32, "comment mXSS", '<!--<img src="--><img src=x onerror=PWN//">'),
    _p(33, "foreignObject iframe", '<svg><foreignObject><iframe srcdoc="<script>PWN</script>">'),
    _p(34, "meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:PWN">'),
    _p(35, "markdown link", "[click me](javascript:PWN)"),
    _p(36, "markdown table break", "a | <img src=x onerror=PWN> |\n|---|---|\n| b"),
    _p(37, "markdown heading + html", "\n# <img src=x onerror=PWN>\n> quote"),
    _p(38, "mermaid directive", '%%{init: {"securityLevel": "loose"}}%%\nclick x call PWN'),
    _p(39, "mermaid section/colon", "section <img src=x onerror=PWN>: 5: me\ntitle x"),
    _p(40, "mermaid comment + colon", "%% hidden\n x: 1: <b onmouseover=PWN>y</b>"),
    _p(41, "unicode line separator", "\u2028<script>PWN</script>\u2029"),
    _p(
        42,
        "CSS url() breakout",
        "red;background:url(javascript:PWN)}</style><img src=x onerror=PWN>",
    ),
    _p(
        43,
        "TeX \\href (MathJax)",
        r"$\href{javascript:PWN}{math link}$ and $$\href{javascript:PWN}{x}$$",
    ),
)

# --------------------------------------------------------------------------- fixtures


def xss_journey(payloads: Sequence[str]) -> Any:
    """A journey with the payloads in every user-visible field.

    One stage per payload (named by it, described by it) holding a touchpoint named by it
    (owner, description: the payload), the payload in every text lane of that stage, a lane,
    a persona (name, description, goals, needs, segment value) and an opportunity (text,
    notes) per payload; the title and scope are the payloads joined by a space.
    """
    import cjm_widgets as cjm

    journey = cjm.Journey(title=" ".join(payloads), scope=" ".join(payloads))
    for i, text in enumerate(payloads):
        stage = journey.add_stage(text, description=text)
        tp = journey.add_touchpoint(
            stage, text, channel="web", phase="purchase", owner=text, description=text
        )
        for lane in journey.lanes:
            if lane.kind == "text":
                journey.set_lane(stage, lane, [text])
        journey.add_lane(text)
        journey.add_persona(
            text, description=text, goals=[text], needs=[text], segment={"Class": text}
        )
        journey.add_opportunity(text, [tp], impact=5 - i % 2, effort=1 + i % 2, notes=text)
    return journey


def xss_evidence(journey: Any, payloads: Sequence[str], *, per_payload: int = 6) -> Any:
    """Evidence whose quote text, participant and segment value (``Class``) are the payloads,
    tagged to the journey's touchpoints with negative emotions and the label "pain point"
    (``per_payload`` rows each, so the curve and pain points have supported points); the
    payload is also a custom label and the coder's name.
    """
    import pandas as pd

    import cjm_widgets as cjm

    rows = []
    for i, text in enumerate(payloads):
        for k in range(per_payload):
            rows.append({"text": text, "who": text, "Class": text, "rid": f"r{i}-{k}"})
    frame = pd.DataFrame(rows)
    ev = cjm.Evidence.from_frame(frame, text="text", participant="who", id="rid", journey=journey)
    tps = journey.touchpoints
    for i, text in enumerate(payloads):
        ids = [f"review:r{i}-{k}" for k in range(per_payload)]
        ev.tag(
            ids,
            touchpoint=tps[i].id,
            emotion=-2 + (i % 2),
            labels=["pain point"],
            add_labels=[text],
            coder=text,
        )
    return ev


# --------------------------------------------------------------------------- checks

HTML_TAGS = frozenset(
    [
        "html",
        "head",
        "body",
        "title",
        "meta",
        "div",
        "span",
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "b",
        "i",
        "small",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "col",
        "colgroup",
        "br",
        "hr",
        "code",
        "pre",
        "section",
        "header",
        "footer",
        "nav",
        "main",
        "article",
        "aside",
        "figure",
        "figcaption",
        "details",
        "summary",
        "a",
        "abbr",
        "sup",
        "sub",
        "dl",
        "dt",
        "dd",
        "style",
        "time",
        "mark",
        "label",
        "blockquote",
    ]
)
SVG_TAGS = frozenset(
    [
        "svg",
        "g",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "defs",
        "clippath",
        "lineargradient",
        "radialgradient",
        "stop",
        "desc",
    ]
)
#: Attributes that hold plain text a person may read (tooltips, labels): a payload there is
#: escaped text, not markup.
TEXT_ATTRS = frozenset({"title", "aria-label", "alt", "aria-description", "data-label"})
#: Attributes that load or link something; only a ``#fragment`` is allowed.
URL_ATTRS = frozenset(
    [
        "href",
        "xlink:href",
        "src",
        "srcdoc",
        "srcset",
        "action",
        "formaction",
        "data",
        "poster",
        "background",
        "codebase",
        "cite",
        "longdesc",
        "manifest",
        "ping",
    ]
)
ATTRS = frozenset(
    [
        "class",
        "id",
        "title",
        "lang",
        "dir",
        "role",
        "scope",
        "colspan",
        "rowspan",
        "border",
        "style",
        "href",
        "headers",
        "span",
        "aria-label",
        "aria-hidden",
        "aria-describedby",
        "aria-labelledby",
        "aria-level",
        "tabindex",
        "open",
        "charset",
        "name",
        "content",
        "datetime",
        "width",
        "height",
        "viewbox",
        "xmlns",
        "xmlns:xlink",
        "version",
        "transform",
        "d",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "opacity",
        "x",
        "y",
        "x1",
        "x2",
        "y1",
        "y2",
        "dx",
        "dy",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "points",
        "text-anchor",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "font-variant",
        "dominant-baseline",
        "clip-path",
        "pointer-events",
        "shape-rendering",
        "preserveaspectratio",
        "paint-order",
        "letter-spacing",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientunits",
        "gradienttransform",
        "clippathunits",
        "alignment-baseline",
        "mix-blend-mode",
        "scoped",
        "display",
        "visibility",
        "http-equiv",
    ]
)
_STYLE_BAD = re.compile(r"expression\s*\(|url\s*\(|javascript:|@import|behavior\s*:|</", re.I)
_WS = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


class _Auditor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._raw: list[str] = []  # open <style>/<script> elements

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS and tag not in SVG_TAGS:
            self.problems.append(f"element <{tag}> is not allowed")
        if TRIPWIRE in tag:
            self.problems.append(f"payload in a tag name: <{tag}>")
        for name, value in attrs:
            value = value or ""
            plain = _WS.sub("", html.unescape(value)).lower()
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name}={value!r} on <{tag}>")
            elif name not in ATTRS and not name.startswith(("data-", "aria-")):
                self.problems.append(f"attribute {name!r} on <{tag}> is not allowed")
            if TRIPWIRE in name:
                self.problems.append(f"payload in an attribute name {name!r} on <{tag}>")
            if name in URL_ATTRS and not value.startswith("#"):
                self.problems.append(f"URL attribute {name}={value!r} on <{tag}>")
            if "javascript:" in plain and name not in TEXT_ATTRS:
                self.problems.append(f"javascript: URL in {name}={value!r} on <{tag}>")
            if name == "http-equiv" and plain != "content-security-policy":
                self.problems.append(f"<meta http-equiv={value!r}> (only a CSP is allowed)")
            if name == "style" and _STYLE_BAD.search(value):
                self.problems.append(f"dangerous CSS in style={value!r} on <{tag}>")
            if TRIPWIRE in value and name not in TEXT_ATTRS:
                self.problems.append(f"payload in attribute {name}={value!r} of <{tag}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)
        if tag in ("style", "script"):
            self._raw.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._raw and self._raw[-1] == tag:
            self._raw.pop()

    def handle_data(self, data: str) -> None:
        if self._raw:
            if TRIPWIRE in data or _STYLE_BAD.search(data):
                self.problems.append(f"payload or dangerous CSS inside <{self._raw[-1]}>: {data!r}")
            return
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        if TRIPWIRE in data:
            self.problems.append(f"payload inside an HTML comment: {data!r}")

    def handle_decl(self, decl: str) -> None:
        if decl.lower() != "doctype html":
            self.problems.append(f"declaration <!{decl}>")

    def handle_pi(self, data: str) -> None:
        if not data.startswith("xml "):
            self.problems.append(f"processing instruction <?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"unknown declaration <![{data}]>")


def check_html(
    markup: str, expect: Iterable[str] = (), *, prefix: int | None = None, where: str = ""
) -> str:
    """Fail (AssertionError) unless ``markup`` is inert and shows each ``expect`` as text.

    ``prefix``: only the first ``prefix`` characters of each expected text must be shown
    (charts truncate long labels with an ellipsis). Returns the visible text.
    """
    auditor = _Auditor()
    auditor.feed(markup)
    auditor.close()
    problems = list(dict.fromkeys(auditor.problems))
    visible = _norm("".join(auditor.text))
    for text in expect:
        want = _norm(text)[:prefix] if prefix else _norm(text)
        if want and want not in visible:
            problems.append(f"not shown as text: {want!r}")
    if problems:
        shown = "\n  ".join(problems[:12])
        more = f"\n  … and {len(problems) - 12} more" if len(problems) > 12 else ""
        raise AssertionError(f"{where}: unsafe or missing text:\n  {shown}{more}")
    return visible


def check_markdown(
    text: str, expect: Iterable[str] = (), *, prefix: int | None = None, where: str = ""
) -> str:
    """Render ``text`` as GitHub-flavoured Markdown with raw HTML passed through (as GitHub
    and Jupyter do before sanitising) and check the HTML like :func:`check_html`."""
    import mistune

    render = mistune.create_markdown(escape=False, plugins=["table", "strikethrough", "url"])
    return check_html(str(render(text)), expect, prefix=prefix, where=f"{where} (Markdown)")


_MERMAID_LINE = re.compile(
    r"^(?:journey|\s+title [^\n]*|\s+section [^\n]*|\s+[^:\n]+: [0-5](?:: [^:\n]*)?)$"
)


def check_mermaid(
    text: str, expect: Iterable[str] = (), *, prefix: int | None = None, where: str = ""
) -> str:
    """Fail unless every line of a Mermaid ``journey`` is a plain ``journey`` / ``title`` /
    ``section`` / ``task: score: actors`` line (no ``%%`` directive or comment, ``click`` or
    extra line smuggled in by user text) and each expected name (as Mermaid can hold it:
    without ``:#;`` and line breaks) is present. Mermaid draws journey labels as text nodes
    (and sanitises them in its default strict mode), so ``<`` in a name stays text there."""
    from cjm_widgets.model.mermaid import mermaid_name

    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if not _MERMAID_LINE.match(line):
            problems.append(f"line {number} is not a journey line: {line!r}")
        if "%%" in line:  # Mermaid reads %%{init: …}%% directives anywhere in the text
            problems.append(f"line {number} has a directive or comment (%%): {line!r}")
        if re.match(r"^\s+(?:section\s+)?%", line):  # Mermaid's journey lexer: a comment
            problems.append(f"line {number} starts with %, which hides it: {line!r}")
    for name in expect:
        want = mermaid_name(name)
        want = want[:prefix] if prefix else want
        if want and want not in text:
            problems.append(f"not shown as text: {want!r}")
    if problems:
        raise AssertionError(f"{where}: unsafe Mermaid:\n  " + "\n  ".join(problems[:12]))
    return text


#: Output kind → its check: ``check(text, expect, prefix=..., where=...)``.
CHECKS: dict[str, Callable[..., str]] = {
    "html": check_html,
    "svg": check_html,
    "markdown": check_markdown,
    "mermaid": check_mermaid,
}


def check_output(
    kind: str, text: str, expect: Iterable[str] = (), *, prefix: int | None = None, where: str = ""
) -> str:
    """Run the check for ``kind`` (a key of :data:`CHECKS`)."""
    return CHECKS[kind](text, expect, prefix=prefix, where=where or kind)
