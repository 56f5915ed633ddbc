"""Fixtures for real-browser tests: an isolated JupyterLab + headless Chromium via Playwright.

- ``lab`` (session): a JupyterLab on a free port with its own config/data/runtime/settings/
  workspace/IPython dirs; the kernel is this interpreter (``sys.executable``) with the checkout
  first on ``PYTHONPATH``. Under pytest-xdist a session is one worker: one Lab per worker.
- ``browser`` (session): Chromium at ``/usr/bin/chromium`` (or ``$CJM_CHROMIUM``), one per
  worker.
- ``page`` (function): a fresh browser context and page, a fresh kernel (all sessions deleted),
  baseline Lab settings (light theme). Guards, checked when the test body ends (a failure of
  the test) and again at teardown:
    * any request/websocket to a host other than 127.0.0.1/localhost (blob:/data: are fine);
    * any executed XSS payload: payloads call ``window.__cjm_pwned('<id>')``;
    * any ``alert()``/``confirm()``/``prompt()`` dialog.
  Console errors and uncaught page errors are collected in ``page_monitor`` for tests to assert
  on; they are attached to the report of a failing test.

Browser tests are marked ``browser``. Without Chromium (or the playwright package) they are
skipped, unless ``CI`` is set: then they fail, because CI must run them.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from needs import unavailable

from .lab import (
    CHROMIUM_ARGS,
    SCREENSHOT_DIR,
    LabServer,
    browser_unavailable_reason,
    chromium_path,
    delete_sessions,
    is_local_url,
    start_lab,
)

HERE = Path(__file__).resolve().parent

_reports_key = pytest.StashKey[dict[str, pytest.TestReport]]()

# Defines the XSS tripwire before any page script runs, in every frame.
_INIT_SCRIPT = """
(() => {
  if (window.__cjm_pwned) return;
  window.__cjm_xss = [];
  window.__cjm_pwned = function (id) {
    id = String(id);
    window.__cjm_xss.push(id);
    try { window.__cjm_report_xss(id); } catch (e) { /* binding not ready: the array has it */ }
  };
})();
"""


# --------------------------------------------------------------------------- collection


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") is None:
        return
    reason = browser_unavailable_reason()
    if reason is None:
        return
    unavailable(f"browser test: {reason}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    item.stash.setdefault(_reports_key, {})[report.when] = report
    return report


# --------------------------------------------------------------------------- monitor


@dataclass
class PageMonitor:
    """What one test's page did that the test itself did not ask for."""

    external_requests: list[str] = field(default_factory=list)
    xss: list[str] = field(default_factory=list)  # "<id> (frame url)"
    dialogs: list[str] = field(default_factory=list)  # "alert: message"
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    page: Any = None
    _reported: int = 0
    _window_seen: int = 0
    _unmatched_binding_ids: list[str] = field(default_factory=list)
    #: URL prefixes a host (not cjm-widgets) is known to request; a test that sets them blocks
    #: those requests itself and says why. Anything else non-local still fails the test.
    host_requests: tuple[str, ...] = ()
    blocked_host_requests: list[str] = field(default_factory=list)

    # -- recording

    def on_request(self, request: Any) -> None:
        if is_local_url(request.url):
            return
        if self.host_requests and request.url.startswith(self.host_requests):
            self.blocked_host_requests.append(request.url)
            return
        self.external_requests.append(f"{request.method} {request.url}")

    def on_websocket(self, ws: Any) -> None:
        if not is_local_url(ws.url):
            self.external_requests.append(f"WEBSOCKET {ws.url}")

    def on_xss(self, source: Any, payload_id: str) -> None:
        frame = source.get("frame") if isinstance(source, dict) else None
        self.xss.append(f"{payload_id} (frame {getattr(frame, 'url', '?')})")
        self._unmatched_binding_ids.append(payload_id)

    def on_framenavigated(self, frame: Any) -> None:
        if frame.parent_frame is None:  # a new main document: a new window.__cjm_xss
            self._window_seen = 0

    def on_dialog(self, dialog: Any) -> None:
        if dialog.type == "beforeunload":  # Lab asks before leaving a dirty notebook
            dialog.accept()
            return
        self.dialogs.append(f"{dialog.type}: {dialog.message!r}")
        dialog.dismiss()

    def on_console(self, msg: Any) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            where = f" ({loc.get('url', '')}:{loc.get('lineNumber', '')})" if loc else ""
            self.console_errors.append(f"{msg.text}{where}")

    def on_pageerror(self, error: Any) -> None:
        self.page_errors.append(f"{error.name}: {error.message}\n{error.stack or ''}".strip())

    # -- checking

    def sync(self) -> None:
        """Add payload ids the binding has not (yet) reported, from the main frame's array."""
        page = self.page
        if page is None or page.is_closed():
            return
        try:
            ids = page.evaluate("() => (window.__cjm_xss || []).slice()")
        except Exception:  # navigating / crashed: the binding records are what we have
            return
        fresh, self._window_seen = ids[self._window_seen :], len(ids)
        for payload_id in fresh:
            if payload_id in self._unmatched_binding_ids:
                self._unmatched_binding_ids.remove(payload_id)
            else:
                self.xss.append(f"{payload_id} (main frame)")

    def problems(self) -> list[str]:
        out = []
        if self.external_requests:
            out.append(
                "requests to non-local hosts (nothing may leave the machine):\n  "
                + "\n  ".join(dict.fromkeys(self.external_requests))
            )
        if self.xss:
            out.append("XSS payloads executed (window.__cjm_pwned):\n  " + "\n  ".join(self.xss))
        if self.dialogs:
            out.append("unexpected dialogs (counted as XSS):\n  " + "\n  ".join(self.dialogs))
        return out

    def fingerprint(self) -> int:
        return len(self.external_requests) + len(self.xss) + len(self.dialogs)

    def new_problems(self) -> list[str]:
        """Problems not reported yet (so teardown does not repeat the call-phase failure)."""
        if self.fingerprint() == self._reported:
            return []
        self._reported = self.fingerprint()
        return self.problems()

    def log_text(self) -> str:
        parts = []
        if self.page_errors:
            parts.append("page errors:\n" + "\n".join(self.page_errors))
        if self.console_errors:
            parts.append("console errors:\n" + "\n".join(self.console_errors))
        return "\n\n".join(parts)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    monitor = getattr(item, "funcargs", {}).get("page_monitor")
    try:
        result = yield
    except BaseException:
        if monitor is not None:
            monitor.sync()
            extra = "\n\n".join([*monitor.new_problems(), monitor.log_text()]).strip()
            if extra:
                item.add_report_section("call", "browser", extra)
        raise
    if monitor is not None:
        monitor.sync()
        problems = monitor.new_problems()
        if problems:
            pytest.fail("\n\n".join(problems), pytrace=False)
    return result


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """An isolated JupyterLab for the whole session (stopped by SIGTERM to its PID).

    Under pytest-xdist every worker is its own session, so each worker starts one Lab (on its
    own free port, in its own temp home) and its tests run one after another on it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # "gw0", "gw1", ... under xdist
    home = tmp_path_factory.mktemp(f"jupyterlab-{worker}")
    server = start_lab(home)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's, never a downloaded one) via Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(
            executable_path=chromium_path(), args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


@pytest.fixture
def page_monitor() -> PageMonitor:
    return PageMonitor()


@contextlib.contextmanager
def _guarded_page(
    request: pytest.FixtureRequest,
    browser: Any,
    page_monitor: PageMonitor,
    after: Any = None,
) -> Iterator[Any]:
    """A fresh page on a fresh context with every guard on; ``after()`` runs at teardown."""
    failure_shot = (
        SCREENSHOT_DIR / f"FAILED-{re.sub(r'[^A-Za-z0-9_.-]+', '_', request.node.name)}.png"
    )
    failure_shot.unlink(missing_ok=True)  # never leave a stale one from an earlier run

    context = browser.new_context(
        viewport={"width": 1400, "height": 1000},
        service_workers="block",  # so every request is seen by the listeners below
        color_scheme="light",
        reduced_motion="reduce",
    )
    context.set_default_timeout(30_000)
    context.add_init_script(_INIT_SCRIPT)
    context.expose_binding("__cjm_report_xss", page_monitor.on_xss)
    context.on("request", page_monitor.on_request)
    pg = context.new_page()
    page_monitor.page = pg
    pg.on("websocket", page_monitor.on_websocket)
    pg.on("dialog", page_monitor.on_dialog)
    pg.on("console", page_monitor.on_console)
    pg.on("pageerror", page_monitor.on_pageerror)
    pg.on("framenavigated", page_monitor.on_framenavigated)
    t0 = time.monotonic()
    try:
        yield pg
    finally:
        try:
            page_monitor.sync()
            reports = request.node.stash.get(_reports_key, {})
            call = reports.get("call")
            if call is not None and call.failed and not pg.is_closed():
                SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
                # A crashed page cannot be photographed; the report has the log then.
                with contextlib.suppress(Exception):
                    pg.screenshot(path=str(failure_shot), timeout=10_000)
        finally:
            context.close()
            if after is not None:
                after()
        request.node.user_properties.append(("browser_seconds", time.monotonic() - t0))
    problems = page_monitor.new_problems()
    if problems:
        pytest.fail("(after the test body)\n" + "\n\n".join(problems), pytrace=False)


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Any, lab: LabServer, page_monitor: PageMonitor
) -> Iterator[Any]:
    """A fresh page on a fresh context, a fresh kernel and baseline Lab settings."""
    if not lab.startup_reported:
        request.node.user_properties.append(("lab_startup_seconds", lab.startup_seconds))
        lab.startup_reported = True
    delete_sessions(lab)
    lab.reset_user_settings()
    with _guarded_page(request, browser, page_monitor, after=lambda: delete_sessions(lab)) as pg:
        yield pg


@pytest.fixture
def bare_page(
    request: pytest.FixtureRequest, browser: Any, page_monitor: PageMonitor
) -> Iterator[Any]:
    """A fresh guarded page without the session's JupyterLab (for other hosts' servers)."""
    with _guarded_page(request, browser, page_monitor) as pg:
        yield pg
