"""cjm.themes (grouping quotes into candidate themes) and the Themes board model."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pandas as pd
import pytest

import cjm_widgets as cjm
from cjm_widgets.analysis.theme_model import UNSORTED, Themes, ThemesError, sidecar_path
from cjm_widgets.analysis.themes import THEME_COLUMNS, themes
from cjm_widgets.errors import EvidenceError

# Five planted topics: each quote takes topic words and shares filler with every other topic.
TOPICS = {
    "fee": ["delivery fee", "surcharge", "fee shown late", "extra charge", "service fee"],
    "slot": ["evening slot", "time window", "slot full", "booking a slot", "no slots left"],
    "courier": ["courier friendly", "driver polite", "courier smiled", "driver helped", "courier"],
    "app": ["app crashed", "login failed", "app froze", "password reset", "app update"],
    "fresh": ["bananas bruised", "milk expired", "bread stale", "fresh produce", "salad wilted"],
}
FILLER = ["honestly", "the order", "last week", "my family", "overall", "again", "when I"]
FIRST_TP = {"fee": "Checkout", "slot": "Slot picker", "courier": "Doorstep"}


def planted(n_per: int = 24, seed: int = 1) -> tuple[cjm.Journey, cjm.Evidence, dict[str, str]]:
    rng = random.Random(seed)
    rows, truth = [], {}
    for topic, words in TOPICS.items():
        for i in range(n_per):
            text = " ".join(
                [rng.choice(FILLER), *rng.sample(words, 3), rng.choice(FILLER), rng.choice(FILLER)]
            )
            eid = f"{topic}{i}"
            rows.append({"eid": eid, "who": f"P{i % 6}", "text": text})
            truth[f"review:{eid}"] = topic  # from_frame prefixes the source
    rng.shuffle(rows)
    ev = cjm.Evidence.from_frame(pd.DataFrame(rows), id="eid", participant="who")
    journey = cjm.Journey("Grocery")
    journey.add_stage("Purchase")
    journey.add_stage("Delivery")
    journey.add_touchpoint("Purchase", "Checkout")
    journey.add_touchpoint("Purchase", "Slot picker")
    journey.add_touchpoint("Delivery", "Doorstep")
    for topic, tp in FIRST_TP.items():
        ids = [e for e, t in truth.items() if t == topic]
        ev.tag(ids, journey=journey, touchpoint=tp, emotion=-1 if topic == "fee" else 1)
    return journey, ev, truth


def E(eid: str) -> str:
    """The evidence id of a planted quote."""
    return f"review:{eid}"


def purity(frame: pd.DataFrame, truth: dict[str, str]) -> float:
    """Share of quotes whose theme's majority topic is their own topic."""
    good = 0
    for ids in frame["evidence_ids"]:
        topics = [truth[i] for i in ids]
        good += max(topics.count(t) for t in set(topics))
    return good / len(truth)


def test_themes_finds_the_planted_topics_and_says_n_and_intervals():
    journey, ev, truth = planted()
    th = themes(ev, rows="all", journey=journey)
    assert list(th.columns) == list(THEME_COLUMNS)
    assert len(th) == 5  # chosen automatically (silhouette), the five planted topics
    assert purity(th, truth) >= 0.95
    assert th["size"].sum() + len(th.attrs["unthemed"]) == len(truth) == th.attrs["n_quotes"]
    assert list(th["size"]) == sorted(th["size"], reverse=True)
    assert th.attrs["silhouette"][5] == max(th.attrs["silhouette"].values())
    fee = th[th["evidence_ids"].map(lambda ids: truth[ids[0]] == "fee")].iloc[0]
    assert fee["touchpoints"][0] == "Checkout"
    assert fee["emotion_mean"] == pytest.approx(-1.0) and fee["emotion_n"] >= 20
    assert -2 <= fee["emotion_ci_low"] <= fee["emotion_mean"] <= fee["emotion_ci_high"] <= 2
    names = " ".join(th["name"])
    for word in ("fee", "slot", "app"):
        assert word in names
    app = th[th["evidence_ids"].map(lambda ids: truth[ids[0]] == "app")].iloc[0]
    assert app["touchpoints"] == [] and app["emotion_n"] == 0 and math.isnan(app["emotion_mean"])
    for ids, quotes in zip(th["quote_ids"], th["quotes"], strict=True):
        assert len(ids) == 3 and len(quotes) == 3
        assert quotes[0] == ev.frame.set_index("evidence_id").loc[ids[0], "text"]


def test_themes_is_deterministic_and_takes_n_subset_and_embed():
    _journey, ev, truth = planted()
    a, b = themes(ev, rows="all"), themes(ev, rows="all")
    assert a["evidence_ids"].tolist() == b["evidence_ids"].tolist()
    assert a["name"].tolist() == b["name"].tolist()
    three = themes(ev, rows="all", n_themes=3, min_size=1)
    assert len(three) == 3 and three.attrs["silhouette"] == {}
    tagged = themes(ev)  # default: the tagged rows only (fee, slot, courier)
    assert {truth[i] for ids in tagged["evidence_ids"] for i in ids} == {"fee", "slot", "courier"}
    subset = [e for e, t in truth.items() if t in ("app", "fresh")]
    two = themes(ev, rows=subset, n_themes=2)
    assert purity(two, {e: truth[e] for e in subset}) == 1.0

    topics = sorted(TOPICS)

    def embed(texts: list[str]) -> np.ndarray:  # a stand-in model: one axis per topic word
        return np.array(
            [[sum(w in t for w in TOPICS[k]) + 0.01 for k in topics] for t in texts], float
        )

    embedded = themes(ev, rows="all", embed=embed, n_themes=5)
    assert embedded.attrs["method"] == "embed-kmeans" and purity(embedded, truth) >= 0.95


@pytest.mark.parametrize(
    ("texts", "language", "word"),
    [
        (["Toimitusmaksu oli liian kallis", "Kuljettaja oli ystävällinen"], "fi", "toimitusmaksu"),
        (["Leveransavgiften var för hög", "Chauffören var vänlig"], "sv", "leveransavgiften"),
        (["Opłata za dostawę była za wysoka", "Kierowca był miły i uprzejmy"], "pl", "opłata"),
        (["Caj penghantaran terlalu mahal", "Pemandu sangat mesra dan sopan"], "ms", "caj"),
    ],
)
def test_themes_in_the_template_languages(texts, language, word):
    rows = [f"{texts[i % 2]} {i % 7}" for i in range(40)]
    ev = cjm.Evidence.from_frame(pd.DataFrame({"text": rows}))
    th = themes(ev, rows="all", n_themes=2, language=language)
    assert len(th) == 2 and sorted(th["size"]) == [20, 20]
    assert any(word in terms for terms in th["top_terms"])
    assert not any(t in ("oli", "var", "był", "dan") for terms in th["top_terms"] for t in terms)


def test_themes_bad_input_names_the_problem_and_the_way_out():
    _, ev, _ = planted(n_per=4)
    with pytest.raises(EvidenceError, match="whole number"):
        themes(ev, rows="all", n_themes=0)
    with pytest.raises(EvidenceError, match="Unknown language 'de'"):
        themes(ev, rows="all", language="de")
    with pytest.raises(EvidenceError, match=r"Too few quotes.*rows='all'"):
        themes(ev, rows=[E("fee0"), E("fee1")])
    with pytest.raises(EvidenceError, match="one value per evidence row"):
        themes(ev, rows=np.ones(3, dtype=bool))
    with pytest.raises(cjm.TagError, match="unknown evidence id"):
        themes(ev, rows=["nope"])
    digits = cjm.Evidence.from_frame(pd.DataFrame({"text": ["1 2 3", "x 4"] * 4}))
    with pytest.raises(EvidenceError, match="no words to group"):
        themes(digits, rows="all")
    with pytest.raises(EvidenceError, match=r"shape \(20, d\)"):
        themes(ev, rows="all", embed=lambda texts: np.ones((2, 3)))
    with pytest.warns(UserWarning, match="no 'text' text"):
        blank = cjm.Evidence.from_frame(pd.DataFrame({"text": ["a b"] * 3 + [""] * 5}))
    with pytest.raises(EvidenceError, match="No tagged quotes"):
        themes(blank)


def board() -> tuple[cjm.Journey, cjm.Evidence, Themes, dict[str, str]]:
    journey, ev, truth = planted()
    return journey, ev, Themes(ev, journey, rows="all"), truth


def test_board_model_edits_and_undo():
    _journey, _ev, b, _truth = board()
    first, second = b.themes[0], b.themes[1]
    quote = first["ids"][-1]
    b.move(quote, second["id"])
    assert b.theme_of(quote) == second["id"] and b.theme(second["id"])["ids"][0] == quote
    b.rename(second["id"], "  Fees   shown late ")
    assert b.theme("Fees shown late")["id"] == second["id"]
    with pytest.raises(ThemesError, match="already called"):
        b.rename(first["id"], "fees shown late")
    b.pin(quote)
    assert b.theme(second["id"])["pinned"] == [quote]
    other = b.theme(second["id"])["ids"][3]
    b.move(other, second["id"], index=0)
    assert b.theme(second["id"])["ids"][:2] == [quote, other]  # pinned stays on top
    b.merge(first["id"], into=second["id"])
    assert first["id"] not in [t["id"] for t in b.themes]
    merged = b.theme(second["id"])["ids"]
    assert set(first["ids"]) <= set(merged) and len(merged) == len(set(merged))
    new = b.split(second["id"], [other], name="Other")
    assert b.theme(new)["ids"] == [other]
    with pytest.raises(ThemesError, match="not in the theme"):
        b.split(second["id"], ["fee0-missing"])
    before = b.themes
    with pytest.raises(ThemesError, match="No theme 'nope'"):
        b.move(quote, "nope")
    assert b.themes == before  # nothing half-applied
    steps = 0
    while b.undo():
        steps += 1
    assert steps == 6 and b.themes[0]["ids"] == first["ids"] and not b.can_undo
    assert b.redo() and b.theme_of(quote) == second["id"]


def test_split_by_kmeans_and_recluster_keeps_pinned():
    _journey, _ev, b, truth = board()
    fee, slot = (b.theme_of(E(f"{t}0")) for t in ("fee", "slot"))
    b.merge(slot, into=fee)
    new = b.split(fee)
    halves = [{truth[i] for i in b.theme(t)["ids"]} for t in (fee, new)]
    assert sorted(map(sorted, halves)) == [["fee"], ["slot"]]
    b.rename(fee, "My fees")
    b.pin(E("fee3"))
    b.recluster()
    kept = b.theme("My fees")
    assert kept["ids"] == [E("fee3")] == kept["pinned"]
    assert sum(len(t["ids"]) for t in b.themes) == len(truth)
    b.undo()
    assert b.theme("My fees")["ids"][0] == E("fee3") and len(b.theme("My fees")["ids"]) > 1


def test_to_label_pain_point_and_opportunity_are_undoable():
    journey, ev, b, _truth = board()
    fee = b.theme_of(E("fee0"))
    b.rename(fee, "Fees")
    b.to_label(fee)
    ids = b.theme(fee)["ids"]
    assert ev.frame.set_index("evidence_id").loc[ids, "labels"].map(lambda x: "Fees" in x).all()
    ev.undo()
    assert not ev.frame["labels"].map(lambda x: "Fees" in x).any()
    stage = b.to_pain_point(fee)
    assert stage == journey.stage("Purchase").id
    assert "Fees" in journey.cell("Purchase", "pain_points")
    journey.undo()
    assert "Fees" not in journey.cell("Purchase", "pain_points")
    opp = b.to_opportunity(fee, impact=4)
    assert opp.touchpoints == [journey.touchpoint("Checkout").id] and opp.impact == 4
    journey.undo()
    assert not journey.opportunities
    app = b.theme_of(E("app0"))
    with pytest.raises(ThemesError, match=r"no touchpoint.*stage="):
        b.to_pain_point(app)


def test_the_sidecar_keeps_what_the_researcher_last_saw(tmp_path):
    journey, ev, _truth = planted()
    tags = tmp_path / "g.tags.json"
    path = sidecar_path(tags)
    assert path.name == "g.themes.json"
    b = Themes.open(path, ev, journey, rows="all")
    b.rename(b.theme_of(E("fee0")), "Fees")
    b.move(E("app1"), b.theme_of(E("fee0")))
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["kind"] == "cjm-themes"
    again = Themes.open(path, ev, journey)  # a re-run: the file wins, nothing regrouped
    assert again.themes == b.themes and again.theme_of(E("app1")) == again.theme("Fees")["id"]
    (tmp_path / "bad.themes.json").write_text("[1]")
    with pytest.raises(cjm.SchemaError, match="not a themes file"):
        Themes.open(tmp_path / "bad.themes.json", ev, journey)


def test_unsorted_holds_quotes_of_small_groups():
    journey, ev, truth = planted()
    th = themes(ev, rows="all", n_themes=8, min_size=30)
    assert th.empty or (th["size"] >= 30).all()
    b = Themes.from_frame(ev, th, journey)
    assert b.themes[0]["id"] == UNSORTED
    assert sum(len(t["ids"]) for t in b.themes) == len(truth)


def test_affinity_board_widget_shows_the_model_and_calls_it(tmp_path):
    journey, ev, truth = planted()
    ev.open_tags(tmp_path / "g.tags.json")
    b = cjm.AffinityBoard(journey, ev, rows="all")
    try:
        assert b.model.path == tmp_path / "g.themes.json" and b.model.path.exists()
        assert [c["id"] for c in b.columns] == [t["id"] for t in b.model.themes]
        assert len(b._cards) == len(truth)
        text, who, source, tp, emotion = b._cards[E("fee0")]
        assert tp == "Checkout" and emotion == -1.0 and who.startswith("P")
        assert text == ev.frame.set_index("evidence_id").loc[E("fee0"), "text"]
        assert source == "review"
        fee = b.model.theme_of(E("fee0"))
        app = b.model.theme_of(E("app0"))
        reply = b._dispatch(
            {"type": "call", "id": 1, "method": "move", "args": {"id": E("fee0"), "theme": app}}
        )
        assert reply["ok"], reply
        col = next(c for c in b.columns if c["id"] == app)
        assert col["ids"][0] == E("fee0") and col["touchpoints"] == ["Checkout"]
        b._dispatch(
            {"type": "call", "id": 2, "method": "rename", "args": {"theme": fee, "name": "Fees"}}
        )
        assert next(c for c in b.columns if c["id"] == fee)["name"] == "Fees"
        bad = b._dispatch(
            {"type": "call", "id": 3, "method": "merge", "args": {"theme": fee, "into": fee}}
        )
        assert not bad["ok"] and "into itself" in b.error
        b._dispatch({"type": "call", "id": 4, "method": "undo", "args": {}})
        assert next(c for c in b.columns if c["id"] == fee)["name"] != "Fees"
        assert b.can_redo
        ev.tag(E("app0"), journey=journey, touchpoint="Doorstep", emotion=2)
        assert b._cards[E("app0")][3] == "Doorstep"  # the board follows the tags
        assert "Checkout" in b._static_html()
        json.dumps(b.get_state(), default=str)
    finally:
        b.close()
    again = cjm.AffinityBoard(journey, ev)  # a re-run: the sidecar wins
    assert again.model.theme_of(E("fee0")) == app
    again.close()


def test_the_board_escapes_quote_text():
    rows = ["<img src=x onerror=alert(1)> fee fee"] * 4 + ["slot slot <b>bold</b>"] * 4
    ev = cjm.Evidence.from_frame(pd.DataFrame({"text": rows}))
    journey = cjm.Journey("J")
    b = cjm.AffinityBoard(journey, ev, rows="all", n_themes=2, min_size=1)
    html = b._static_html()
    assert "<img" not in html and "&lt;img src=x" in html and "<b>" not in html
    b.close()


def test_workspace_links_a_selected_theme_to_the_tagger_and_the_curve():
    journey, ev, truth = planted()
    board = Themes(ev, journey, rows="all")
    ws = cjm.Workspace(journey, ev, themes=board)
    try:
        assert [k for k, _ in ws._pane_list][-1] == "board" and ws.board.model is board
        fee = board.theme_of(E("fee0"))
        ws.board.selected = fee
        shown = set(ws.tagger.evidence._ids_of(ws.tagger._match))
        assert shown == set(board.theme(fee)["ids"])
        assert ws.tagger.linked["label"].startswith("From theme “")
        assert ws.tagger.linked["label"].endswith(f"{len(shown)} quotes")
        assert ws.curve.highlight == [journey.touchpoint("Checkout").id]
        assert ws.curve.selected is None  # highlighted, not selected (see test_highlight.py)
        ws.board.selected = ""
        assert ws.tagger.linked is None and ws.tagger.matching_count == len(truth)
    finally:
        ws.close()
    plain = cjm.Workspace(journey, ev)
    assert plain.board is None and [k for k, _ in plain._pane_list] == [
        "editor",
        "curve",
        "tagger",
    ]
    plain.close()


def test_report_has_a_themes_section_with_quotes_in_context(tmp_path):
    journey, ev, _ = planted()
    ev.tag(E("fee1"), journey=journey, emotion=2)  # one quote differs: a real interval
    board = Themes(ev, journey, rows="all")
    fee = board.theme_of(E("fee0"))
    board.rename(fee, "Fees <script>")
    board.pin(E("fee5"))
    path = cjm.export.html_report(journey, ev, tmp_path / "r.html", themes=board)
    page = path.read_text(encoding="utf-8")
    assert '<section id="themes"' in page and 'href="#themes"' in page
    assert "<script>" not in page and "Fees &lt;script&gt;" in page
    part = page[page.index('id="themes"') : page.index("</section>", page.index('id="themes"'))]
    stats = board.summary().set_index("name").loc["Fees <script>"]
    assert f"{stats['emotion_mean']:+.2f} (95% CI {stats['emotion_ci_low']:+.2f}" in part
    assert f"n={stats['emotion_n']}" in part and stats["emotion_ci_low"] < stats["emotion_mean"]
    first = ev.frame.set_index("evidence_id").loc[E("fee5")]
    assert f"<q>{first['text']}</q> <small>— {first['participant']} · review" in part
    plain = cjm.export.report_html(journey, ev)
    assert 'id="themes"' not in plain
