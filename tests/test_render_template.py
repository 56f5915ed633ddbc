"""The static map comes from a Jinja2 template and a CSS file shipped in the package."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import cjm_widgets as cjm
from cjm_widgets.model import render


def test_template_and_css_are_package_files_and_used() -> None:
    folder = resources.files("cjm_widgets.model") / "templates"
    css = (folder / "journey_map.css").read_text(encoding="utf-8")
    assert (folder / "journey_map.html.j2").is_file()
    markup = cjm.Journey.from_template("current_state", stages="five_stage")._repr_html_()
    assert "--cjm-bg0: var(--jp-layout-color0, #fff);" in css
    assert "--cjm-bg0: var(--jp-layout-color0, #fff);" in markup
    assert "/*" not in markup  # the file's header comment is not shipped in every output
    assert markup.startswith('<div class="cjm-map') and markup.endswith("</div>")
    assert "\n<div" not in markup  # the template's line breaks are not in the output


def test_autoescape_is_on_and_user_text_goes_through_safe_text() -> None:
    env_template = render._template()
    assert env_template.environment.autoescape is True
    j = cjm.Journey(title='<b>x</b> & "q"')
    markup = j._repr_html_()
    assert "<b>x</b>" not in markup and "&lt;b&gt;x&lt;/b&gt; &amp;" in markup


def test_jinja2_is_not_imported_by_import_cjm_widgets() -> None:
    code = (
        "import sys, cjm_widgets as cjm\n"
        "j = cjm.Journey.from_template('current_state', stages='five_stage')\n"
        "assert 'jinja2' not in sys.modules\n"
        "j._repr_html_()\n"
        "assert 'jinja2' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def _maps() -> list:
    """Maps that reach every branch of the templates: hostile text in every field, the demo
    with its emotion lane and filled lanes, a Finnish blueprint, an empty journey."""
    from tests.test_render import PAYLOADS, hostile_journey

    demo = cjm.datasets.demo()
    ev = demo.evidence()
    filled = demo.journey.copy() if hasattr(demo.journey, "copy") else demo.journey
    cjm.fill_lanes(filled, ev)
    lane = cjm.emotion_lane(filled, ev, by="household")
    maps = [(hostile_journey(p), None) for p in PAYLOADS]
    maps += [(filled, lane), (demo.journey, None), (cjm.Journey(title="Empty & <b>"), None)]
    maps.append((cjm.Journey.from_template("service_blueprint", language="fi"), None))
    return maps


def test_the_fast_escape_gives_the_html_of_stock_jinja2(monkeypatch) -> None:
    """The templates' outputs go through _jinja._escape (safe_text, then markupsafe's C
    escape, a plain string back) instead of stock Jinja2's finalize + markupsafe.escape (a new
    Markup per output): the same bytes."""

    import jinja2

    from cjm_widgets.model import _jinja, lane_html, render
    from cjm_widgets.model.render import journey_html

    maps = _maps()
    render._PARTS.clear()
    ours = [journey_html(j, lane=lane) for j, lane in maps]
    template = _jinja.environment().get_template("journey_map.html.j2")
    assert template.root_render_func.__globals__["escape"] is _jinja._escape
    env = _jinja.make_environment(fast=False)  # stock Jinja2: finalize + markupsafe.escape
    assert env.template_class is jinja2.Template
    monkeypatch.setattr(render, "environment", lambda: env)
    monkeypatch.setattr(lane_html, "environment", lambda: env)
    render._PARTS.clear()
    theirs = [journey_html(j, lane=lane) for j, lane in maps]
    monkeypatch.undo()
    render._PARTS.clear()
    assert ours == theirs
    assert any("&lt;script&gt;" in html for html in ours)
    assert all("<script>" not in html for html in ours)


def test_control_characters_are_cleaned_by_the_fast_escape() -> None:
    from cjm_widgets.model import _jinja

    template = _jinja.environment().from_string("<p>{{ a }}|{{ b }}|{{ c }}</p>")
    html = template.render(a="bell\x07 <b>", b=3, c=markupsafe_markup("<i>ok</i>"))
    assert "\x07" not in html and "&lt;b&gt;" in html and "<i>ok</i>" in html and "|3|" in html


def markupsafe_markup(text: str):
    import markupsafe

    return markupsafe.Markup(text)
