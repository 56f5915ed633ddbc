"""The HTML report opened from disk (file://) in headless Chromium, as a recipient opens it.

What a person sees: the map, the curve and the other charts drawn, the quotes as text — and
behind the scenes no request other than the file itself, no script run, no dialog, no
console error (a blocked load would log one). It also prints (PDF) and the screenshot for
the README (docs/report.png with CJM_UPDATE_SCREENSHOTS=1) is taken here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cjm_widgets as cjm

from .lab import readme_image

pytestmark = pytest.mark.browser

TITLE = "Grocery <img src=x onerror=\"window.__cjm_pwned('title')\">"
TOUCHPOINT = "Tip <svg onload=\"window.__cjm_pwned('tp')\">"
QUOTE = "Awful <script>window.__cjm_pwned('quote')</script> fee <b>again</b>"
PERSONA = "Parent <iframe src=\"javascript:window.__cjm_pwned('persona')\">"

_TRIPWIRE = """
(() => {
  window.__cjm_xss = [];
  window.__cjm_pwned = (id) => window.__cjm_xss.push(String(id));
})();
"""


def _study(hostile: bool) -> tuple[cjm.Journey, cjm.Evidence]:
    import pandas as pd

    demo = cjm.datasets.demo()
    journey, ev = demo.journey, demo.evidence()
    fee = ev.search("delivery fee")[:3]
    ev.tag(
        fee,
        journey=journey,
        touchpoint="Basket and payment",
        emotion=-2,
        labels=["pain point", "quote"],
        coder="AK",
    )
    if not hostile:
        return journey, ev
    journey.update(title=TITLE)
    journey.add_persona(PERSONA)
    journey.add_touchpoint("Usage", TOUCHPOINT, channel="in person")
    extra = cjm.Evidence.from_frame(
        pd.DataFrame({"text": [QUOTE, QUOTE + " 2"], "who": ["R1", "R2"]}),
        source="review",
        participant="who",
        document="reviews",
    )
    both = cjm.Evidence.concat([ev, extra])
    both.tag(
        extra.frame["evidence_id"].tolist(),
        journey=journey,
        touchpoint=TOUCHPOINT,
        emotion=-2,
        labels=["pain point"],
    )
    return journey, both


def _over_white(colour: str) -> float:
    """The darkest channel of a CSS colour composited over white paper (255 = white)."""
    parts = [float(v) for v in re.findall(r"[\d.]+", colour)]
    rgb, alpha = parts[:3], parts[3] if len(parts) > 3 else 1.0
    return min(c * alpha + 255 * (1 - alpha) for c in rgb)


def _open(browser, path: Path, **context_kw):
    context = browser.new_context(
        viewport={"width": 1280, "height": 1600}, service_workers="block", **context_kw
    )
    context.add_init_script(_TRIPWIRE)
    seen = {"requests": [], "dialogs": [], "console": [], "errors": []}
    context.on("request", lambda r: seen["requests"].append(r.url))
    page = context.new_page()
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("console", lambda m: m.type == "error" and seen["console"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)  # anything deferred (it should be nothing) gets its chance
    return context, page, seen


def test_report_opens_offline_from_disk_and_runs_nothing(browser, tmp_path):
    journey, ev = _study(hostile=True)
    path = cjm.export.html_report(journey, ev, tmp_path / "report.html", by="household")
    context, page, seen = _open(browser, path)
    try:
        assert seen["requests"] == [path.as_uri()], seen["requests"]  # the file, nothing else
        assert page.evaluate("window.__cjm_xss") == []
        assert seen["dialogs"] == [] and seen["errors"] == [] and seen["console"] == []
        # the hostile text is shown literally where a person reads it
        assert page.locator("h1").inner_text() == TITLE
        assert page.get_by_text(QUOTE, exact=True).count() == 1
        assert page.locator(".cjm-r-head").get_by_text(PERSONA).count() == 1
        assert page.locator("table.cjm-grid").get_by_text(TOUCHPOINT, exact=True).count() == 1
        assert page.locator("script, iframe, img").count() == 0
        # the map and the charts are drawn
        headers = page.locator("table.cjm-grid thead th .cjm-sname").all_inner_texts()
        assert headers == [s.name for s in journey.stages]
        for label in ("Emotion curve", "Opportunity matrix", "Evidence coverage"):
            svg = page.locator(f'svg[aria-label="{label}"]')
            box = svg.bounding_box()
            assert box is not None and box["width"] > 250 and box["height"] > 150, label
        curve = page.locator('svg[aria-label="Emotion curve"]')
        assert curve.locator("g.mark-symbol path").count() >= 2 * 9
        assert curve.locator("svg, [onload]").count() == 0  # the name is axis text, not markup
        assert "Tip <svg" in curve.text_content()
    finally:
        context.close()


def test_report_prints_on_white_pages(browser, tmp_path):
    journey, ev = _study(hostile=False)
    path = cjm.export.html_report(journey, ev, tmp_path / "report.html", by="household")
    context, page, seen = _open(browser, path)
    try:
        page.emulate_media(media="print")
        colours = page.evaluate(
            """() => [...document.querySelectorAll('body, main, section, .cjm-map, .cjm-grid td')]
                 .map(e => getComputedStyle(e).backgroundColor)"""
        )
        assert colours and all(_over_white(c) >= 235 for c in colours), colours
        assert page.locator(".cjm-r-toc").evaluate("e => getComputedStyle(e).display") == "none"
        assert page.locator("#curve").evaluate("e => getComputedStyle(e).breakBefore") == "page"
        pdf = page.pdf(format="A4", landscape=True, print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
        assert pdf.startswith(b"%PDF") and pages >= 5, pages
        assert seen["requests"] == [path.as_uri()]
    finally:
        context.close()


def test_report_screenshot_for_the_readme(browser, tmp_path):
    journey, ev = _study(hostile=False)
    path = cjm.export.html_report(journey, ev, tmp_path / "report.html", by="household")
    context, page, seen = _open(browser, path)
    try:
        target = readme_image("report.png")  # docs/ only with CJM_UPDATE_SCREENSHOTS=1
        page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": 1280, "height": 1600})
        assert target.stat().st_size > 50_000
        assert seen["requests"] == [path.as_uri()]
    finally:
        context.close()
