"""What a test needs from outside the repo, one rule for all: skip on a laptop, fail in CI.

A fresh clone may lack ``../shared/data`` (the real survey and reviews) or an optional module;
there the test skips with a reason that says how to get it. Under CI (env ``CI`` set to anything
but empty/0/false/no) every such test must run, so a missing piece is a failure, never a skip.

    from needs import real_data, module
    path = real_data("airline_passenger_satisfaction_train.csv.gz")
    hypothesis = module("hypothesis")
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType

import pytest
from browser.lab import ci_mode  # the one definition of "in CI" (benchmarks use lab.py too)

#: ``../shared/data`` beside the checkout, unless ``CJM_DATA_DIR`` names another folder.
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def unavailable(reason: str) -> None:
    """Skip the test for ``reason`` — or fail it under CI, where everything must run."""
    if ci_mode():
        pytest.fail(f"must run in CI, but {reason}", pytrace=False)
    pytest.skip(reason)


def data_dir() -> Path:
    """The folder of the real data (``CJM_DATA_DIR`` or ``../shared/data``)."""
    env = os.environ.get("CJM_DATA_DIR")
    return Path(env) if env else DEFAULT_DATA_DIR


def real_data(name: str) -> Path:
    """The path of the real data file ``name``; skip without it (fail under CI)."""
    path = data_dir() / name
    if not path.exists():
        unavailable(f"real data {name} not found in {path.parent} (set CJM_DATA_DIR to its folder)")
    return path


def module(name: str) -> ModuleType:
    """Import ``name``; skip when it is not installed (fail under CI)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        unavailable(f"{name} is not installed (pip install -e '.[dev]')")
        raise  # unreachable: unavailable() always raises
