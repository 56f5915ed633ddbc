"""Suite-wide settings: the order tests are handed to the workers, and a clean checkout.

``pytest`` runs on parallel workers (pytest-xdist: ``-n auto --dist loadgroup`` in
pyproject.toml; ``-n 0`` runs in one process). Each worker has its own JupyterLab and Chromium
for the browser tests (tests/browser/conftest.py).

Order: the few tests that take minutes start first, then the browser tests, then the many
short ones, so the workers finish together instead of one waiting on a long test at the end
(measured with ``pytest --durations=40``; the order changes speed only, never results:
every test is independent of the others). Modules whose expensive module- or session-scoped
fixture (a Spark session, an executed notebook, the XSS world) is shared by many tests run on
one worker, so that fixture is built once.

Clean checkout: when the session ends, ``git status`` must show nothing the run wrote
(see tests/worktree_guard.py); otherwise the run fails and names the files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from browser.lab import UPDATE_SCREENSHOTS_ENV
from worktree_guard import Snapshot, changes, snapshot

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

#: Tests that take one to several minutes each: started first (node-id prefixes, in order).
LONG_FIRST = (
    "tests/test_fuzz_output.py::test_hostile_text_through_every_output_does_not_abort",
    "tests/test_crash_and_resume.py::test_sigkill_mid_session_never_corrupts",
    "tests/test_events_spark.py::",
    "tests/test_notebooks.py::test_quickstart_run_all_twice",
)

#: Modules kept on one worker because their tests share a costly module/session fixture.
ONE_WORKER_MODULES = ("test_events_spark.py", "test_reopen.py", "test_xss.py")

_before_key = pytest.StashKey[Snapshot | None]()
_dirty_key = pytest.StashKey[list[str]]()
_startups: list[float] = []  # seconds each worker's JupyterLab took to answer


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _rank(item: pytest.Item) -> tuple[int, int]:
    for i, prefix in enumerate(LONG_FIRST):
        if item.nodeid.startswith(prefix):
            return (0, i)
    if TESTS / "browser" in Path(str(item.path)).resolve().parents:
        return (1, 0)
    return (2, 0)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # In a worker xdist sets --dist to "no" and keeps the choice as option "loadgroup".
    if getattr(config.option, "loadgroup", False):
        for item in items:
            if item.path.name in ONE_WORKER_MODULES:
                item.add_marker(pytest.mark.xdist_group(item.path.stem))
    items.sort(key=_rank)  # stable: the order within each rank is the collection order


def pytest_sessionstart(session: pytest.Session) -> None:
    if not _is_worker(session.config):
        session.config.stash[_before_key] = snapshot(REPO)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if _is_worker(config) or _before_key not in config.stash:
        return
    dirty = changes(config.stash[_before_key], snapshot(REPO))
    if os.environ.get(UPDATE_SCREENSHOTS_ENV, "").strip() == "1":  # asked for: new README images
        dirty = [
            d for d in dirty if not (d.split(" ", 1)[1].startswith("docs/") and d.endswith(".png"))
        ]
    config.stash[_dirty_key] = dirty
    if dirty and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # The browser tests' Lab starts in a worker (tests/browser/conftest.py); its startup time
    # reaches this process as a user property of the first test that used it.
    if report.when != "teardown":  # each phase's report carries the same properties
        return
    for name, value in report.user_properties:
        if name == "lab_startup_seconds":
            _startups.append(value)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if _startups:
        times = ", ".join(f"{t:.1f} s" for t in _startups)
        terminalreporter.write_line(
            f"browser tests: {len(_startups)} JupyterLab server(s) (one per worker) "
            f"started in {times}"
        )
    dirty = config.stash.get(_dirty_key, [])
    if dirty:
        terminalreporter.section("the tests changed the checkout", sep="=", red=True)
        for line in dirty:
            terminalreporter.write_line(f"  {line}")
        terminalreporter.write_line(
            "Tests must write into tmp_path (or test-artifacts/, which git ignores); README "
            "pictures go to docs/ only with CJM_UPDATE_SCREENSHOTS=1. If you edited these "
            "files yourself while the tests ran, run them again."
        )
