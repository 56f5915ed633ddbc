"""Smoke test of the browser-test machinery itself (no cjm_widgets needed)."""

from __future__ import annotations

import sys

import pytest

from .lab import (
    DARK_THEME,
    LIGHT_THEME,
    REPO_ROOT,
    cell_output,
    open_notebook,
    run_all,
    run_python,
    screenshot,
    set_theme,
    write_notebook,
)

pytestmark = pytest.mark.browser

SMOKE_HTML = (
    '<div class="cjm-smoke" style="color: var(--jp-ui-font-color1)">'
    "smoke &lt;b&gt;literal&lt;/b&gt;</div>"
)


def test_notebook_runs_and_state_reads_back(lab, page, page_monitor):
    write_notebook(
        lab.root_dir,
        "smoke.ipynb",
        [
            "x = 6 * 7\nprint('hello from the kernel')",
            f"from IPython.display import HTML, display\ndisplay(HTML({SMOKE_HTML!r}))",
        ],
    )
    open_notebook(page, lab, "smoke.ipynb")
    run_all(page)

    out0 = cell_output(page, 0)
    assert "hello from the kernel" in out0.inner_text()
    smoke = page.locator(".jp-OutputArea-output .cjm-smoke")
    smoke.wait_for()
    assert smoke.inner_text() == "smoke <b>literal</b>"

    # Python state comes back through a new cell.
    assert run_python(page, "print(x)") == "42"
    assert run_python(page, "x + 1") == "43"
    # The kernel is the test's own interpreter.
    assert run_python(page, "import sys; print(sys.executable)") == sys.executable
    assert run_python(page, "import os; print(os.environ.get('CJM_TEST_KERNEL'))") == "1"
    # ... and finds the checkout's package (located, not imported: it may be mid-change).
    where = run_python(page, "import importlib.util as u; print(u.find_spec('cjm_widgets').origin)")
    assert where == str(REPO_ROOT / "cjm_widgets" / "__init__.py")
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        run_python(page, "1 / 0")

    # Theme switching changes what the CSS variables resolve to.
    def colour() -> str:
        return smoke.evaluate("el => getComputedStyle(el).color")

    light = colour()
    screenshot(smoke, "smoke-light")
    set_theme(page, DARK_THEME)
    dark = colour()
    screenshot(smoke, "smoke-dark")
    assert light != dark
    set_theme(page, LIGHT_THEME)
    assert colour() == light

    assert page_monitor.page_errors == []


def test_isolated_lab_settings_apply(lab, page):
    """The settings and server config written into the isolated dirs are the ones in force."""
    write_notebook(lab.root_dir, "settings.ipynb", ["pass"])
    open_notebook(page, lab, "settings.ipynb")
    got = page.evaluate(
        """async () => {
          const nb = window.jupyterapp.shell.currentWidget.content;
          const config = JSON.parse(document.getElementById('jupyter-config-data').textContent);
          const registry = window.jupyterapp.serviceManager.settings;
          const user = async (id) => (await registry.fetch(id)).settings;
          return {
            windowingMode: nb.notebookConfig.windowingMode,
            newsDisabled: config.news && config.news.disabled,
            docmanager: await user('@jupyterlab/docmanager-extension:plugin'),
            notification: await user('@jupyterlab/apputils-extension:notification'),
            theme: document.body.dataset.jpThemeName,
          };
        }"""
    )
    assert got == {
        "windowingMode": "none",
        "newsDisabled": True,
        "docmanager": {"autosave": False},
        "notification": {"fetchNews": "false", "checkForUpdates": False},
        "theme": LIGHT_THEME,
    }
    assert str(lab.root_dir) not in str(REPO_ROOT) and REPO_ROOT not in lab.root_dir.parents
    status = lab.api("GET", "api/status")
    assert status["kernels"] == 1


def test_fresh_kernel_per_test(lab, page):
    """The previous test's variables are gone: every test gets a new kernel."""
    write_notebook(lab.root_dir, "fresh.ipynb", ["y = 1"])
    open_notebook(page, lab, "fresh.ipynb")
    run_all(page)
    assert run_python(page, "print('x' in globals())") == "False"


def test_guards_see_xss_dialogs_and_external_requests(lab, page, page_monitor):
    """The page fixture's tripwires work (this test clears them again, so it passes)."""
    payload = (
        "window.__cjm_pwned('probe');"
        " fetch('http://192.0.2.1/probe').catch(() => { window.__probe_done = true; });"
        " alert('hi')"
    )
    html = f'<img src=x onerror="{payload}">'
    write_notebook(
        lab.root_dir,
        "guards.ipynb",
        [f"from IPython.display import HTML, display\ndisplay(HTML({html!r}))"],
    )
    open_notebook(page, lab, "guards.ipynb")
    run_all(page)
    page.wait_for_function("() => window.__probe_done === true")
    page_monitor.sync()
    assert [x.split(" ")[0] for x in page_monitor.xss] == ["probe"]
    assert page_monitor.dialogs == ["alert: 'hi'"]
    assert page_monitor.external_requests == ["GET http://192.0.2.1/probe"]
    assert len(page_monitor.problems()) == 3
    page_monitor.xss.clear()
    page_monitor.dialogs.clear()
    page_monitor.external_requests.clear()
