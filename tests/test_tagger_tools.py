"""The tagger's tools of issue 16: search hits and snippets, counts per filter option, labels
of the researcher's own, suggestions (column, filter, sort, accept and reject)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cjm_widgets as cjm
from cjm_widgets.evidence.search import match_spans
from cjm_widgets.widgets._tagger_hits import SNIPPET_FROM, utf16
from cjm_widgets.widgets.evidence_tagger import EvidenceTagger


def call(w, method, **args):
    return w._dispatch({"type": "call", "id": "t1", "method": method, "args": args})


def col(w, name):
    i = w._window["columns"].index(name)
    return [r[i] for r in w._window["rows"]]


LONG = "The flight was fine. " * 40 + "Then they lost my luggage in Lisbon and nobody called."


@pytest.fixture()
def reviews():
    demo = cjm.datasets.demo()
    texts = [
        LONG,
        "Lost luggage at the belt, LOST  LUGGAGE again",
        "They lost the luggage tag",  # both words, not the phrase
        "Luggage was lost 😀 then found",
        "Check-in queue was long",
        "Mislaid bags; lostluggage desk closed",
    ]
    frame = pd.DataFrame(
        {
            "rid": [f"r{i}" for i in range(len(texts))],
            "text": texts,
            "who": [f"P{i}" for i in range(len(texts))],
            "cabin": ["Economy", "Business", "Economy", "Economy", "Business", "Economy"],
        }
    )
    ev = cjm.Evidence.from_frame(
        frame, text="text", participant="who", id="rid", source="review", segments=["cabin"]
    )
    return demo.journey, ev


# ---------------------------------------------------------------------- spans
def test_match_spans_are_what_the_filter_matches():
    assert match_spans("Lost luggage, LOST  Luggage", '"lost luggage"') == [(0, 12), (14, 27)]
    text = "Café and cafeteria"
    assert match_spans(text, "cafe", accents="fold") == [(0, 4), (9, 13)]
    assert match_spans(text, "cafe", accents="fold", match="words") == [(0, 4)]
    assert match_spans("kö köpa kök", "kö", match="words") == [(0, 2)]
    assert match_spans("bag lost", "lost bag") == [(0, 3), (4, 8)]  # every term, in text order
    assert match_spans("The Bag was", "bag was", match="exact") == []  # exact: case counts
    # every row the search finds has a span of each term, and none else has one
    texts = ["lost luggage", "luggage lost", "lostluggage", "Lost  Luggage!", "nothing"]
    for query in ['"lost luggage"', "lost luggage", "luggage"]:
        for mode in ("contains", "words"):
            index = cjm.Evidence.from_frame(pd.DataFrame({"text": texts}), text="text")
            found = set(index.search_rows(query, match=mode).tolist())
            spanned = {i for i, t in enumerate(texts) if match_spans(t, query, match=mode)}
            assert found == spanned, (query, mode)


def test_utf16_offsets_count_astral_characters_twice():
    text = "😀 lost"
    assert utf16(text, 2) == 3 and text[2:] == "lost"


# ---------------------------------------------------------------------- hits in the window
def test_phrase_hits_are_marked_where_they_are(reviews):
    journey, ev = reviews
    tagger = EvidenceTagger(journey, ev)
    # the phrase only: not "lost my luggage", "lost the luggage", "Luggage was lost"
    assert tagger.filter(search='"lost luggage"') == 1
    win = tagger._window
    (text,) = col(tagger, "text")
    one = win["hits"][str(win["rows"][0][0])]
    assert [text[a:b] for a, b in one["spans"]] == ["Lost luggage", "LOST  LUGGAGE"]
    assert "snippet" not in one  # the hit is at the start: the collapsed row shows it
    # both words anywhere: five rows, each with both words marked
    assert tagger.filter(search="lost luggage") == 5  # "lostluggage" too
    for row, text in zip(tagger._window["rows"], col(tagger, "text"), strict=True):
        marked = " ".join(
            text[a:b].lower() for a, b in tagger._window["hits"][str(row[0])]["spans"]
        )
        assert "lost" in marked and "luggage" in marked, text  # "lostluggage": one joined mark


def test_snippet_around_a_hit_deep_in_the_text(reviews):
    journey, ev = reviews
    tagger = EvidenceTagger(journey, ev)
    tagger.filter(search="Lisbon")
    (hit,) = tagger._window["hits"].values()
    assert LONG.index("Lisbon") > SNIPPET_FROM
    snip = hit["snippet"]
    a, b = snip["spans"][0]
    assert snip["text"][a:b] == "Lisbon"
    assert snip["before"] and not snip["after"]
    assert snip["text"] in LONG
    # context before the hit, starting at a word: "… they lost my luggage in Lisbon"
    assert snip["text"].startswith(("The ", "Then ", "flight ", "was ", "fine. "))
    assert "lost my luggage in Lisbon" in snip["text"] and a >= 30


def test_whole_words_and_astral_offsets(reviews):
    journey, ev = reviews
    tagger = EvidenceTagger(journey, ev)
    assert tagger.filter(search="lost") == 5
    assert tagger.filter(search="lost", match="words") == 4  # not "lostluggage"
    assert tagger._window["bar"]["match"] == "words"
    tagger.filter(search="found")
    (hit,) = tagger._window["hits"].values()
    text = "Luggage was lost 😀 then found"
    a, b = hit["spans"][0]
    assert text.encode("utf-16-le")[2 * a : 2 * b].decode("utf-16-le") == "found"
    with pytest.raises(cjm.CJMError, match="match must be one of"):
        tagger.filter(search="x", match="fuzzy")


def test_counts_per_filter_option_equal_a_pandas_count(reviews):
    journey, ev = reviews
    tp = journey.touchpoints[0]
    ev.tag(["review:r0", "review:r1"], journey=journey, touchpoint=tp.id, labels="baggage")
    tagger = EvidenceTagger(journey, ev)
    assert tagger._window["facets"] is None  # no search: no counts
    tagger.filter(search="luggage", cabin="Economy")
    facets = tagger._window["facets"]
    frame = ev.frame
    hit = frame["text"].str.contains("luggage", case=False)
    economy = frame["cabin"] == "Economy"
    # a filter's own options count the rows of every other filter
    assert facets["cabin"] == frame[hit]["cabin"].value_counts().to_dict()
    assert facets["place"][f"t:{tp.id}"] == int(
        (hit & economy & (frame["touchpoint_id"] == tp.id)).sum()
    )
    assert facets["label"]["baggage"] == int(
        (hit & economy & frame["labels"].map(lambda t: "baggage" in t)).sum()
    )
    assert facets["source"] == {"review": int((hit & economy).sum())}
    assert facets["untagged"] == {"": int((hit & economy & frame["touchpoint_id"].isna()).sum())}


# ---------------------------------------------------------------------- labels
def test_new_label_from_the_field_tags_the_selection(reviews):
    journey, ev = reviews
    tagger = EvidenceTagger(journey, ev, coder="anna")
    assert call(tagger, "new_label", name="  no   selection ")["ok"]
    assert "no selection" in tagger._meta["labels"]
    tagger.select(["review:r1", "review:r2"])
    assert call(tagger, "new_label", name="baggage")["ok"]
    assert ev.frame.set_index("evidence_id").loc["review:r1", "labels"] == ("baggage",)
    info = {x["name"]: x for x in tagger._meta["label_info"]}
    assert info["baggage"]["colour"].startswith("#") and not info["baggage"]["builtin"]
    assert tagger._window["label_counts"]["baggage"] == 2
    assert call(tagger, "rename_label", old="baggage", new="bags")["ok"]
    assert "bags" in tagger._meta["labels"] and "baggage" not in tagger._meta["labels"]
    assert call(tagger, "set_label_colour", label="bags", colour="#112233")["ok"]
    assert {x["name"]: x["colour"] for x in tagger._meta["label_info"]}["bags"] == "#112233"
    assert call(tagger, "merge_labels", labels=["no selection"], into="bags")["ok"]
    assert "no selection" not in tagger._meta["labels"]
    reply = call(tagger, "rename_label", old="bags", new="quote")
    assert not reply["ok"] and "merge_labels" in reply["error"]
    call(tagger, "undo")
    call(tagger, "undo")
    assert {x["name"]: x["colour"] for x in tagger._meta["label_info"]}["bags"] != "#112233"


# ---------------------------------------------------------------------- suggestions
@pytest.fixture()
def demo_suggest():
    demo = cjm.datasets.demo()
    ev = demo.evidence()
    tagger = EvidenceTagger(demo.journey, ev, page_size=10, suggest=True, coder="anna")
    yield tagger, ev, demo.journey
    tagger.close()


def test_suggested_column_filter_and_sort(demo_suggest):
    tagger, _, _ = demo_suggest
    assert "suggested" in tagger._window["columns"]
    from cjm_widgets.analysis.suggest_scores import suggestion_scores

    scores = suggestion_scores(tagger.suggester)
    expected = int(np.nansum(scores >= 0.3))
    assert tagger.filter(suggested=0.3) == expected > 0
    call(tagger, "page", start=0, sort="suggested", desc=False)
    ps = [cell[1] for cell in col(tagger, "suggested")]
    assert ps == sorted(ps, reverse=True) and min(ps) >= 0.3
    # the column says the same as cjm.suggest for those rows
    table = tagger.suggester.suggest(ids=[r[1] for r in tagger._window["rows"]])
    best = table.set_index("evidence_id").loc[tagger._window["rows"][0][1]]
    cell = col(tagger, "suggested")[0]
    assert cell[0] == best["touchpoint"] and cell[4] == best["why"]
    assert abs(cell[1] - best["touchpoint_p"]) < 1e-3
    with pytest.raises(cjm.CJMError, match="probability 0…1"):
        tagger.filter(suggested=1.5)


def test_accept_and_reject_with_provenance(demo_suggest):
    tagger, ev, journey = demo_suggest
    tagger.filter(suggested=0.0)
    rows = [r[0] for r in tagger._window["rows"][:3]]
    ids = [r[1] for r in tagger._window["rows"][:3]]
    suggested = [c[0] for c in col(tagger, "suggested")[:3]]
    tagger.select(rows=rows)
    assert call(tagger, "accept_suggestions")["ok"]
    frame = ev.frame.set_index("evidence_id")
    names = {t.id: t.name for t in journey.touchpoints}
    assert [names[frame.loc[i, "touchpoint_id"]] for i in ids] == suggested
    last = ev.history.iloc[-1]
    assert last["provenance"]["accepted_by"] == "anna"
    assert last["provenance"]["suggested_by"] == "model:suggest"
    assert "Accepted 3 suggestions (by anna)" in tagger.status
    # the model re-trains in the background; the tagger publishes the new version
    tagger.suggester.wait()
    for _ in range(100):
        if tagger._suggest_state["version"] == tagger.suggester.version:
            break
        import time

        time.sleep(0.05)
    assert tagger._suggest_state["version"] == tagger.suggester.version >= 2
    # reject another row: no tag, a "reject" step with its provenance; undo takes it back
    row = tagger._window["rows"][5]
    tagger.select(rows=[row[0]])
    assert call(tagger, "reject_suggestions")["ok"]
    assert ev.history.iloc[-1]["action"] == "reject"
    assert ev.history.iloc[-1]["provenance"]["rejected_by"] == "anna"
    assert pd.isna(ev.frame.set_index("evidence_id").loc[row[1], "touchpoint_id"])
    call(tagger, "undo")
    call(tagger, "undo")
    assert ev.frame.set_index("evidence_id").loc[ids, "touchpoint_id"].isna().all()


def test_accept_needs_a_coder_and_a_suggestion(demo_suggest):
    tagger, ev, _ = demo_suggest
    tagger.coder = ""
    tagger.select(rows=[0])
    reply = call(tagger, "accept_suggestions")
    assert not reply["ok"] and "Coder" in reply["error"]
    n = len(ev.history)
    tagged = int(np.flatnonzero(ev.tagged_mask)[0])
    tagger.select(rows=[tagged])
    reply = call(tagger, "accept_suggestions", coder="anna")
    assert not reply["ok"] and "has a suggestion" in reply["error"]
    assert len(ev.history) == n


def test_suggestions_are_opt_in(reviews):
    journey, ev = reviews
    tagger = EvidenceTagger(journey, ev)
    assert "suggested" not in tagger._window["columns"] and tagger.suggester is None
    with pytest.raises(cjm.CJMError, match="suggest=True"):
        tagger.filter(suggested=0.5)


def test_workspace_passes_suggest_on():
    demo = cjm.datasets.demo()
    ws = cjm.Workspace(demo.journey, demo.evidence(), suggest=True)
    assert ws.tagger.suggester is not None
    assert "suggested" in ws.tagger._window["columns"]
    ws.tagger.close()


def test_static_snapshot_shows_suggestions(demo_suggest):
    tagger, _, _ = demo_suggest
    tagger.filter(suggested=0.01)
    page = tagger._static_html()
    cell = col(tagger, "suggested")[0]
    assert f"<td>{cell[0]} ({round(100 * cell[1])}%)</td>" in page
    assert "<th>suggested</th>" in page
