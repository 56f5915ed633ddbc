"""A reopened notebook shows the last state, never an error: JupyterLab 4, Notebook 7, nbconvert.

Each server runs with the settings default the package installs
(``share/jupyter/lab/settings/overrides.d/cjm-widgets.json``, given as its
``app_settings_dir``) and nothing else changed. The loop, by clicks: rename a stage on the
board, tag a quote to a touchpoint with −2; save; shut the kernel down; reopen. Then: no
"model not found", the board shows the renamed stage, the curve the tagged point (n 2 → 3),
each view says it is a snapshot with no kernel, and the file's static snapshot has the same.
The exported HTML (``nbconvert --execute`` saves widget state; and without state) is opened
from the server with every non-local request failing the test (conftest guards).

The integrator switches SETUP to ``cjm.Journey.open`` once it exists.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from needs import module

from .lab import (
    REPO_ROOT,
    LabServer,
    delete_sessions,
    open_notebook,
    run_all,
    run_python,
    screenshot_whole,
    start_lab,
    write_notebook,
)
from .test_workspace_browser import POINT_JS, SETUP, point

pytestmark = pytest.mark.browser

SHOW = 'ws = cjm.Workspace(journey, ev, autosave="reopen.journey.json")\nws'
NEW_NAME = "Noticing the shop"
TP = "Delivery slot picker"


def _settings_dir(home: Path) -> Path:
    """An app settings folder holding exactly what the package installs there."""
    folder = home / "app-settings"
    (folder / "overrides.d").mkdir(parents=True)
    shutil.copy(
        REPO_ROOT / "jupyter-config" / "lab-settings-overrides.json",
        folder / "overrides.d" / "cjm-widgets.json",
    )
    return folder


def _server(tmp_path_factory: pytest.TempPathFactory, app: str) -> Iterator[LabServer]:
    home = tmp_path_factory.mktemp(f"reopen-{app}")
    # Both default to {sys.prefix}/share/jupyter/lab/settings; Notebook 7's page reads its
    # settings from the jupyterlab server extension loaded beside it (LabApp).
    folder = _settings_dir(home)
    options = ["LabApp"] + (["JupyterNotebookApp"] if app == "notebook" else [])
    server = start_lab(
        home, app=app, extra_args=tuple(f"--{o}.app_settings_dir={folder}" for o in options)
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def lab4(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    yield from _server(tmp_path_factory, "jupyterlab")


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    module("notebook")
    yield from _server(tmp_path_factory, "notebook")


_SNAPSHOT_JS = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  for (const cell of nb.widgets) {
    if (cell.model.type !== 'code') continue;
    for (const o of cell.model.outputs.toJSON()) {
      const meta = (o.metadata || {}).cjm_widgets || {};
      if (meta.snapshot) return String((o.data || {})['text/html'] || '');
    }
  }
  return null;
}"""


def edit_save_reopen(
    page,
    server: LabServer,
    name: str,
    notebook7: bool,
    cells: tuple[str, ...] = (SETUP, SHOW),
    add_touchpoint_to: str | None = None,
) -> dict:
    """Run the notebook, edit by clicks, save, shut the kernel down, reopen. Returns the file."""
    write_notebook(server.root_dir, name, list(cells))
    open_notebook(page, server, name, notebook7=notebook7)
    run_all(page)
    ws = page.locator(".cjm-ws")
    ws.wait_for(timeout=60_000)
    editor, tagger = ws.locator(".cjm-editor"), ws.locator(".cjm-tagger")
    tagger.locator("tbody tr").first.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-curve .points_marks path').length > 0",
        timeout=60_000,
    )
    assert point(page, TP)["n"] == "2"
    # the live view hides the snapshot output printed below it
    assert not page.locator(".cjm-snapshot").first.is_visible()
    first = json.loads(run_python(page, "import json; print(json.dumps(journey.stages[0].name))"))
    tp_id = json.loads(run_python(page, "import json; print(json.dumps(tp.id))"))

    # rename the first stage on the board
    editor.locator(".cjm-stage-name").filter(has_text=first).first.dblclick()
    editor.locator("input.cjm-stage-name-input").wait_for()
    page.keyboard.type(NEW_NAME)
    page.keyboard.press("Enter")
    editor.locator(".cjm-stage-name", has_text=NEW_NAME).wait_for()
    if add_touchpoint_to:  # and a touchpoint added on the board
        editor.get_by_role("button", name=f"Add a touchpoint to '{add_touchpoint_to}'").click()
        editor.locator(".cjm-tp", has_text="New touchpoint").first.wait_for()
    # tag one quote to the slot picker with −2
    row = tagger.locator("tbody tr").nth(1)
    row.click()
    page.wait_for_selector(".cjm-tagger tbody tr.cjm-selected")
    tagger.get_by_label("Touchpoint to tag").select_option(tp_id)
    tagger.locator(".cjm-tagger-apply-tp").click()
    tagger.locator('.cjm-tagger-emo[data-emotion="-2"]').click()
    page.wait_for_function(
        f"name => {{ const p = ({POINT_JS})(name); return p && p.n === '3'; }}", arg=TP
    )
    # the snapshot output follows the clicks (published again by the kernel, no cell run)
    page.wait_for_function(
        f"() => {{ const h = ({_SNAPSHOT_JS})(); return !!h && h.includes({NEW_NAME!r}) "
        '&& /n: 3;[^"]*touchpoint: Delivery slot picker;/.test(h); }',
        timeout=30_000,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    path = server.root_dir / name
    page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000
    )
    saved = json.loads(path.read_text(encoding="utf-8"))

    # the kernel goes away; the notebook is opened again
    delete_sessions(server)
    page.goto("about:blank")
    open_notebook(page, server, name, notebook7=notebook7)
    return saved


def check_reopened(page, saved: dict, shot: str) -> None:
    assert "widgets" in saved["metadata"], "widget state was not saved"
    snapshot = next(
        "".join(o["data"]["text/html"])
        for c in saved["cells"]
        for o in c.get("outputs", [])
        if o.get("metadata", {}).get("cjm_widgets", {}).get("snapshot")
    )
    assert NEW_NAME in snapshot
    assert re.search(r'n: 3;[^"]*touchpoint: Delivery slot picker;', snapshot)
    ws = page.locator(".cjm-ws")
    ws.wait_for(timeout=60_000)
    editor = ws.locator(".cjm-editor")
    editor.locator(".cjm-stage-name", has_text=NEW_NAME).wait_for(timeout=60_000)
    page.wait_for_function(
        f"name => {{ const p = ({POINT_JS})(name); return p && p.n === '3'; }}",
        arg=TP,
        timeout=60_000,
    )
    notes = page.locator(".cjm-offline-note")
    assert notes.count() == 3  # board, curve, tagger
    assert notes.first.is_visible()
    assert "No kernel" in notes.first.inner_text()
    assert "model not found" not in page.locator("body").inner_text()
    assert not page.locator(".cjm-snapshot").first.is_visible()  # the views show instead
    screenshot_whole(page, ws, shot)


def test_reopen_in_jupyterlab(lab4, bare_page):
    saved = edit_save_reopen(bare_page, lab4, "reopen.ipynb", notebook7=False)
    check_reopened(bare_page, saved, "reopen_lab")


# The researcher's notebook: the journey and its tags in files opened idempotently at the top
OPEN_SETUP = """
import cjm_widgets as cjm

demo = cjm.datasets.demo()
journey = cjm.Journey.open("cjm-work/e2e.journey.json", "current_state", stages="five_stage",
                           title="First online grocery order")
tp = journey.add_touchpoint("Purchase", "Delivery slot picker", channel="mobile app")
turns = demo.interviews[demo.interviews["role"] == "participant"].copy()
ev = cjm.Evidence.from_frame(
    turns[["participant", "text", "household"]], text="text", participant="participant",
    source="interview", document="interviews",
).open_tags("cjm-work/e2e.tags.json")
# two earlier, positive tags: the point starts at +1 with n = 2 (a re-run tags nothing new)
ev.tag(ev.frame["evidence_id"].iloc[-2:].tolist(), journey=journey, touchpoint=tp, emotion=1)
"""
OPEN_SHOW = "ws = cjm.Workspace(journey, ev)\nws"
OPPORTUNITY = 'journey.add_opportunity("Show the delivery fee up front", tp, impact=4, effort=2)'


def test_open_pattern_reopens_and_runs_all_again_unchanged(lab4, bare_page):
    """Journey.open + open_tags: edit by clicks, save, kernel gone, reopen (the last state),
    then Run All in a new kernel: same board, same tags, same curve, one opportunity."""
    cells = (OPEN_SETUP, OPEN_SHOW, OPPORTUNITY)
    saved = edit_save_reopen(
        bare_page, lab4, "open.ipynb", notebook7=False, cells=cells, add_touchpoint_to="Retention"
    )
    check_reopened(bare_page, saved, "reopen_open_pattern")
    assert "New touchpoint" in bare_page.locator(".cjm-editor").inner_text()
    run_all(bare_page)  # a fresh kernel: the restart + Run All a researcher does
    bare_page.wait_for_function(
        f"name => {{ const p = ({POINT_JS})(name); return p && p.n === '3'; }}",
        arg=TP,
        timeout=60_000,
    )
    state = json.loads(
        run_python(
            bare_page,
            "import json; print(json.dumps({'stage': journey.stages[0].name, "
            "'opps': [o.text for o in journey.opportunities], "
            "'tps': [t.name for t in journey.touchpoints], "
            "'tagged': int(ev.tagged_mask.sum())}))",
        )
    )
    assert state["stage"] == NEW_NAME
    assert state["opps"] == ["Show the delivery fee up front"]
    assert state["tps"] == [TP, "New touchpoint"]
    assert state["tagged"] == 3
    assert bare_page.locator(".jp-OutputArea-output[data-mime-type*='stderr']").count() == 0
    assert "Traceback" not in bare_page.locator("body").inner_text()


def test_reopen_in_notebook7(notebook7, bare_page):
    saved = edit_save_reopen(bare_page, notebook7, "reopen7.ipynb", notebook7=True)
    assert "/notebooks/reopen7.ipynb" in bare_page.url
    check_reopened(bare_page, saved, "reopen_notebook7")


def test_nbconvert_export_requests_nothing(lab4, bare_page, tmp_path):
    """``nbconvert --execute`` (saves widget state), then ``--to html`` with the installed
    config, with and without the state: the page shows the snapshots and loads nothing."""
    source = write_notebook(
        tmp_path,
        "export.ipynb",
        [SETUP, SHOW, f"journey.rename_stage(journey.stages[0].id, {NEW_NAME!r})"],
    )
    config = tmp_path / "config"
    config.mkdir()
    shutil.copy(REPO_ROOT / "jupyter-config" / "jupyter_nbconvert_config.json", config)
    env = {**lab4.env, "JUPYTER_CONFIG_DIR": str(config)}

    def nbconvert(*args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "jupyter", "nbconvert", *args],
            check=True, env=env, cwd=tmp_path, capture_output=True, timeout=600,
        )  # fmt: skip

    nbconvert("--execute", "--to", "notebook", "--inplace", str(source))
    executed = json.loads(source.read_text(encoding="utf-8"))
    assert "widgets" in executed["metadata"]
    bare = dict(
        executed, metadata={k: v for k, v in executed["metadata"].items() if k != "widgets"}
    )
    (tmp_path / "bare.ipynb").write_text(json.dumps(bare), encoding="utf-8")
    for name in ("export", "bare"):
        nbconvert("--to", "html", f"{name}.ipynb")
        shutil.copy(tmp_path / f"{name}.html", lab4.root_dir / f"{name}.html")
        bare_page.goto(lab4.url(f"files/{name}.html"), wait_until="load")
        snap = bare_page.locator(".cjm-snapshot")
        snap.first.wait_for()
        assert snap.count() == 1
        assert snap.first.is_visible()
        assert NEW_NAME in snap.first.inner_text()
        assert snap.first.locator("svg").count() >= 1
        bare_page.wait_for_load_state("networkidle")  # every request made (guards check them)
