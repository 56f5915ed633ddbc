"""The researcher's own labels: add, rename, merge, colours; undo/redo, the tags file, errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cjm_widgets.errors import SchemaError, TagError
from cjm_widgets.evidence import Evidence
from cjm_widgets.evidence._labels import PALETTE


def make_ev(n: int = 12) -> Evidence:
    df = pd.DataFrame(
        {
            "evidence_id": [f"e{i}" for i in range(n)],
            "source": "review",
            "document": "reviews.csv",
            "participant": [f"P{i}" for i in range(n)],
            "text": [f"text {i}" for i in range(n)],
        }
    )
    return Evidence(df)


def labels_of(ev: Evidence) -> dict[str, tuple[str, ...]]:
    frame = ev.frame
    return dict(zip(frame["evidence_id"], frame["labels"], strict=True))


def test_add_rename_keeps_rows_and_colour() -> None:
    ev = make_ev()
    assert ev.add_label("slow refund") is not None
    assert ev.add_label("Slow  refund") is None  # the same label (case, spaces): no change
    ev.tag(["e1", "e2"], labels="slow refund")
    colour = ev.label_colour("slow refund")
    assert colour in PALETTE
    ev.rename_label("slow refund", "refund delay")
    assert labels_of(ev)["e1"] == ("refund delay",)
    assert ev.label_colour("refund delay") == colour
    table = ev.labels.set_index("label")
    assert "slow refund" not in table.index
    assert table.loc["refund delay", "rows"] == 2
    assert not table.loc["refund delay", "builtin"]
    # run again (a cell re-run): nothing happens
    n = len(ev.history)
    assert ev.rename_label("slow refund", "refund delay") is None
    assert len(ev.history) == n
    assert list(ev.history["action"])[-1] == "rename label"


def test_merge_moves_rows_and_retires_sources() -> None:
    ev = make_ev()
    ev.tag(["e1", "e2"], labels="refund delay")
    ev.tag(["e2", "e3"], labels="money back")
    ev.tag(["e4"], labels="pain point")
    change = ev.merge_labels(["refund delay", "money back"], into="refunds")
    assert change is not None and sorted(change.ids.tolist()) == ["e1", "e2", "e3"]
    got = labels_of(ev)
    assert got["e1"] == got["e2"] == got["e3"] == ("refunds",)
    assert got["e4"] == ("pain point",)
    table = ev.labels.set_index("label")
    assert "refund delay" not in table.index and "money back" not in table.index
    assert table.loc["refunds", "rows"] == 3
    # every count agrees with a pandas count over the frame
    frame = ev.frame
    for label, row in table.iterrows():
        assert row["rows"] == int(frame["labels"].map(lambda t, x=label: x in t).sum())
    assert ev.merge_labels(["refund delay", "money back"], into="refunds") is None  # re-run
    # a merged label comes back when something is tagged with it again
    ev.tag(["e5"], labels="money back")
    assert "money back" in set(ev.labels["label"])


def test_merge_into_an_existing_label_and_into_a_builtin() -> None:
    ev = make_ev()
    ev.tag(["e1"], labels="a")
    ev.tag(["e2"], labels="b")
    ev.merge_labels(["a", "b"], into="a")
    assert labels_of(ev)["e2"] == ("a",)
    ev.merge_labels(["a"], into="pain point")
    assert labels_of(ev)["e1"] == ("pain point",) == labels_of(ev)["e2"]


def test_each_edit_is_one_undo_step() -> None:
    ev = make_ev()
    ev.tag(["e1", "e2"], labels="x")
    ev.tag(["e3"], labels="y")
    before = labels_of(ev)
    ev.set_label_colour("x", "#123456")
    ev.rename_label("x", "xx")
    ev.merge_labels(["xx", "y"], into="z")
    assert labels_of(ev)["e3"] == ("z",)
    ev.undo()  # the merge
    assert labels_of(ev)["e3"] == ("y",) and labels_of(ev)["e1"] == ("xx",)
    assert set(ev.labels["label"]) >= {"xx", "y"} and "z" not in set(ev.labels["label"])
    ev.undo()  # the rename
    assert labels_of(ev) == before
    assert ev.label_colour("x") == "#123456"
    ev.undo()  # the colour
    assert ev.label_colour("x") in PALETTE
    ev.redo()
    ev.redo()
    ev.redo()
    assert labels_of(ev)["e1"] == ("z",)
    assert "xx" not in set(ev.labels["label"])


def test_save_and_reopen_keeps_names_colours_and_merges(tmp_path) -> None:
    ev = make_ev()
    ev.tag(["e1"], labels="a")
    ev.tag(["e2"], labels="b")
    ev.add_label("empty one", colour="#abcdef")
    ev.merge_labels(["a", "b"], into="ab")
    ev.set_label_colour("ab", "#e15")
    ev.set_label_colour("quote", "#00aa00")
    path = ev.save_tags(tmp_path / "t.tags.json")
    data = json.loads(path.read_text())
    assert data["labels"] == ["empty one", "ab"]
    assert data["label_colours"]["ab"] == "#ee1155"
    again = make_ev()
    again.load_tags(path)
    table = again.labels.set_index("label")
    assert list(table.index) == [*table.index[:5], "empty one", "ab"]
    assert "a" not in table.index and "b" not in table.index
    assert table.loc["ab", "colour"] == "#ee1155"
    assert table.loc["empty one", "colour"] == "#abcdef"
    assert table.loc["quote", "colour"] == "#00aa00"
    assert labels_of(again)["e2"] == ("ab",)


def test_errors_name_the_problem_and_change_nothing() -> None:
    ev = make_ev()
    ev.tag(["e1"], labels="a")
    ev.tag(["e2"], labels="b")
    n = len(ev.history)
    with pytest.raises(TagError, match=r"Unknown label 'nope'.*'a'"):
        ev.rename_label("nope", "c")
    with pytest.raises(TagError, match=r"merge_labels\(\['a'\], into='b'\)"):
        ev.rename_label("a", "B")
    with pytest.raises(TagError, match="built-in"):
        ev.rename_label("pain point", "pains")
    with pytest.raises(TagError, match="built-in"):
        ev.merge_labels(["quote", "a"], into="b")
    with pytest.raises(TagError, match="Unknown label 'zz'"):
        ev.merge_labels(["a", "zz"], into="b")
    with pytest.raises(TagError, match="hex colour"):
        ev.set_label_colour("a", "red")
    with pytest.raises(TagError, match="Unknown label"):
        ev.set_label_colour("zz", "#fff")
    assert len(ev.history) == n
    assert labels_of(ev)["e1"] == ("a",) and labels_of(ev)["e2"] == ("b",)


def test_a_bad_colour_in_the_file_names_its_path(tmp_path) -> None:
    ev = make_ev()
    ev.tag(["e1"], labels="a")
    path = ev.save_tags(tmp_path / "t.json")
    data = json.loads(path.read_text())
    data["label_colours"]["a"] = "blue"
    path.write_text(json.dumps(data))
    with pytest.raises(SchemaError, match=r"label_colours\['a'\]"):
        make_ev().load_tags(path)


def test_label_counts_of_rows() -> None:
    ev = make_ev()
    ev.tag(["e1", "e2"], labels=["a", "b"])
    ev.tag(["e3"], labels="b")
    codes = [ev.label_names.index("a"), ev.label_names.index("b")]
    assert ev.label_counts(codes) == [2, 3]
    assert ev.label_counts(codes, rows=np.array([2, 3])) == [1, 2]
