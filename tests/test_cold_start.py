"""Cold start: what `import cjm_widgets` and the first widgets load, in fresh processes.

Each check runs in a new Python process (a fresh kernel imports nothing of ours yet), so the
modules it reports are the ones that path really loads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from needs import module

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("altair", "scipy", "jsonschema", "duckdb", "ibis", "sklearn", "vl_convert", "lark")


def run_fresh(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON object, returned here."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_journey_editor_loads_no_chart_statistics_or_engine_library():
    got = run_fresh(
        "import json, sys\n"
        "import cjm_widgets as cjm\n"
        "journey = cjm.Journey.from_template('current_state', stages='seven_stage')\n"
        "editor = cjm.JourneyEditor(journey)\n"
        "editor._repr_mimebundle_()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{HEAVY!r})))\n"
    )
    assert got == []


def test_workspace_loads_altair_but_not_scipy_stats_nor_the_iri_grammars():
    got = run_fresh(
        "import json, sys\n"
        "import cjm_widgets as cjm\n"
        "from cjm_widgets._deferred import is_deferred\n"
        "demo = cjm.datasets.demo()\n"
        "ws = cjm.Workspace(demo.journey, demo.evidence())\n"
        "print(json.dumps({'altair': 'altair' in sys.modules,\n"
        "  'stats': 'scipy.stats' in sys.modules, 'lark': 'lark' in sys.modules,\n"
        "  'deferred': is_deferred(), 'points': len(ws.curve._values)}))\n"
    )
    assert got["altair"] and got["points"] > 0  # the curve is drawn
    assert not got["stats"]  # scipy.stats only for a comparison (welch)
    assert not got["lark"] and got["deferred"]  # rfc3987_syntax's grammars not compiled


IRI_CASES = [
    "http://example.com/päth?q=1",
    "https://例え.jp/パス",
    "http://exa mple.com/",
    "not an iri",
    "//relative/ref",
    "mailto:someone@example.org",
    "http://[::1]:80/",
    "http://example.com/%zz",
    "",
]

CHECK_IRIS = (
    "import json, sys\n"
    "{before}\n"
    "import jsonschema\n"
    "checker = jsonschema.Draft202012Validator.FORMAT_CHECKER\n"
    "cases = {cases!r}\n"
    "result = {{f: [checker.conforms(c, f) for c in cases] for f in ('iri', 'iri-reference')}}\n"
    "result['formats'] = sorted(checker.checkers)\n"
    "result['real'] = type(sys.modules.get('rfc3987_syntax')).__name__\n"
    "print(json.dumps(result))\n"
)


def test_deferring_rfc3987_syntax_keeps_what_jsonschema_validates():
    module("rfc3987_syntax")
    plain = run_fresh(CHECK_IRIS.format(before="", cases=IRI_CASES))
    ours = run_fresh(
        CHECK_IRIS.format(
            before="import cjm_widgets\nfrom cjm_widgets._deferred import is_deferred\n"
            "assert is_deferred()",
            cases=IRI_CASES,
        )
    )
    assert "iri" in plain["formats"]  # the format is registered with the real module …
    assert ours["formats"] == plain["formats"]  # … and with the stand-in
    assert ours["iri"] == plain["iri"]
    assert ours["iri-reference"] == plain["iri-reference"]
    assert plain["iri"].count(False) >= 2  # the cases do tell valid from invalid
    assert ours["real"] == "module"  # the first check loaded the real module


def test_a_module_imported_first_is_left_alone():
    got = run_fresh(
        "import json, sys\n"
        "sys.modules['rfc3987_syntax'] = type(sys)('rfc3987_syntax')\n"
        "mine = sys.modules['rfc3987_syntax']\n"
        "import cjm_widgets\n"
        "from cjm_widgets._deferred import is_deferred\n"
        "print(json.dumps([is_deferred(), sys.modules['rfc3987_syntax'] is mine]))\n"
    )
    assert got == [False, True]


def test_the_live_curve_spec_is_valid_vega_lite():
    """The widget builds its spec with validate=False (speed); the schema still holds."""
    import altair as alt

    import cjm_widgets as cjm

    demo = cjm.datasets.demo()
    curve = cjm.EmotionCurve(demo.journey, demo.evidence(), by="household")
    try:
        full = {**curve._spec, "data": {"name": "curve", "values": curve._values}}
        alt.LayerChart.from_dict(full, validate=True)  # raises SchemaValidationError if not
        broken = {**full, "layer": [{**full["layer"][0], "mark": {"type": "nonsense"}}]}
        with pytest.raises(Exception, match="nonsense"):
            alt.LayerChart.from_dict(broken, validate=True)
    finally:
        curve.close()
