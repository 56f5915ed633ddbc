"""The project's habits: one version source, one home per analysis function, the licence."""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path

import pytest
from needs import module

import cjm_widgets as cjm

ROOT = Path(__file__).resolve().parents[1]


def test_the_version_has_one_source():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    assert "version" not in project, "the version is set in cjm_widgets/__init__.py only"
    assert "version" in project["dynamic"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "cjm_widgets/__init__.py"
    # what a build would stamp on the wheel is what the package says at run time
    hatch_core = module("hatchling.metadata.core")
    hatch_plugins = module("hatchling.plugin.manager")
    built = hatch_core.ProjectMetadata(str(ROOT), hatch_plugins.PluginManager()).version
    assert built == cjm.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+([.-]?\w+)*", cjm.__version__)
    init = (ROOT / "cjm_widgets" / "__init__.py").read_text(encoding="utf-8")
    assert len(re.findall(r"^__version__\s*=", init, flags=re.M)) == 1


ANALYSES = {
    "cjm_widgets.analysis": [
        "emotion_curve",
        "EmotionAggregate",
        "pain_points",
        "opportunities",
        "coverage",
        "compare",
        "agreement",
    ],
    "cjm_widgets.analysis.behaviour": [
        "reach",
        "funnel",
        "flows",
        "variants",
        "contacts",
        "compare_periods",
    ],
}


@pytest.mark.parametrize(
    ("package", "name"), [(p, n) for p, names in ANALYSES.items() for n in names]
)
def test_one_home_per_analysis_function(package, name):
    import importlib

    home = importlib.import_module(package)
    top = getattr(cjm, name)
    # the top level re-exports the very object: one definition, no copy or wrapper
    assert top is getattr(home, name)
    assert top.__module__.startswith(package + ".") or top.__module__ == package
    defined_in = Path(inspect.getsourcefile(top)).resolve()
    assert defined_in.is_relative_to(ROOT / "cjm_widgets" / "analysis")
    # and no other module of the package defines a function or class of that name
    pattern = re.compile(rf"^(def|class) {re.escape(name)}\b", re.M)
    homes = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "cjm_widgets").rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert homes == [defined_in.relative_to(ROOT).as_posix()]


def test_licence_file_matches_the_metadata():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == "BSD-3-Clause"
    assert "Copyright (c) 2026, cjm-widgets developers" in text
    assert "Redistribution and use in source and binary forms" in text
    assert "Neither the name of the copyright holder" in text


def test_changelog_names_this_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    assert f"## [{cjm.__version__}]" in text
