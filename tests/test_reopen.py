"""A saved notebook shows what the researcher last saw, in every host, offline.

- Each widget output is followed by a static snapshot output that the kernel publishes again
  after every change (here: Python edits in later cells, under nbclient as nbconvert runs it).
- ``jupyter nbconvert --to html`` with the config the package installs shows the snapshots and
  no widget runtime, require.js or MathJax script, with and without saved widget state.
- The wheel and the editable wheel install that config and the JupyterLab settings default
  that saves widget state.

The browser side (reopen in JupyterLab and Notebook 7, the exported page loading nothing from
the network) is in tests/browser/test_reopen_browser.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from needs import module

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "jupyter-config"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

CELLS = [
    """import cjm_widgets as cjm
demo = cjm.datasets.demo()
journey = demo.journey
ev = demo.evidence()
editor = cjm.JourneyEditor(journey)
editor""",
    "ws = cjm.Workspace(journey, ev, by='household')\nws",
    # edits after the widgets were shown: the snapshots must follow them
    "journey.rename_stage(journey.stages[0].id, 'Noticing the shop')",
    """tp = journey.touchpoint('Delivery slot picker')
rows = ev.frame['evidence_id'].iloc[:40].tolist()
ev.tag(rows, journey=journey, touchpoint=tp, emotion=-2)""",
]


def snapshot_outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [
        o
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if o.get("metadata", {}).get("cjm_widgets", {}).get("snapshot")
    ]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    """The notebook above, run as ``nbconvert --execute`` runs it (widget state saved)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
    workdir = tmp_path_factory.mktemp("reopen")
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    ).execute()
    errors = [o for c in nb.cells for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    return nb


def test_each_widget_output_is_followed_by_its_snapshot(executed):
    editor_out, ws_out = executed.cells[0].outputs, executed.cells[1].outputs
    for outs in (editor_out, ws_out):
        assert [o.output_type for o in outs] == ["display_data", "display_data"]
        view, snap = outs
        assert WIDGET_VIEW in view.data and "text/html" not in view.data
        assert view.metadata["cjm_widgets"] == {"view": True}
        assert set(snap.data) == {"text/html"}
        assert 'class="cjm-snapshot"' in snap.data["text/html"]
    assert "cjm-map" in editor_out[1].data["text/html"]
    ws_html = ws_out[1].data["text/html"]
    assert "cjm-ws-static" in ws_html and "<svg" in ws_html and "Evidence tagger" in ws_html


def test_snapshots_follow_edits_made_after_display(executed):
    """The rename and the tags of cells 3 and 4 reached both snapshots shown in cells 1–2."""
    editor_html = executed.cells[0].outputs[1].data["text/html"]
    ws_html = executed.cells[1].outputs[1].data["text/html"]
    for html in (editor_html, ws_html):
        assert "Noticing the shop" in html
        assert "Awareness" not in html  # the old name is gone
    # the curve in the Workspace snapshot counts the 40 new tags at the slot picker
    svg = ws_html[ws_html.index("<svg") :]
    labels = re.findall(r'aria-label="([^"]*touchpoint: Delivery slot picker[^"]*)"', svg)
    assert labels, "no point for the slot picker in the snapshot's curve"
    n = max(int(m.replace(",", "")) for lab in labels for m in re.findall(r"n: ([\d,]+)", lab))
    assert n >= 40


def nbconvert_html(nb: nbformat.NotebookNode, tmp_path: Path, name: str) -> str:
    """``jupyter nbconvert --to html`` in a subprocess that reads the config the package
    installs (its folder first on the Jupyter config path, as ``{sys.prefix}/etc/jupyter``)."""
    source = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, str(source))
    config_dir = tmp_path / f"{name}-config"
    config_dir.mkdir()
    (config_dir / "jupyter_nbconvert_config.json").write_text(
        (CONFIG / "jupyter_nbconvert_config.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config_dir)}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(source)],
        check=True,
        env=env,
        capture_output=True,
        timeout=300,
    )
    return (tmp_path / f"{name}.html").read_text(encoding="utf-8")


def scripts_from_the_network(html: str) -> list[str]:
    return re.findall(r"""<script[^>]*\bsrc=["'](https?:[^"']*)""", html)


@pytest.mark.parametrize("state", ["widget state saved", "no widget state"])
def test_nbconvert_shows_the_snapshots_offline(executed, tmp_path, state):
    nb = nbformat.reads(nbformat.writes(executed), as_version=4)
    if state == "no widget state":
        nb.metadata.pop("widgets", None)
    else:
        assert "widgets" in nb.metadata  # nbclient saved it, as nbconvert --execute does
    html = nbconvert_html(nb, tmp_path, "export")
    assert html.count('class="cjm-snapshot"') == 2
    assert "Noticing the shop" in html and "<svg" in html
    assert scripts_from_the_network(html) == []
    assert "application/vnd.jupyter.widget-state+json" not in html  # no widget runtime
    assert WIDGET_VIEW not in html


def test_nbconvert_keeps_mathjax_when_the_notebook_has_maths(executed, tmp_path):
    nb = nbformat.reads(nbformat.writes(executed), as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(r"Mean emotion $\bar{x}$ per touchpoint"))
    html = nbconvert_html(nb, tmp_path, "math")
    assert any("mathjax" in url.lower() for url in scripts_from_the_network(html))
    assert html.count('class="cjm-snapshot"') == 2


def test_notebook_saved_before_the_snapshot_output_shows_its_html(tmp_path):
    """Older notebooks kept the snapshot in the view's own bundle: the view is dropped."""
    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output(
        "display_data",
        data={
            "text/plain": "JourneyEditor(...)",
            WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": "abc"},
            "text/html": '<div class="cjm-map">Old map</div>',
        },
    )
    nb.cells = [nbformat.v4.new_code_cell("editor", outputs=[out])]
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"version_major": 2, "state": {}}
    }
    html = nbconvert_html(nb, tmp_path, "old")
    assert "Old map" in html
    assert scripts_from_the_network(html) == []


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["wheel", "editable"])
def test_install_puts_the_jupyter_config_in_place(tmp_path, kind):
    """``pip install .`` and ``pip install -e .`` both install the two config files."""
    build = module("hatchling.build")
    if kind == "editable":
        module("editables")  # hatchling's editable wheels need it (pip installs it itself)
    name = (build.build_wheel if kind == "wheel" else build.build_editable)(str(tmp_path))
    with zipfile.ZipFile(tmp_path / name) as wheel:
        data = {
            n.split(".data/data/", 1)[1]: wheel.read(n)
            for n in wheel.namelist()
            if ".data/data/" in n
        }
    lab = json.loads(data["share/jupyter/lab/settings/overrides.d/cjm-widgets.json"])
    assert lab == {"@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True}}
    nbconvert = json.loads(data["etc/jupyter/jupyter_nbconvert_config.json"])
    assert nbconvert["HTMLExporter"]["preprocessors"] == ["cjm_widgets.nbconvert.StaticSnapshots"]


def test_jupyterlab_reads_the_settings_default(tmp_path):
    """jupyterlab_server (JupyterLab 4 and Notebook 7) merges the installed file into the
    widget manager's settings: saveState is on without the user changing anything."""
    from jupyterlab_server.settings_utils import _get_overrides

    target = tmp_path / "overrides.d" / "cjm-widgets.json"
    target.parent.mkdir()
    target.write_bytes((CONFIG / "lab-settings-overrides.json").read_bytes())
    overrides, error = _get_overrides(str(tmp_path))
    assert not error
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True


def test_other_widgets_keep_their_view_and_the_widget_runtime(executed):
    """Only cjm views are replaced: a notebook that also shows another widget keeps it."""
    from cjm_widgets.nbconvert import StaticSnapshots

    nb = nbformat.reads(nbformat.writes(executed), as_version=4)
    slider = nbformat.v4.new_output(
        "display_data",
        data={
            "text/plain": "IntSlider(value=3)",
            WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": "slider1"},
        },
    )
    nb.cells.append(nbformat.v4.new_code_cell("slider", outputs=[slider]))
    resources = {"require_js_url": "require.js", "mathjax_url": "mathjax.js"}
    nb, resources = StaticSnapshots().preprocess(nb, resources)
    views = [o for c in nb.cells for o in c.outputs if WIDGET_VIEW in o.get("data", {})]
    assert [v.data[WIDGET_VIEW]["model_id"] for v in views] == ["slider1"]  # cjm views gone
    assert "widgets" in nb.metadata  # the slider's state stays, and require.js for it
    assert resources == {"require_js_url": "require.js", "mathjax_url": ""}
    assert len(snapshot_outputs(nb)) == 2
