"""Tag suggestions: learned from the tags and the touchpoint names, explained, ordered for
teaching, accepted with provenance, checked against the researcher; bad input refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from needs import real_data

import cjm_widgets as cjm
from cjm_widgets.analysis.suggest import COLUMNS
from cjm_widgets.errors import EvidenceError, TagError
from cjm_widgets.evidence.provenance import rejected, suggested_mask

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))


def shop() -> cjm.Journey:
    j = cjm.Journey.from_template("current_state", stages=["Buy", "Receive"], title="Shop")
    j.add_touchpoint("Buy", "Payment", description="paying by card, checkout, invoice")
    j.add_touchpoint("Receive", "Delivery", description="courier, parcel, delivery van")
    j.add_touchpoint("Receive", "Returns", description="sending goods back, refund")
    return j


def store(texts: list[str], **cols: list[object]) -> cjm.Evidence:
    return cjm.Evidence.from_frame(pd.DataFrame({"text": texts, **cols}), text="text")


def ids_of(ev: cjm.Evidence) -> list[str]:
    return ev.frame["evidence_id"].tolist()


def by_text(table: pd.DataFrame) -> dict[str, pd.Series]:
    return {row.text: row for row in table.itertuples(index=False)}


# ------------------------------------------------------------------------------ learning
def test_zero_tags_start_from_the_touchpoint_names_and_descriptions() -> None:
    j = shop()
    ev = store(
        [
            "The card payment failed twice at checkout",
            "The courier left the parcel at the wrong door",
            "I asked for a refund and sent the goods back",
        ]
    )
    table = cjm.suggest(j, ev)
    assert list(table.columns) == COLUMNS
    got = {row.text: row.touchpoint for row in table.itertuples()}
    assert got == {
        "The card payment failed twice at checkout": "Payment",
        "The courier left the parcel at the wrong door": "Delivery",
        "I asked for a refund and sent the goods back": "Returns",
    }
    assert table["emotion"].isna().all()  # no emotion is tagged yet: none is guessed
    assert table.attrs["n_tags"] == 0


def test_learns_from_the_tags_made_so_far() -> None:
    j = shop()
    lines = [
        "the driver never rang the bell",
        "the driver threw it over the fence",
        "the driver came a day late",
        "the driver was rude on the phone",
    ]
    ev = store([*lines, "the driver was late again", "the invoice had the wrong amount"])
    before = by_text(cjm.suggest(j, ev))["the driver was late again"]
    ids = ids_of(ev)
    ev.tag(ids[:4], journey=j, touchpoint="Delivery", emotion=-2)
    after = by_text(cjm.suggest(j, ev))
    row = after["the driver was late again"]
    assert row.touchpoint == "Delivery"
    assert row.touchpoint_p > before.touchpoint_p
    assert np.isnan(row.emotion)  # one emotion value tagged: nothing to tell apart yet
    ev.tag(ids[5], journey=j, touchpoint="Payment", emotion=1)
    assert by_text(cjm.suggest(j, ev))["the driver was late again"].emotion == -2.0
    assert len(after) == 2  # untagged rows only
    assert row.neighbour_id in ids[:4]
    assert f"like {row.neighbour_id} (Delivery)" in row.why


def test_why_names_words_of_the_row_itself() -> None:
    j = shop()
    ev = store(
        [
            "Checkout rejected my card",
            "Paid by invoice, smooth",
            "Parcel arrived crushed",
            "Courier was friendly",
            "Refund took three weeks",
            "My card was charged twice at checkout",
            "The parcel was soaked by rain",
        ]
    )
    ids = ids_of(ev)
    for i, tp in enumerate(["Payment", "Payment", "Delivery", "Delivery", "Returns"]):
        ev.tag(ids[i], journey=j, touchpoint=tp)
    table = cjm.suggest(j, ev)
    assert len(table) == 2
    for row in table.itertuples():
        assert row.why_words, row
        for word in row.why_words:
            assert word in row.text.casefold(), (word, row.text)
            assert f"“{word}”" in row.why
    assert by_text(table)["The parcel was soaked by rain"].touchpoint == "Delivery"


@pytest.mark.parametrize(
    ("language", "tags", "new"),
    [
        (
            "fi",
            {
                "Maksu": ["Maksaminen kortilla epäonnistui", "Kassalla maksu kesti kauan"],
                "Toimitus": ["Toimitus myöhästyi kaksi päivää", "Kuljettaja toi paketin"],
            },
            {
                "Maksun kanssa oli ongelmia kassalla": "Maksu",
                "Paketti ja kuljettaja myöhässä": "Toimitus",
            },
        ),
        (
            "sv",
            {
                "Betalning": ["Betalningen med kort misslyckades", "Kassan tog lång tid"],
                "Leverans": ["Leveransen var två dagar sen", "Budet lämnade paketet ute"],
            },
            {
                "Kortbetalningen fungerade inte": "Betalning",
                "Paketet kom med budet för sent": "Leverans",
            },
        ),
        (
            "pl",
            {
                "Płatność": ["Płatność kartą nie przeszła", "Płatności przy kasie trwały długo"],
                "Dostawa": ["Dostawa spóźniła się dwa dni", "Kurier zostawił paczkę pod drzwiami"],
            },
            {
                "Płatnością kartą był problem": "Płatność",
                "Kurierem paczka przyszła późno": "Dostawa",
            },
        ),
        (
            "ms",
            {
                "Pembayaran": ["Pembayaran kad gagal", "Pembayaran di kaunter lambat"],
                "Penghantaran": ["Penghantaran lewat dua hari", "Kurier tinggalkan bungkusan"],
            },
            {
                "Kad pembayaran saya ditolak": "Pembayaran",
                "Bungkusan dari kurier lewat": "Penghantaran",
            },
        ),
        (
            "en",
            {
                "Payment": ["Card payment failed", "Paying at the till was slow"],
                "Delivery": ["Delivery came two days late", "The courier left the parcel outside"],
            },
            {
                "Payments by card kept failing": "Payment",
                "Parcels from this courier are late": "Delivery",
            },
        ),
    ],
)
def test_works_in_the_five_template_languages(
    language: str, tags: dict[str, list[str]], new: dict[str, str]
) -> None:
    j = cjm.Journey.from_template("current_state", stages="five_stage", language=language)
    for name in tags:
        j.add_touchpoint(j.stages[2], name)
    texts = [t for group in tags.values() for t in group]
    ev = store([*texts, *new])
    ids = ids_of(ev)
    k = 0
    for name, group in tags.items():
        ev.tag(ids[k : k + len(group)], journey=j, touchpoint=name)
        k += len(group)
    got = {row.text: row.touchpoint for row in cjm.suggest(j, ev).itertuples()}
    assert got == new


def test_emotion_is_learned_and_rating_columns_help() -> None:
    j = shop()
    texts = ["delivery"] * 12
    stars = [5, 1] * 6
    ev = store(texts, stars=stars)
    ids = ids_of(ev)
    ev.tag([ids[i] for i in range(8) if stars[i] == 5], journey=j, touchpoint="Delivery", emotion=2)
    ev.tag(
        [ids[i] for i in range(8) if stars[i] == 1], journey=j, touchpoint="Delivery", emotion=-2
    )
    with_ratings = cjm.suggest(j, ev, ratings=["stars"], order="evidence")
    assert with_ratings["emotion"].tolist() == [2.0, -2.0, 2.0, -2.0]  # rows 8..11: 5, 1, 5, 1
    assert (with_ratings["emotion_p"] > 0.5).all()
    # the same texts without the ratings cannot be told apart: one emotion for all
    assert cjm.suggest(j, ev, order="evidence")["emotion"].nunique() == 1


def test_ratings_given_beside_a_review_teach_its_emotion_without_being_asked() -> None:
    j = shop()
    reviews = pd.DataFrame({"body": ["the delivery"] * 12, "Delivery": [5, 1] * 6})
    ev = cjm.Evidence.from_frame(reviews, text="body", ratings=["Delivery"], journey=j)
    texts = [i for i in ids_of(ev) if ":" not in i.removeprefix("review:")]
    assert len(texts) == 12  # and 12 rating rows beside them, already tagged by the reader
    stars = dict(zip(texts, reviews["Delivery"], strict=True))
    for value, emotion in ((5, 2), (1, -2)):
        ev.tag([t for t in texts[:8] if stars[t] == value], touchpoint="Delivery", emotion=emotion)
    table = cjm.suggest(j, ev, order="evidence")
    assert table["evidence_id"].tolist() == texts[8:]
    assert table["emotion"].tolist() == [2.0 if stars[t] == 5 else -2.0 for t in texts[8:]]
    blind = cjm.suggest(j, ev, order="evidence", ratings=[])  # told not to use them
    assert blind["emotion"].nunique() == 1


def test_embed_callable_adds_a_users_own_sentence_vectors() -> None:
    j = shop()
    texts = ["alpha one", "beta two", "alpha three", "beta four", "gamma five", "delta six"]
    # a stand-in for a local sentence-embedding model: 'alpha'/'gamma' near, 'beta'/'delta' near
    space = {"alpha": [1.0, 0.0], "gamma": [0.9, 0.1], "beta": [0.0, 1.0], "delta": [0.1, 0.9]}
    seen: list[list[str]] = []

    def embed(batch: list[str]) -> np.ndarray:
        seen.append(list(batch))
        return np.array([space.get(t.split()[0], [0.5, 0.5]) for t in batch]) * 5

    ev = store(texts)
    ids = ids_of(ev)
    ev.tag([ids[0], ids[2]], journey=j, touchpoint="Payment")
    ev.tag([ids[1], ids[3]], journey=j, touchpoint="Returns")
    got = {r.text: r.touchpoint for r in cjm.suggest(j, ev, embed=embed).itertuples()}
    assert got == {"gamma five": "Payment", "delta six": "Returns"}
    assert seen and all(isinstance(t, str) for t in seen[0])
    assert seen[0][: len(texts)] == texts


# ------------------------------------------------------------------------------ teaching order
def test_teach_order_asks_for_unsure_rows_and_not_the_same_one_twice() -> None:
    j = shop()
    sure = [f"card payment at checkout failed {i}" for i in range(6)]
    unsure = ["it was fine I guess"] * 4 + ["nothing to say really", "okay overall"]
    ev = store([*sure, *unsure, "courier parcel late", "refund for goods sent back"])
    ids = ids_of(ev)
    ev.tag(ids[-2], journey=j, touchpoint="Delivery")
    ev.tag(ids[-1], journey=j, touchpoint="Returns")
    confident = cjm.suggest(j, ev)
    teach = cjm.suggest(j, ev, order="teach")
    assert set(teach["evidence_id"]) == set(confident["evidence_id"])  # same rows, other order
    assert teach["margin"].iloc[0] < confident["margin"].iloc[0]
    first3 = teach["text"].head(3).tolist()
    assert first3.count("it was fine I guess") == 1, first3  # diversity: one copy asked
    assert all(t in unsure for t in first3)
    nxt = cjm.tag_next(j, ev, n=3)
    assert nxt["text"].tolist() == first3
    assert nxt.attrs["order"] == "teach"


# ------------------------------------------------------------------------------ accepting
def tagged_store() -> tuple[cjm.Journey, cjm.Evidence, pd.DataFrame]:
    j = shop()
    ev = store(
        [
            "card declined at checkout",
            "courier lost my parcel",
            "refund never came",
            "checkout charged my card twice",
            "the courier threw the parcel",
            "still waiting for the refund",
        ]
    )
    ids = ids_of(ev)
    ev.tag(ids[0], journey=j, touchpoint="Payment", emotion=-2, coder="anna")
    ev.tag(ids[1], journey=j, touchpoint="Delivery", emotion=-1, coder="anna")
    ev.tag(ids[2], journey=j, touchpoint="Returns", emotion=-2, coder="anna")
    return j, ev, cjm.suggest(j, ev)


def test_accepting_makes_ordinary_tags_with_provenance_in_one_undo_step() -> None:
    _, ev, table = tagged_store()
    accepted = table["evidence_id"].tolist()[:2]
    change = ev.accept_suggestions(table, by="ben", ids=accepted)
    assert sorted(change.ids.tolist()) == sorted(accepted)
    frame = ev.frame.set_index("evidence_id")
    for row in table[table["evidence_id"].isin(accepted)].itertuples():
        assert frame.loc[row.evidence_id, "touchpoint_id"] == row.touchpoint_id
        assert frame.loc[row.evidence_id, "emotion"] == row.emotion
        assert frame.loc[row.evidence_id, "coder"] == "ben"
    last = ev.history.iloc[-1]
    assert last["coder"] == "ben"
    assert last["provenance"]["suggested_by"] == "model:suggest"
    assert last["provenance"]["accepted_by"] == "ben"
    assert last["provenance"]["n_rows"] == 2
    assert sorted(ev.history_ids(int(last["op"]))) == sorted(accepted)
    assert sorted(ev.frame["evidence_id"][suggested_mask(ev)]) == sorted(accepted)
    codings = ev.codings
    assert set(codings[codings["coder"] == "model:suggest"]["evidence_id"]) == set(accepted)
    ev.undo()  # one step takes it all back
    assert not suggested_mask(ev).any()
    assert ev.frame.set_index("evidence_id").loc[accepted, "touchpoint_id"].isna().all()


def test_curves_with_and_without_accepted_suggestions() -> None:
    j, ev, table = tagged_store()
    ev.accept_suggestions(table, by="ben")
    with_them = cjm.emotion_curve(j, ev, min_n=1).set_index("touchpoint")["n"]
    without = cjm.emotion_curve(j, ev, min_n=1, suggested=False).set_index("touchpoint")["n"]
    assert with_them.sum() == 6
    assert without.sum() == 3  # anna's own tags only
    assert without.to_dict() == {"Payment": 1, "Delivery": 1, "Returns": 1}


def test_a_row_edited_by_hand_is_no_longer_a_suggestion_and_agreement_counts_it() -> None:
    j, ev, table = tagged_store()
    ev.accept_suggestions(table, by="ben")
    first = table.iloc[0]
    other = next(tp.name for tp in j.touchpoints if tp.id != first.touchpoint_id)
    ev.tag(first.evidence_id, journey=j, touchpoint=other, coder="ben")  # ben corrects one
    mask = suggested_mask(ev)
    assert first.evidence_id not in set(ev.frame["evidence_id"][mask])
    assert int(mask.sum()) == len(table) - 1
    people = cjm.agreement(ev)  # by default the people only; the model when named
    assert set(people["coders"].iloc[0]) == {"anna", "ben"}
    result = cjm.agreement(ev, coders=("ben", "model:suggest")).set_index("field")
    assert result.loc["touchpoint", "n_units"] == len(table)
    assert result.loc["touchpoint", "percent_agreement"] == pytest.approx(2 / 3)


def test_rejecting_changes_no_tag_and_the_next_suggestion_is_another_touchpoint() -> None:
    j, ev, table = tagged_store()
    row = table.iloc[0]
    before = ev.frame.set_index("evidence_id").loc[row.evidence_id]
    change = ev.reject_suggestions(table, by="ben", ids=[row.evidence_id])
    assert change.ids.tolist() == [row.evidence_id]
    after = ev.frame.set_index("evidence_id").loc[row.evidence_id]
    assert pd.isna(after["touchpoint_id"]) and pd.isna(after["tagged_at"])  # still untagged
    assert pd.isna(before["tagged_at"])
    last = ev.history.iloc[-1]
    assert last["action"] == "reject"
    assert last["provenance"] == {
        "suggested_by": "model:suggest",
        "rejected_by": "ben",
        "n_rows": 1,
    }
    again = by_text(cjm.suggest(j, ev))[row.text]
    assert again.touchpoint_id != row.touchpoint_id
    assert not suggested_mask(ev).any()
    # ben then tags it himself, with another touchpoint: one disagreement with the model
    ev.tag(row.evidence_id, journey=j, touchpoint=again.touchpoint, coder="ben")
    result = cjm.agreement(ev, coders=("ben", "model:suggest")).set_index("field")
    assert result.loc["touchpoint", "n_units"] == 1
    assert result.loc["touchpoint", "percent_agreement"] == 0.0
    ev.undo()
    ev.undo()  # the rejection too: the first suggestion comes back
    assert by_text(cjm.suggest(j, ev))[row.text].touchpoint_id == row.touchpoint_id


def test_accepted_and_rejected_suggestions_survive_save_and_load(tmp_path: Path) -> None:
    j, ev, table = tagged_store()
    ev.accept_suggestions(table.head(2), by="ben")
    ev.reject_suggestions(table, by="ben", ids=[table["evidence_id"].iloc[2]])
    path = ev.save_tags(tmp_path / "t.tags.json")
    again = store(ev.frame["text"].tolist())
    again.load_tags(path)
    assert suggested_mask(again).tolist() == suggested_mask(ev).tolist()
    assert (
        rejected(again)
        == rejected(ev)
        == {int(ev.rows_of(table["evidence_id"].iloc[2])[0]): table["touchpoint_id"].iloc[2]}
    )
    assert cjm.suggest(j, again).equals(cjm.suggest(j, ev))


def test_accepting_bad_input_changes_nothing() -> None:
    j, ev, table = tagged_store()
    before = ev.frame[["evidence_id", "touchpoint_id", "emotion"]].copy()
    n_ops = len(ev.history)
    with pytest.raises(TagError, match="by= must name"):
        ev.accept_suggestions(table, by="  ")
    with pytest.raises(TagError, match="kept for models"):
        ev.accept_suggestions(table, by="model:x")
    with pytest.raises(TagError, match="lack column"):
        ev.accept_suggestions(table.drop(columns="touchpoint_id"), by="ben")
    with pytest.raises(TagError, match="not in the suggestions: 'nope'"):
        ev.accept_suggestions(table, by="ben", ids=["nope"])
    with pytest.raises(TagError, match="DataFrame"):
        ev.accept_suggestions(table["evidence_id"].tolist(), by="ben")
    stale = table.copy()
    stale.loc[stale.index[0], "touchpoint_id"] = "tp-gone"
    with pytest.raises(TagError, match="'tp-gone' are no longer in the journey"):
        ev.accept_suggestions(stale, by="ben")
    assert len(ev.history) == n_ops  # nothing half-applied
    assert ev.frame[["evidence_id", "touchpoint_id", "emotion"]].equals(before)
    first = table["evidence_id"].iloc[0]
    ev.tag(first, journey=j, touchpoint="Payment", coder="anna")  # tagged meanwhile
    with pytest.raises(TagError, match=f"tagged after the suggestions were made: '{first}'"):
        ev.accept_suggestions(table, by="ben")
    assert len(ev.history) == n_ops + 1


# ------------------------------------------------------------------------------ re-training
def test_suggester_retrains_in_the_background_after_a_tag() -> None:
    j = shop()
    ev = store(["the van was late", "the van came early", "the van broke down", "paid by card"])
    ids = ids_of(ev)
    s = cjm.Suggester(j, ev)
    try:
        assert s.version == 1 and s.n_tags == 0
        ev.tag(ids[0], journey=j, touchpoint="Delivery", emotion=-1)
        assert s.wait(timeout=60)
        assert s.n_tags == 1 and s.version >= 2
        table = s.suggest()
        assert ids[0] not in set(table["evidence_id"])
        assert by_text(table)["the van broke down"].touchpoint == "Delivery"
        page = s.suggest(ids=ids[:3], order="evidence")  # what a tagger page would ask for
        assert page["evidence_id"].tolist() == ids[1:3]  # ids[0] is tagged
        with pytest.raises(TagError, match="unknown evidence id"):
            s.suggest(ids=["nope"])
    finally:
        s.close()
    ev.tag(ids[1], journey=j, touchpoint="Delivery")
    assert s.n_tags == 1  # closed: no longer following the tags


def test_no_tag_is_left_unlearned_when_tags_arrive_while_it_trains() -> None:
    j = shop()
    ev = store([f"parcel number {i} came by courier" for i in range(40)])
    ids = ids_of(ev)
    s = cjm.Suggester(j, ev)
    try:
        for i in range(25):  # faster than it trains: changes land while a re-train runs
            ev.tag(ids[i], journey=j, touchpoint="Delivery")
        assert s.wait(timeout=120)
        assert s.n_tags == 25
        assert len(s.suggest()) == 15
    finally:
        s.close()


def test_check_suggestions_cross_validates_against_the_researcher() -> None:
    j = shop()
    words = {"Payment": "card checkout", "Delivery": "courier parcel", "Returns": "refund return"}
    texts, tps = [], []
    for i in range(30):
        tp = list(words)[i % 3]
        texts.append(f"{words[tp]} note {i}")
        tps.append(tp)
    ev = store(texts)
    ids = ids_of(ev)
    for tp in words:
        ev.tag([ids[i] for i in range(30) if tps[i] == tp], journey=j, touchpoint=tp, emotion=-1)
    result = cjm.check_suggestions(j, ev, folds=5).set_index("field")
    assert result.loc["touchpoint", "n_units"] == 30
    assert result.loc["touchpoint", "percent_agreement"] == 1.0
    assert result.loc["touchpoint", "cohen_kappa"] == pytest.approx(1.0)
    assert 0 < result.loc["touchpoint", "ci_low"] < 1.0
    assert result.loc["touchpoint", "ci_high"] == pytest.approx(1.0)
    assert result.loc["touchpoint", "n_teaching"] == 24
    with pytest.raises(EvidenceError, match="at least 10 rows tagged by hand"):
        cjm.check_suggestions(j, store(["card"] * 3), folds=5)


# ------------------------------------------------------------------------------ bad input
def test_bad_options_are_refused_with_the_way_out() -> None:
    j = shop()
    ev = store(["card", "courier"])
    with pytest.raises(EvidenceError, match="order must be one of confidence, teach, evidence"):
        cjm.suggest(j, ev, order="random")
    with pytest.raises(EvidenceError, match="ratings must be a list of column or item names"):
        cjm.suggest(j, ev, ratings="stars")
    with pytest.raises(EvidenceError, match="ratings: 'stars' is neither a column nor a rated"):
        cjm.suggest(j, ev, ratings=["stars"])
    with pytest.raises(EvidenceError, match="embed must be a callable"):
        cjm.suggest(j, ev, embed="mini-lm")
    with pytest.raises(EvidenceError, match=r"one row per text: a 5 × d array"):
        cjm.suggest(j, ev, embed=lambda texts: np.zeros((1, 3)))
    with pytest.raises(EvidenceError, match="limit must be"):
        cjm.suggest(j, ev, limit=-1)
    with pytest.raises(EvidenceError, match="n must be"):
        cjm.tag_next(j, ev, n=0)
    empty = cjm.Journey.from_template("current_state", stages=["Only"])
    with pytest.raises(EvidenceError, match=r"no touchpoints.*add_touchpoint"):
        cjm.suggest(empty, ev)
    with pytest.raises(EvidenceError, match="every evidence text is blank"):
        cjm.suggest(j, store(["?", "!"]))


def test_import_cjm_widgets_does_not_import_scikit_learn() -> None:
    code = "import sys, cjm_widgets; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------------------ real data
def test_ba_fixture_quality_with_300_random_tags() -> None:
    """The hand-coded BA sentences: with 300 random tags, suggestions beat a TF-IDF + logistic
    regression baseline trained on the same tags, and the most confident 30% are ≥ 80% right
    (mean of three draws; benchmarks/bench_suggest.py measures more)."""
    from ba_coding import CODING, journey, load
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    frame = load(real_data("ba_reviews_airlinequality_markphamm.csv.gz"))
    assert len(frame) == len(pd.read_csv(CODING)) == 923
    frame = frame[frame["touchpoint"].notna()].reset_index(drop=True)
    assert len(frame) >= 600
    j = journey()
    ours, base, top = [], [], []
    for seed in range(3):
        train = np.random.default_rng(seed).choice(len(frame), 300, replace=False)
        ev = cjm.Evidence.from_frame(frame[["evidence_id", "text"]], text="text", id="evidence_id")
        ids = ids_of(ev)
        for tp in frame["touchpoint"].unique():
            ev.tag(
                [ids[i] for i in train if frame["touchpoint"][i] == tp], journey=j, touchpoint=tp
            )
        table = cjm.suggest(j, ev)
        truth = dict(zip(ids, frame["touchpoint"], strict=True))
        right = (table["touchpoint"] == table["evidence_id"].map(truth)).to_numpy()
        ours.append(right.mean())
        top.append(right[: int(0.3 * len(right))].mean())
        test = np.setdiff1d(np.arange(len(frame)), train)
        vec = TfidfVectorizer()
        clf = LogisticRegression(max_iter=1000).fit(
            vec.fit_transform(frame["text"][train]), frame["touchpoint"][train]
        )
        guess = clf.predict(vec.transform(frame["text"][test]))
        base.append(np.mean(guess == frame["touchpoint"].to_numpy()[test]))
    assert np.mean(ours) >= np.mean(base), (ours, base)
    assert np.mean(top) >= 0.8, top
