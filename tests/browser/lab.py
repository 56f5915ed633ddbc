"""Helpers for driving a real JupyterLab in headless Chromium (see tests/browser/conftest.py).

The recipe follows ``BROWSER_TESTING.md``: an isolated JupyterLab started by PID on a free
port, Playwright (sync API) driving Debian's Chromium, and the notebook driven through
``window.jupyterapp`` (exposed with ``--LabApp.expose_app_in_browser=True``) rather than by
typing, so tests do not depend on focus or the viewport.

Everything in here waits for a condition; nothing sleeps for a fixed time.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"  # ignored by git
SCREENSHOT_DIR = ARTIFACTS_DIR / "screenshots"

#: Set to 1 to let the README screenshot tests overwrite ``docs/*.png`` (tracked files);
#: otherwise they write to ``test-artifacts/screenshots/`` and the checkout stays clean.
UPDATE_SCREENSHOTS_ENV = "CJM_UPDATE_SCREENSHOTS"

#: Name of the kernelspec the isolated Lab uses. It shadows the built-in ``python3`` spec, so
#: notebooks with default metadata also run on the test's own interpreter.
KERNEL_NAME = "python3"

LIGHT_THEME = "JupyterLab Light"
DARK_THEME = "JupyterLab Dark"

#: Default time limits (milliseconds, Playwright's unit).
LAB_LOAD_TIMEOUT_MS = 60_000
KERNEL_TIMEOUT_MS = 60_000
EXECUTE_TIMEOUT_MS = 120_000

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# User settings written into the isolated JUPYTERLAB_SETTINGS_DIR before every test.
# (schema id -> settings); the file layout is <dir>/<package>/<plugin>.jupyterlab-settings.
BASELINE_SETTINGS: dict[str, dict[str, Any]] = {
    # All cells in the DOM, whatever the viewport (otherwise off-screen cells are missing).
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    # Never write the test notebooks behind our back.
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    # No requests to jupyter.org, no "would you like news?" toast.
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/apputils-extension:themes": {"theme": LIGHT_THEME, "adaptive-theme": False},
}

# Server-side configuration for the isolated JUPYTER_CONFIG_DIR.
SERVER_CONFIG: dict[str, Any] = {
    "LabApp": {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
    },
    "ServerApp": {"terminals_enabled": False},
    "MappingKernelManager": {"default_kernel_name": KERNEL_NAME},
}


# --------------------------------------------------------------------------- environment


def ci_mode() -> bool:
    """True when running in CI (env ``CI`` set to anything but empty/0/false/no)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def chromium_path() -> str:
    """The Chromium executable to drive (env ``CJM_CHROMIUM`` overrides ``/usr/bin/chromium``)."""
    return os.environ.get("CJM_CHROMIUM") or "/usr/bin/chromium"


def browser_unavailable_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    exe = chromium_path()
    if not (Path(exe).is_file() and os.access(exe, os.X_OK)):
        return (
            f"Chromium not found at {exe}"
            " (install it: apt-get install -y chromium; or set CJM_CHROMIUM)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[dev]')"
    return None


def is_local_url(url: str) -> bool:
    """True for URLs that stay on this machine: 127.0.0.1/localhost/::1, blob:, data:, about:."""
    scheme = url.partition(":")[0]
    scheme = scheme.lower()
    if scheme in ("blob", "data", "about"):
        return True
    if scheme not in ("http", "https", "ws", "wss"):
        return False
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host in ("127.0.0.1", "localhost", "::1")


# --------------------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _settings_file(settings_dir: Path, schema_id: str) -> Path:
    package, _, plugin = schema_id.partition(":")
    return settings_dir.joinpath(*package.split("/"), f"{plugin}.jupyterlab-settings")


@dataclass
class LabServer:
    """A running, isolated JupyterLab. Created by :func:`start_lab`."""

    base_url: str  # ends with "/"
    token: str
    root_dir: Path
    home: Path  # parent of all isolated dirs
    process: subprocess.Popen
    log_path: Path
    startup_seconds: float = 0.0
    startup_reported: bool = False  # the startup time has gone into a test report
    env: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def settings_dir(self) -> Path:
        return self.home / "lab-settings"

    def url(self, path: str, **query: str) -> str:
        """Absolute URL for a server path, with the token appended."""
        path = path.lstrip("/")
        params = "&".join(f"{k}={v}" if v != "" else k for k, v in query.items())
        sep = "&" if "?" in path else "?"
        extra = f"{params}&" if params else ""
        return f"{self.base_url}{path}{sep}{extra}token={self.token}"

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10.0) -> Any:
        """Call the REST API; returns decoded JSON (or None for an empty answer)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url + path.lstrip("/"),
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw.strip() else None

    def log_tail(self, n: int = 60) -> str:
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-n:])

    def reset_user_settings(self) -> None:
        """Rewrite the isolated user settings to the baseline (e.g. undo a theme change)."""
        shutil.rmtree(self.settings_dir, ignore_errors=True)
        for schema_id, values in BASELINE_SETTINGS.items():
            _write_json(_settings_file(self.settings_dir, schema_id), values)

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM the server (it shuts its kernels down), wait; SIGKILL after ``timeout``."""
        proc = self.process
        if proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # The server is the leader of its own process group (start_new_session=True).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _prepare_home(home: Path) -> dict[str, str]:
    """Create the isolated Jupyter/IPython dirs under ``home``; return the server's env."""
    dirs = {
        "JUPYTER_CONFIG_DIR": home / "jupyter-config",
        "JUPYTER_DATA_DIR": home / "jupyter-data",
        "JUPYTER_RUNTIME_DIR": home / "jupyter-runtime",
        "JUPYTERLAB_SETTINGS_DIR": home / "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": home / "lab-workspaces",
        "IPYTHONDIR": home / "ipython",
        "JUPYTER_PATH": home / "jupyter-path",
    }
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)

    _write_json(dirs["JUPYTER_CONFIG_DIR"] / "jupyter_server_config.json", SERVER_CONFIG)

    # The kernel is this very interpreter, with the checkout first on its path, so notebooks
    # import the cjm_widgets under test whatever else is installed.
    pythonpath = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    # JUPYTER_PATH comes first in every search, even before the venv's own share/jupyter
    # (which holds ipykernel's "python3" spec and wins over JUPYTER_DATA_DIR in a venv).
    _write_json(
        dirs["JUPYTER_PATH"] / "kernels" / KERNEL_NAME / "kernel.json",
        {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (cjm tests)",
            "language": "python",
            "env": {
                "PYTHONPATH": pythonpath,
                "PYDEVD_DISABLE_FILE_VALIDATION": "1",
                "CJM_TEST_KERNEL": "1",
            },
            "metadata": {"debugger": False},
        },
    )

    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.update({k: str(v) for k, v in dirs.items()})
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYTHONPATH"] = pythonpath
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_lab(
    home: Path,
    startup_timeout: float = 90.0,
    app: str = "jupyterlab",
    extra_args: tuple[str, ...] = (),
) -> LabServer:
    """Start an isolated JupyterLab under ``home`` and wait until ``/api/status`` answers.

    ``app="notebook"`` starts Jupyter Notebook 7 instead (same server, same isolation);
    ``extra_args`` are added to its command line."""
    expose = {
        "jupyterlab": "--LabApp.expose_app_in_browser=True",
        "notebook": "--JupyterNotebookApp.expose_app_in_browser=True",
    }[app]
    home.mkdir(parents=True, exist_ok=True)
    root_dir = home / "root"
    root_dir.mkdir(exist_ok=True)
    env = _prepare_home(home)
    last_error = ""
    for attempt in range(3):  # a free port can be taken between probing and binding
        port = _free_port()
        token = secrets.token_hex(24)
        log_path = home / f"{app}-{attempt}.log"
        cmd = [
            sys.executable,
            "-m",
            app,
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root_dir}",
            expose,
            "--ServerApp.allow_root=True",
            *extra_args,
        ]
        t0 = time.monotonic()
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                cmd,
                cwd=root_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = LabServer(
            base_url=f"http://127.0.0.1:{port}/",
            token=token,
            root_dir=root_dir,
            home=home,
            process=proc,
            log_path=log_path,
            env=env,
        )
        server.reset_user_settings()
        deadline = t0 + startup_timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                last_error = f"{app} exited with {proc.returncode}:\n{server.log_tail()}"
                break
            try:
                server.api("GET", "api/status", timeout=2)
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
                continue
            server.startup_seconds = time.monotonic() - t0
            return server
        else:
            server.stop()
            raise RuntimeError(
                f"JupyterLab did not answer /api/status within {startup_timeout}s:\n"
                f"{server.log_tail()}"
            )
    raise RuntimeError(last_error)


def start_app(
    home: Path, argv: list[str], name: str, root_dir: Path, startup_timeout: float = 90.0
) -> LabServer:
    """Start ``python <argv>`` (a web app such as Voila or marimo) with the isolated Jupyter
    environment of :func:`start_lab`; ``{port}`` in ``argv`` becomes a free port. Returns
    when the port accepts connections (the app's own pages may still be loading)."""
    import socket

    home.mkdir(parents=True, exist_ok=True)
    env = _prepare_home(home)
    last_error = ""
    for attempt in range(3):
        port = _free_port()
        log_path = home / f"{name}-{attempt}.log"
        cmd = [sys.executable, *(a.replace("{port}", str(port)) for a in argv)]
        t0 = time.monotonic()
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                cmd,
                cwd=root_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = LabServer(
            base_url=f"http://127.0.0.1:{port}/",
            token="",
            root_dir=root_dir,
            home=home,
            process=proc,
            log_path=log_path,
            env=env,
        )
        while time.monotonic() < t0 + startup_timeout:
            if proc.poll() is not None:
                last_error = f"{name} exited with {proc.returncode}:\n{server.log_tail()}"
                break
            with socket.socket() as probe:
                probe.settimeout(1)
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    server.startup_seconds = time.monotonic() - t0
                    return server
            time.sleep(0.1)
        else:
            server.stop()
            raise RuntimeError(
                f"{name} did not listen within {startup_timeout}s:\n{server.log_tail()}"
            )
    raise RuntimeError(last_error)


def delete_sessions(lab: LabServer) -> int:
    """Delete every session and kernel, so the next notebook gets a fresh kernel."""
    n = 0
    for s in lab.api("GET", "api/sessions") or []:
        with contextlib.suppress(urllib.error.HTTPError):
            lab.api("DELETE", f"api/sessions/{s['id']}", timeout=30)
            n += 1
    for k in lab.api("GET", "api/kernels") or []:
        with contextlib.suppress(urllib.error.HTTPError):
            lab.api("DELETE", f"api/kernels/{k['id']}", timeout=30)
    return n


# --------------------------------------------------------------------------- notebooks


def write_notebook(root_dir: Path | str, name: str, cells: Iterable[Any]) -> Path:
    """Write ``name`` (relative to the Lab root) with one code cell per string in ``cells``.

    Items may also be ready-made nbformat cells (e.g. ``nbformat.v4.new_markdown_cell(...)``).
    """
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": "Python 3 (cjm tests)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) if isinstance(c, str) else c for c in cells]
    nbformat.validate(nb)
    path = Path(root_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


_WAIT_NOTEBOOK_JS = """
(name) => {
  const app = window.jupyterapp;
  const w = app && app.shell && app.shell.currentWidget;
  if (!w || !w.context || w.context.path !== name || !w.context.isReady) return false;
  if (!w.content || !w.content.model) return false;
  const sc = w.sessionContext;
  const k = sc && sc.session && sc.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}
"""


_STATE_JS = """
() => {
  const app = window.jupyterapp;
  const w = app && app.shell && app.shell.currentWidget;
  if (!w) return {app: !!app, widget: null};
  const sc = w.sessionContext;
  const k = sc && sc.session && sc.session.kernel;
  const nb = w.content;
  return {
    path: w.context && w.context.path,
    kernel: k ? {name: k.name, status: k.status, connection: k.connectionStatus} : null,
    prompts: nb && nb.node
      ? [...nb.node.querySelectorAll('.jp-InputPrompt')].map(p => p.textContent.trim())
      : null,
  };
}
"""


def lab_state(page: Any) -> dict[str, Any]:
    """What the page shows right now (current document, kernel, prompts), for error messages."""
    try:
        return page.evaluate(_STATE_JS)
    except Exception as exc:  # the page may be gone; say so rather than hide the first error
        return {"error": repr(exc)}


@contextlib.contextmanager
def _explain_timeout(page: Any, what: str) -> Iterator[None]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        yield
    except PlaywrightTimeout as exc:
        raise AssertionError(
            f"timed out waiting for {what}; page state: {lab_state(page)}"
        ) from exc


def open_notebook(
    page: Any,
    lab: LabServer,
    name: str,
    timeout_ms: int = LAB_LOAD_TIMEOUT_MS,
    notebook7: bool = False,
) -> None:
    """Open ``name`` in a fresh Lab workspace (or, with ``notebook7``, in Jupyter Notebook 7's
    notebook page) and wait for the document and an idle kernel."""
    if notebook7:
        page.goto(lab.url(f"notebooks/{name}"), wait_until="domcontentloaded")
    else:
        page.goto(lab.url(f"lab/tree/{name}", reset=""), wait_until="domcontentloaded")
    with _explain_timeout(page, f"Jupyter to open {name} with an idle kernel"):
        page.wait_for_function(
            "() => !!(window.jupyterapp && window.jupyterapp.shell)", timeout=timeout_ms
        )
        page.wait_for_function(_WAIT_NOTEBOOK_JS, arg=name, timeout=timeout_ms, polling=100)
    # The cells are drawn (windowingMode "none" puts them all in the DOM).
    page.wait_for_function(
        """() => {
          const nb = window.jupyterapp.shell.currentWidget.content;
          return nb.widgets.length === nb.model.cells.length
            && nb.node.querySelectorAll('.jp-Cell').length === nb.model.cells.length;
        }""",
        timeout=timeout_ms,
        polling=100,
    )


def _raise_cell_errors(errors: list[dict[str, Any]]) -> None:
    if not errors:
        return
    parts = []
    for e in errors:
        tb = "\n".join(e.get("traceback") or [])
        tb = re.sub(r"\x1b\[[0-9;]*m", "", tb)  # strip ANSI colours
        parts.append(f"cell {e['index']}: {e['ename']}: {e['evalue']}\n{tb}")
    raise AssertionError("notebook cell raised:\n" + "\n\n".join(parts))


_CELL_ERRORS_JS = """
() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const errors = [];
  for (let i = 0; i < nb.widgets.length; i++) {
    const m = nb.widgets[i].model;
    if (m.type !== 'code') continue;
    for (const o of m.outputs.toJSON()) {
      if (o.output_type === 'error') {
        errors.push({index: i, ename: o.ename, evalue: o.evalue, traceback: o.traceback});
      }
    }
  }
  return errors;
}
"""


def run_all(page: Any, timeout_ms: int = EXECUTE_TIMEOUT_MS, raise_on_error: bool = True) -> None:
    """Run every cell and wait until all have executed (counts set, no ``[*]``, kernel idle)."""
    # The command's promise resolves once NotebookActions.runAll has finished; it is recorded
    # in a flag so the bounded wait below can see it (page.evaluate itself has no timeout).
    page.evaluate(
        """() => {
          const flag = window.__cjm_run_all = {done: false, error: null};
          window.jupyterapp.commands.execute('notebook:run-all-cells').then(
            () => { flag.done = true; },
            (e) => { flag.done = true; flag.error = String(e && e.stack || e); });
        }"""
    )
    with _explain_timeout(page, "all cells to finish running"):
        _wait_run_all(page, timeout_ms)
    failure = page.evaluate("() => window.__cjm_run_all.error")
    if failure:
        raise AssertionError(f"notebook:run-all-cells failed: {failure}")
    if raise_on_error:
        _raise_cell_errors(page.evaluate(_CELL_ERRORS_JS))


def _wait_run_all(page: Any, timeout_ms: int) -> None:
    page.wait_for_function(
        """() => {
          if (!window.__cjm_run_all.done) return false;
          const w = window.jupyterapp.shell.currentWidget;
          const nb = w.content;
          const k = w.sessionContext.session && w.sessionContext.session.kernel;
          if (!k || k.status !== 'idle') return false;
          const prompts = [...nb.node.querySelectorAll('.jp-InputPrompt')].map(p => p.textContent);
          if (prompts.some(t => t.includes('*'))) return false;
          let errored = false;
          for (const c of nb.widgets) {
            if (c.model.type !== 'code' || c.model.sharedModel.getSource().trim() === '') continue;
            if (c.model.outputs.toJSON().some(o => o.output_type === 'error')) errored = true;
            if (c.model.executionCount === null && !errored) return false;
          }
          return true;
        }""",
        timeout=timeout_ms,
        polling=100,
    )


_RUN_PYTHON_JS = """
async ([code, timeoutMs]) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  const nb = panel.content;
  const model = nb.model;
  const index = model.cells.length;
  model.sharedModel.insertCell(index, {cell_type: 'code', source: code, metadata: {}});
  nb.activeCellIndex = index;
  nb.deselectAll();
  nb.mode = 'command';
  const run = app.commands.execute('notebook:run-cell', {activate: false});
  let timer;
  const timeout = new Promise((_, reject) => {
    const error = new Error(`run_python: no result after ${timeoutMs} ms`);
    timer = setTimeout(() => reject(error), timeoutMs);
  });
  try {
    await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
  const cell = nb.widgets[index];
  return {index, executionCount: cell.model.executionCount, outputs: cell.model.outputs.toJSON()};
}
"""


def run_python(page: Any, code: str, timeout_ms: int = EXECUTE_TIMEOUT_MS) -> str:
    """Append a code cell to the open notebook, run it and return its text output.

    The text is stdout followed by the ``text/plain`` of any result, stripped. A Python
    exception becomes an ``AssertionError`` carrying the traceback; stderr is ignored.
    """
    res = page.evaluate(_RUN_PYTHON_JS, [code, timeout_ms])
    errors = [{"index": res["index"], **o} for o in res["outputs"] if o["output_type"] == "error"]
    _raise_cell_errors(errors)
    if res["executionCount"] is None:
        raise AssertionError(f"run_python: cell was not executed: {res}")
    text = []
    for o in res["outputs"]:
        if o["output_type"] == "stream" and o.get("name") == "stdout":
            text.append(_joined(o["text"]))
        elif o["output_type"] in ("execute_result", "display_data"):
            plain = o.get("data", {}).get("text/plain")
            if plain is not None:
                text.append(_joined(plain) + "\n")
    return "".join(text).strip()


def _joined(v: str | list[str]) -> str:
    return v if isinstance(v, str) else "".join(v)


def cell_output(page: Any, index: int) -> Any:
    """Locator of the output area of cell ``index`` (negative counts from the end)."""
    cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    cell = cells.nth(index) if index >= 0 else cells.nth(cells.count() + index)
    return cell.locator(".jp-OutputArea")


# --------------------------------------------------------------------------- looks


def set_theme(page: Any, theme: str, timeout_ms: int = 30_000) -> None:
    """Switch JupyterLab's theme ("JupyterLab Light" / "JupyterLab Dark") and wait for it."""
    page.evaluate(
        "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", theme
    )
    page.wait_for_function(
        """(theme) => {
          const b = document.body;
          if (b.dataset.jpThemeName !== theme) return false;
          // The theme's stylesheet is applied: its layout colour is defined.
          return getComputedStyle(b).getPropertyValue('--jp-layout-color0').trim() !== '';
        }""",
        arg=theme,
        timeout=timeout_ms,
        polling=100,
    )
    # Let style recalculation and paint happen before anyone screenshots or reads colours.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def set_dark_theme(page: Any) -> None:
    set_theme(page, DARK_THEME)


def set_light_theme(page: Any) -> None:
    set_theme(page, LIGHT_THEME)


def readme_image(name: str) -> Path:
    """Where a README picture taken by a test goes: ``docs/<name>`` (tracked) only when
    ``CJM_UPDATE_SCREENSHOTS=1``, else ``test-artifacts/screenshots/readme-<name>`` (ignored),
    so that running the tests never changes the checkout."""
    if os.environ.get(UPDATE_SCREENSHOTS_ENV, "").strip() == "1":
        target = REPO_ROOT / "docs" / name
    else:
        target = SCREENSHOT_DIR / f"readme-{name}"
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def screenshot(locator: Any, name: str) -> Path:
    """Save a PNG of one element to ``test-artifacts/screenshots/<name>.png``; return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "shot"
    path = SCREENSHOT_DIR / f"{safe}.png"
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=str(path), animations="disabled")
    return path


def screenshot_whole(page: Any, locator: Any, name: str, width: int = 1700) -> Path:
    """Screenshot all of one widget: the viewport is made tall (and wide) enough first."""
    page.mouse.move(0, 0)
    size = page.viewport_size
    height = int(locator.evaluate("el => el.getBoundingClientRect().height"))
    page.set_viewport_size(
        {"width": max(size["width"], width), "height": max(size["height"], height + 420)}
    )
    try:
        return screenshot(locator, name)
    finally:
        page.set_viewport_size(size)
