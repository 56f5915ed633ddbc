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
