"""Tag suggestions: quality on hand-coded real data, and speed on 15,000 short texts.

Usage: ``python benchmarks/bench_suggest.py`` (``--quick``: fewer random draws)

Figures (every baseline trained and measured in the same run, on the same tags):
- touchpoint top-1 accuracy on the 661 hand-coded BA review sentences that name a touchpoint
  (tests/fixtures/ba_coding.csv), taught by 300 random tags (mean of several draws), against
  TF-IDF (words) + logistic regression trained on the same 300; and the precision of the most
  confident 30% of the rest (target ≥ 80%);
- emotion sign accuracy on the 10,000 labelled Swedish reviews with 300 random tags, against
  the same kind of baseline;
- ``cjm.suggest`` over 15,000 short texts (BA review sentences) with 300 tags, training
  included (target ≤ 5 s), against the baseline's fit + predict on the same texts;
- re-training a ``Suggester`` after one more tag (target ≤ 300 ms), and ``ev.tag`` of one
  row while a Suggester follows the evidence (it re-trains in a background thread) against
  ``ev.tag`` with none following.
Without ../shared/data the quality figures are skipped and the speed figures use generated
sentences.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from ba_coding import DATA_FILE, journey, load  # noqa: E402

import cjm_widgets as cjm  # noqa: E402
from benchmarks._data import data_dir  # noqa: E402
from benchmarks._report import result  # noqa: E402

QUICK = "--quick" in sys.argv
DRAWS = 2 if QUICK else 5
TAGS = 300


def baseline(train_text: pd.Series, train_y: np.ndarray, test_text: pd.Series) -> np.ndarray:
    """TF-IDF of words + logistic regression (scikit-learn defaults): the usual first model."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer()
    model = LogisticRegression(max_iter=1000).fit(vec.fit_transform(train_text), train_y)
    return model.predict(vec.transform(test_text))


def touchpoint_quality(path: Path) -> None:
    frame = load(path)
    frame = frame[frame["touchpoint"].notna()].reset_index(drop=True)
    j = journey()
    ours, base, top = [], [], []
    for seed in range(DRAWS):
        train = np.random.default_rng(seed).choice(len(frame), TAGS, replace=False)
        ev = cjm.Evidence.from_frame(frame[["evidence_id", "text"]], text="text", id="evidence_id")
        ids = ev.frame["evidence_id"].tolist()
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
        guess = baseline(
            frame["text"][train], frame["touchpoint"].to_numpy()[train], frame["text"][test]
        )
        base.append(np.mean(guess == frame["touchpoint"].to_numpy()[test]))
        print(
            f"  draw {seed}: top-1 {ours[-1]:.1%} (baseline {base[-1]:.1%}), most confident "
            f"30% {top[-1]:.1%} of {len(right)} rows"
        )
    n = len(frame) - TAGS
    result(
        "Suggested touchpoint top-1 accuracy (BA sentences, 300 tags)",
        100 * float(np.mean(ours)),
        "%",
        target=1.0,
        target_is_ratio=True,
        higher_is_better=True,
        baseline=100 * float(np.mean(base)),
        baseline_label="TF-IDF + logistic regression, same tags",
        note=f"{len(frame)} hand-coded sentences, 10 touchpoints; mean of {DRAWS} draws, {n} each",
    )
    result(
        "Precision of the most confident 30% of suggestions (BA)",
        100 * float(np.mean(top)),
        "%",
        target=80,
        higher_is_better=True,
        note=f"min over {DRAWS} draws {100 * min(top):.1f}%",
    )


def emotion_quality(path: Path) -> None:
    frame = pd.read_csv(path)
    y = np.where(frame["sentiment"] == "positive", 1.0, -1.0)
    j = cjm.Journey.from_template("current_state", stages="five_stage", language="sv")
    j.add_touchpoint(j.stages[2], "Tjänsten", description="Flytt, mäklare, restaurang")
    ours, base = [], []
    for seed in range(max(1, DRAWS // 2)):
        train = np.random.default_rng(seed).choice(len(frame), TAGS, replace=False)
        ev = cjm.Evidence.from_frame(frame[["text"]], text="text")
        ids = ev.frame["evidence_id"].to_numpy()
        for value in (1.0, -1.0):
            ev.tag([ids[i] for i in train if y[i] == value], emotion=value)
        table = cjm.suggest(j, ev)
        truth = dict(zip(ids, y, strict=True))
        ours.append(float(np.mean(np.sign(table["emotion"]) == table["evidence_id"].map(truth))))
        test = np.setdiff1d(np.arange(len(frame)), train)
        base.append(
            float(np.mean(baseline(frame["text"][train], y[train], frame["text"][test]) == y[test]))
        )
        print(f"  draw {seed}: emotion sign {ours[-1]:.1%} (baseline {base[-1]:.1%})")
    result(
        "Suggested emotion sign accuracy (10,000 Swedish reviews, 300 tags)",
        100 * float(np.mean(ours)),
        "%",
        target=1.0,
        target_is_ratio=True,
        higher_is_better=True,
        baseline=100 * float(np.mean(base)),
        baseline_label="TF-IDF + logistic regression, same tags",
        note=f"mean of {len(ours)} draws",
    )


def short_texts(n: int) -> tuple[list[str], str]:
    path = data_dir() / DATA_FILE
    if path.exists():
        bodies = pd.read_csv(path)["review_bodies"].drop_duplicates()
        out: list[str] = []
        for body in bodies:
            body = re.sub(r"^[^|]{0,30}\|\s*", "", body)
            out += [s for s in re.split(r"(?<=[.!?])\s+", body) if s.strip()]
        return out[:n], "BA review sentences"
    rng = np.random.default_rng(0)
    words = [
        "seat",
        "crew",
        "meal",
        "bag",
        "queue",
        "delay",
        "lounge",
        "gate",
        "wifi",
        "film",
        "booking",
        "refund",
        "late",
        "cold",
    ]
    return [" ".join(rng.choice(words, 8)) for _ in range(n)], "generated sentences"


def speed() -> None:
    texts, what = short_texts(15_000)
    j = journey()
    names = [tp.name for tp in j.touchpoints]
    rng = np.random.default_rng(0)
    picked = rng.choice(len(texts), TAGS, replace=False)
    labels = rng.choice(names, TAGS)  # tags only teach here; their truth is not measured

    ev = cjm.Evidence.from_frame(pd.DataFrame({"text": texts}), text="text")
    ids = ev.frame["evidence_id"].to_numpy()
    for name in names:
        ev.tag(ids[picked[labels == name]].tolist(), journey=j, touchpoint=name, emotion=-1)
    cjm.suggest(j, cjm.Evidence.from_frame(pd.DataFrame({"text": texts[:50]}), text="text"))
    runs = []
    for _ in range(1 if QUICK else 3):
        t0 = time.perf_counter()
        table = cjm.suggest(j, ev)
        runs.append(time.perf_counter() - t0)
    assert len(texts) - TAGS - 100 <= len(table) <= len(texts) - TAGS  # a few have no words
    t0 = time.perf_counter()
    series = pd.Series(texts)
    baseline(series[picked], labels, series)
    base = time.perf_counter() - t0
    result(
        f"cjm.suggest over 15,000 short texts ({what}), training included",
        statistics.median(runs),
        "s",
        target=5,
        baseline=base,
        baseline_label="TF-IDF + logistic regression fit + predict",
        note=f"{TAGS} tags, {len(table):,} rows suggested; median of {len(runs)}",
    )
    s = cjm.Suggester(j, ev, background=False)
    free = np.setdiff1d(np.arange(len(texts)), picked)
    fits = []
    for k in range(5):
        ev.tag(ids[free[k]], journey=j, touchpoint=names[k % len(names)])
        t0 = time.perf_counter()
        s.fit()
        fits.append(time.perf_counter() - t0)
    result(
        "Suggester re-train after one more tag (15,000 texts)",
        1000 * statistics.median(fits),
        "ms",
        target=300,
        baseline=1000 * statistics.median(runs),
        baseline_label="cjm.suggest from scratch",
        note="median of 5",
    )
    plain, followed = [], []
    for k in range(5, 15):
        t0 = time.perf_counter()
        ev.tag(ids[free[k]], journey=j, touchpoint=names[0])
        plain.append(time.perf_counter() - t0)
    live = cjm.Suggester(j, ev)
    for k in range(15, 25):
        t0 = time.perf_counter()
        ev.tag(ids[free[k]], journey=j, touchpoint=names[0])
        followed.append(time.perf_counter() - t0)
        live.wait()
    live.close()
    result(
        "ev.tag while a Suggester re-trains in the background",
        1000 * statistics.median(followed),
        "ms",
        baseline=1000 * statistics.median(plain),
        baseline_label="ev.tag with no Suggester",
        note="median of 10; the re-train runs in a thread after the tag returns",
    )


def main() -> None:
    ba = data_dir() / DATA_FILE
    sv = data_dir() / "swedish_customer_reviews_sentiment.csv.gz"
    if ba.exists():
        touchpoint_quality(ba)
    else:
        print(f"  {ba} not found: touchpoint quality not measured")
    if sv.exists():
        emotion_quality(sv)
    else:
        print(f"  {sv} not found: emotion quality not measured")
    speed()


if __name__ == "__main__":
    main()
