"""The widgets outside JupyterLab: Jupyter Notebook 7, marimo and Voila, in headless Chromium.

- Notebook 7: the Workspace's loop — tag a quote by clicks, the curve's point gains it, Python
  sees the tag.
- marimo (``marimo run`` of ``hosts/marimo_app.py``): the tagger and the live curve as
  ``mo.ui.anywidget``; a tag by clicks repaints the curve and a reactive cell sees it.
- Voila: the quickstart rendered as an app shows the map, the workspace and the curve, with no
  error output.

The guards of ``conftest.py`` apply to every page: no request to a non-local URL, no executed
payload, no dialog.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from needs import module

from .lab import (
    REPO_ROOT,
    LabServer,
    run_all,
    run_python,
    screenshot_whole,
    start_app,
    start_lab,
    write_notebook,
)
from .lab import open_notebook as open_in_jupyter
from .test_workspace_browser import SETUP, point

pytestmark = pytest.mark.browser

HOSTS = Path(__file__).resolve().parent / "hosts"


def curve_version(page) -> int:
    return int(page.locator(".cjm-curve").first.get_attribute("data-version") or 0)


def wait_until(check, what: str, timeout: float = 30.0) -> None:
    """Poll ``check()`` through Playwright locators, which also see into shadow roots (marimo
    renders each widget in one, where ``document.querySelector`` cannot reach)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def wait_version_above(page, version: int, timeout: float = 30.0) -> None:
    wait_until(lambda: curve_version(page) > version, f"the curve to repaint after {version}")


# ----------------------------------------------------------------------------- Notebook 7


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    module("notebook")
    server = start_lab(tmp_path_factory.mktemp("notebook7"), app="notebook")
    try:
        yield server
    finally:
        server.stop()


def test_workspace_in_notebook7(notebook7, bare_page):
    page = bare_page
    write_notebook(notebook7.root_dir, "ws.ipynb", [SETUP, "ws = cjm.Workspace(journey, ev)\nws"])
    open_in_jupyter(page, notebook7, "ws.ipynb", notebook7=True)
    assert "/notebooks/ws.ipynb" in page.url  # Notebook 7's own page, not JupyterLab
    run_all(page)
    ws = page.locator(".cjm-ws")
    ws.wait_for(timeout=60_000)
    tagger = ws.locator(".cjm-tagger")
    tagger.locator("tbody tr").first.wait_for(timeout=60_000)
    ws.locator(".cjm-editor").wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-curve .points_marks path').length > 0",
        timeout=60_000,
    )
    assert point(page, "Delivery slot picker")["n"] == "2"

    row = tagger.locator("tbody tr").nth(1)
    evidence_id = row.get_attribute("data-id")
    row.click()
    page.wait_for_selector(".cjm-tagger tbody tr.cjm-selected")
    tp_id = json.loads(run_python(page, "import json; print(json.dumps(tp.id))"))
    tagger.get_by_label("Touchpoint to tag").select_option(tp_id)
    tagger.locator(".cjm-tagger-apply-tp").click()
    version = curve_version(page)
    tagger.locator('.cjm-tagger-emo[data-emotion="-2"]').click()
    wait_version_above(page, version)
    page.wait_for_function(
        "() => { const m = [...document.querySelectorAll('.cjm-curve .points_marks path')]"
        ".find(p => (p.getAttribute('aria-label') || '').includes('Delivery slot picker'));"
        " return !!m && /(?:^|; )n: 3(?:;|$)/.test(m.getAttribute('aria-label')); }"
    )
    stored = run_python(
        page,
        "row = ev.frame.set_index('evidence_id').loc["
        f"{evidence_id!r}]\nprint(row['touchpoint_id'], row['emotion'])",
    )
    assert stored.split() == [tp_id, "-2.0"]
    screenshot_whole(page, ws, "notebook7_workspace")


# ----------------------------------------------------------------------------- marimo


def test_tagger_and_curve_in_marimo(tmp_path, bare_page):
    module("marimo")
    page = bare_page
    app = HOSTS / "marimo_app.py"
    server = start_app(
        tmp_path,
        [
            *("-m", "marimo", "run", str(app), "--headless", "--no-token"),
            *("--host", "127.0.0.1", "--port", "{port}"),
        ],
        "marimo",
        root_dir=tmp_path,
    )
    try:
        page.goto(server.base_url, wait_until="domcontentloaded")
        # marimo puts each widget in a shadow root: locators (not document queries) see in
        page.locator(".cjm-tagger tbody tr").first.wait_for(timeout=90_000)
        page.locator(".cjm-curve[data-version]").wait_for(timeout=90_000)
        page.locator(".cjm-curve .points_marks path").first.wait_for(timeout=60_000)

        def rated_rows(reads: int) -> int:
            """Press the app's button; its cell reads the evidence in the kernel."""
            page.get_by_role("button", name="Read the evidence").click()
            shown = page.get_by_text(f"Read {reads} times.")
            shown.wait_for()
            return int(re.findall(r"\d+", shown.inner_text())[-1])

        before = rated_rows(1)

        tagger = page.locator(".cjm-tagger")
        tagger.locator("tbody tr").nth(1).click()  # a participant's answer, untagged
        selected = tagger.locator("tbody tr.cjm-selected")
        selected.wait_for()
        tagger.get_by_label("Touchpoint to tag").select_option(label="Instagram ad")
        tagger.locator(".cjm-tagger-apply-tp").click()
        wait_until(
            lambda: "Instagram ad" in selected.first.inner_text(), "the row's new touchpoint"
        )
        version = curve_version(page)
        tagger.locator('.cjm-tagger-emo[data-emotion="-2"]').click()
        wait_version_above(page, version)
        assert rated_rows(2) == before + 1  # the kernel has the tag
        emotion = selected.first.locator(".cjm-tagger-emotion")
        assert emotion.get_attribute("data-value") == "-2"
        screenshot_whole(page, page.locator("body"), "marimo_app")
    finally:
        server.stop()


# ----------------------------------------------------------------------------- Voila


#: Voila's own page templates (lab, classic, reveal) link Font Awesome from jsdelivr. Blocked
#: here: the page must work without it, and nothing else may leave the machine.
VOILA_FONT_AWESOME = (
    "https://cdn.jsdelivr.net/npm/@fortawesome/",
    "https://cdn.jsdelivr.net/npm/font-awesome@",
)


def test_quickstart_as_a_voila_app(tmp_path, bare_page, page_monitor):
    module("voila")
    page = bare_page
    page_monitor.host_requests = VOILA_FONT_AWESOME
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
    shutil.copy(REPO_ROOT / "notebooks" / "quickstart.ipynb", tmp_path / "quickstart.ipynb")
    server = start_app(
        tmp_path / "home",
        [
            *("-m", "voila", "quickstart.ipynb", "--no-browser", "--port={port}"),
            *("--Voila.ip=127.0.0.1", "--show_tracebacks=True"),
        ],
        "voila",
        root_dir=tmp_path,
    )
    try:
        page.goto(server.base_url, wait_until="domcontentloaded", timeout=180_000)
        # the static map, the workspace's board, tagger and live curve
        page.wait_for_selector(".cjm-map", timeout=180_000)
        page.wait_for_selector(".cjm-ws .cjm-editor", timeout=180_000)
        page.wait_for_selector(".cjm-ws .cjm-tagger tbody tr", timeout=180_000)
        page.wait_for_function(
            "() => document.querySelectorAll('.cjm-curve .points_marks path').length > 0",
            timeout=180_000,
        )
        # the run finished (the last cell shows a Finnish map) and no cell failed
        page.wait_for_function(
            "() => document.body.innerText.includes('Ensimmäinen verkkokauppatilaus')",
            timeout=180_000,
        )
        text = page.locator("body").inner_text()
        assert "Traceback" not in text
        assert page.locator(".jp-OutputArea-output[data-mime-type*='stderr']").count() == 0
        assert (tmp_path / "cjm-work" / "grocery_report.html").exists()
        assert all(url.startswith(VOILA_FONT_AWESOME) for url in page_monitor.blocked_host_requests)
        screenshot_whole(page, page.locator("body"), "voila_quickstart")
    finally:
        server.stop()
