"""The behaviour lane under the curve in a real JupyterLab Workspace: clicking a touchpoint there
filters the tagger to its quotes and shows its flows; the kernel agrees."""

from __future__ import annotations

import json

import pytest

from .lab import open_notebook, run_all, run_python, screenshot_whole, write_notebook

pytestmark = pytest.mark.browser

SETUP = """
import pandas as pd
import cjm_widgets as cjm

demo = cjm.datasets.demo()
journey = demo.journey
turns = demo.interviews[demo.interviews["role"] == "participant"].copy()
ev = cjm.Evidence.from_frame(
    turns[["participant", "text", "household"]], text="text", participant="participant",
    source="interview", document="interviews",
)
tp = journey.touchpoint("Delivery slot picker")
ev.tag(ev.frame["evidence_id"].iloc[:3].tolist(), journey=journey, touchpoint=tp, emotion=-1)
tps = [t.id for t in journey.touchpoints]
rows = [(f"c{c}", t, f"2024-01-01T{s:02d}:{c % 60:02d}:00Z")
        for c in range(40) for s, t in enumerate(tps[: 1 + c % len(tps)])]
events = cjm.Events(pd.DataFrame(rows, columns=["case", "act", "ts"]), case="case",
                    activity="act", time="ts").map_to(journey, lambda a: a)
"""

SHOW = "ws = cjm.Workspace(journey, ev, events=events)\nws"


def py(page, expr: str):
    return json.loads(run_python(page, f"import json as _json\nprint(_json.dumps({expr}))"))


def test_behaviour_lane_under_the_curve_filters_tagger_and_shows_flows(lab, page):
    write_notebook(lab.root_dir, "behaviour.ipynb", [SETUP, SHOW])
    open_notebook(page, lab, "behaviour.ipynb")
    run_all(page)
    ws = page.locator(".cjm-ws")
    ws.wait_for(timeout=60_000)
    lane = ws.locator(".cjm-bl")
    lane.locator(".cjm-bl-cell").first.wait_for(timeout=60_000)
    ws.locator(".cjm-tagger tbody tr").first.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-curve .points_marks path').length > 0",
        timeout=60_000,
    )
    names = py(page, "[t.name for t in journey.touchpoints]")
    cells = lane.locator(".cjm-bl-cell")
    assert cells.count() == len(names)
    assert lane.locator(".cjm-bl-name").all_inner_texts() == names
    # the lane sits under the curve
    curve_box = ws.locator(".cjm-curve").bounding_box()
    lane_box = lane.bounding_box()
    assert curve_box and lane_box and lane_box["y"] >= curve_box["y"] + curve_box["height"] - 1
    # n in the lane is the kernel's reach
    cases = py(page, "cjm.reach(journey, events)['cases'].tolist()")
    first_n = cells.nth(0).locator(".cjm-bl-n").inner_text()
    assert first_n.startswith(f"{cases[0]} ·")

    # click "Delivery slot picker" in the lane: its flows show, the tagger filters to its quotes
    index = names.index("Delivery slot picker")
    cells.nth(index).click()
    lane.locator(".cjm-bl-flows tbody tr").first.wait_for(timeout=30_000)
    tp_id = py(page, "tp.id")
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-tagger tbody tr').length === 3", timeout=30_000
    )
    assert py(page, "ws.tagger.filters.get('touchpoint')") == tp_id
    assert py(page, "ws.behaviour.selected") == tp_id
    flows_in = py(
        page, "int(cjm.flows(journey, events).query('target_id == @tp.id')['count'].sum())"
    )
    shown = lane.locator(".cjm-bl-flows tr.cjm-bl-in td:nth-child(3)").all_inner_texts()
    assert sum(int(v) for v in shown) == flows_in
    assert cells.nth(index).get_attribute("aria-pressed") == "true"
    screenshot_whole(page, ws, "workspace_behaviour_lane")

    # clicking it again clears both
    cells.nth(index).click()
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-bl-flows').length === 0", timeout=30_000
    )
    assert py(page, "ws.tagger.filters.get('touchpoint')") is None
