"""Excel export: long texts cut with a marker and a warning; the streamed workbook holds the
evidence exactly (issue 14, cases 4 and 10)."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import cjm_widgets as cjm
from cjm_widgets.export.excel import safe_cell

LIMIT = 32_767


def small_study(texts: list[str]) -> tuple[cjm.Journey, cjm.Evidence]:
    journey = cjm.Journey("Long texts")
    journey.add_stage("Stay")
    journey.add_touchpoint("Stay", "Room")
    ev = cjm.Evidence.from_frame(pd.DataFrame({"text": texts}), source="review")
    ev.tag(ev.column("evidence_id").tolist(), journey=journey, touchpoint="Room", emotion=-1)
    return journey, ev


def evidence_sheet(path) -> tuple[list[str], list[tuple]]:
    ws = load_workbook(path, read_only=True)["evidence"]
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[0]), rows[1:]


def test_a_text_over_the_cell_limit_is_cut_with_a_marker_and_a_warning(tmp_path):
    long = "word " * 9_000  # 45,000 characters
    journey, ev = small_study(["short", long, "x" * LIMIT])
    with pytest.warns(UserWarning, match=r"cut: rows 1 in 'evidence'") as caught:
        path = cjm.export.to_excel(journey, ev, tmp_path / "long.xlsx")
    message = str(caught[0].message)
    assert f"({LIMIT:,} characters)" in message and ev.column("evidence_id")[1] in message
    head, rows = evidence_sheet(path)
    texts = [r[head.index("text")] for r in rows]
    assert texts[0] == "short" and texts[2] == "x" * LIMIT  # at the limit: whole, no marker
    cut = texts[1]
    assert len(cut) == LIMIT
    assert cut.endswith("of 45,000 characters; the full text is in ev.frame]")
    kept = int(cut.rsplit("[cut: the first ", 1)[1].split(" of", 1)[0].replace(",", ""))
    assert cut.startswith(long[:kept]) and " … [cut: " in cut


def test_no_warning_when_every_text_fits(tmp_path):
    journey, ev = small_study(["a", "b" * 10_000])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cjm.export.to_excel(journey, ev, tmp_path / "fits.xlsx")


def test_safe_cell_cuts_long_text_too():
    value = safe_cell("=" + "y" * 40_000)
    assert value.startswith("'=yyy") and len(value) == LIMIT and "[cut: the first" in value


def test_streamed_workbook_holds_every_evidence_cell(tmp_path):
    demo = cjm.datasets.demo()
    journey, ev = demo.journey, demo.evidence()
    ids = ev.search("delivery")[:4]
    ev.tag(ids, touchpoint="Basket and payment", emotion=-2, labels=["pain point", "quote"],
           coder="AK")  # fmt: skip
    path = cjm.export.to_excel(journey, ev, tmp_path / "demo.xlsx")
    head, rows = evidence_sheet(path)
    frame = ev.frame
    names = {tp.id: tp.name for tp in journey.touchpoints}
    assert head[: len(frame.columns) + 2] != []  # a header
    assert len(rows) == len(frame)
    for column in frame.columns:
        got = [r[head.index(column)] for r in rows]
        want = [safe_cell(v) for v in frame[column].tolist()]
        if column == "tagged_at":  # Excel keeps milliseconds
            got = [g.replace(microsecond=0) if isinstance(g, dt.datetime) else g for g in got]
            want = [w.replace(microsecond=0) if isinstance(w, dt.datetime) else w for w in want]
        if frame[column].dtype.kind == "f":
            assert np.allclose(
                np.array([np.nan if g is None else g for g in got], dtype=float),
                np.array([np.nan if w is None else w for w in want], dtype=float),
                equal_nan=True,
            ), column
        else:
            assert got == [None if w == "" else w for w in want], column
    touchpoints = [r[head.index("touchpoint")] for r in rows]
    assert touchpoints == [names.get(t) for t in frame["touchpoint_id"].astype(object)]
    tagged = rows[int(ev.rows_of(ids[0])[0])]
    assert tagged[head.index("labels")] == "pain point; quote"
    assert isinstance(tagged[head.index("tagged_at")], dt.datetime)
