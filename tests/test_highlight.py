"""Highlighted touchpoints: ``EmotionCurve.highlight`` / ``JourneyEditor.highlight`` and the
Workspace's link from a theme selected on the affinity board to all its touchpoints."""

from __future__ import annotations

import json

import pytest
import traitlets
from test_themes import E, planted

import cjm_widgets as cjm
from cjm_widgets.analysis.theme_model import Themes


def fee_over_two_touchpoints():
    """The planted data with a third of the fee quotes tagged to Doorstep instead."""
    journey, ev, truth = planted()
    ev.tag([E(f"fee{i}") for i in range(8)], journey=journey, touchpoint="Doorstep", emotion=-2)
    return journey, ev, truth


def test_curve_and_board_take_names_or_ids_and_refuse_unknown_touchpoints():
    journey, ev, _ = planted()
    curve = cjm.EmotionCurve(journey, ev)
    editor = cjm.JourneyEditor(journey, evidence=ev)
    try:
        curve.highlight = ["Checkout", journey.touchpoint("Doorstep").id, "Checkout"]
        ids = [journey.touchpoint("Checkout").id, journey.touchpoint("Doorstep").id]
        assert curve.highlight == ids  # names turned into ids, each once
        with pytest.raises(traitlets.TraitError, match=r"highlight: .*Nowhere"):
            curve.highlight = ["Nowhere"]
        assert curve.highlight == ids  # nothing half-applied
        editor.highlight = "Checkout"  # one name alone is one touchpoint (traitlets' cast)
        assert editor.highlight == [journey.touchpoint("Checkout").id]
        editor.highlight = ["Slot picker"]
        assert editor.highlight == [journey.touchpoint("Slot picker").id]
        assert json.loads(json.dumps(editor.get_state()["highlight"])) == editor.highlight
    finally:
        curve.close()
        editor.close()


def test_the_curve_snapshot_draws_a_halo_for_each_highlighted_point():
    journey, ev, _ = planted()
    curve = cjm.EmotionCurve(journey, ev)
    try:
        halo = 'fill="#fbc02d"'
        assert curve._static_html().count(halo) == 0
        curve.highlight = ["Checkout", "Doorstep"]
        assert curve._static_html().count(halo) == 2
        params = {p["name"]: p.get("value") for p in curve._static_spec()["params"]}
        assert params["cjm_highlight"] == curve.highlight
        curve.highlight = []
        assert curve._static_html().count(halo) == 0
    finally:
        curve.close()


def test_selecting_a_theme_highlights_all_its_touchpoints_and_clearing_clears_them():
    journey, ev, _ = fee_over_two_touchpoints()
    board = Themes(ev, journey, rows="all")
    ws = cjm.Workspace(journey, ev, themes=board)
    try:
        fee = board.theme_of(E("fee0"))
        both = {journey.touchpoint("Checkout").id, journey.touchpoint("Doorstep").id}
        ws.curve.select("Slot picker")  # a point selected before: it belongs to another filter
        ws.board.selected = fee
        assert set(ws.curve.highlight) == both and set(ws.editor.highlight) == both
        assert ws.curve.selected is None
        assert ws.tagger.linked["origin"].startswith("theme")

        # the theme changes on the board: the highlight follows
        board.move(E("fee0"), board.theme_of(E("slot0")))
        for i in range(8):
            board.move(E(f"fee{i}"), board.theme_of(E("slot0")))
        assert ws.curve.highlight == [journey.touchpoint("Checkout").id]

        ws.board.selected = ""
        assert ws.curve.highlight == [] and ws.editor.highlight == []
        assert ws.tagger.linked is None

        # a click on a curve point replaces the theme's filter: theme and highlight go
        ws.board.selected = fee
        assert ws.curve.highlight
        ws.curve.select("Doorstep")
        assert ws.tagger.linked["origin"] == "curve"
        assert ws.board.selected == "" and ws.curve.highlight == [] and ws.editor.highlight == []

        # removing the theme's chip in the tagger clears it as well
        ws.board.selected = fee
        ws.tagger.unlink()
        assert ws.board.selected == "" and ws.curve.highlight == []
    finally:
        ws.close()
