"""cjm.themes over 5,000 real review sentences (target ≤ 10 s), against a bare baseline.

Usage: ``python benchmarks/bench_themes.py`` (``--quick``: 2,000 texts)

Texts: sentences of the real British Airways reviews (``../shared/data``; generated sentences
of the same vocabulary when the file is absent), at least five words each, first 5,000.

Figures:
- ``cjm.themes`` with n chosen automatically (Ward-tree silhouettes over k = 4…20) and with
  ``n_themes=10`` fixed: vectors (word + character TF-IDF, SVD), k-means, top terms,
  representative quotes, touchpoints and emotion;
- both after one untimed warm-up call on 300 texts (the first call imports scikit-learn);
- baseline in the same run: scikit-learn's plain word TF-IDF + ``KMeans(10)`` on the same
  texts (what a researcher would write by hand, with no k search and no descriptions).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._data import data_dir
from benchmarks._report import result

QUICK = "--quick" in sys.argv
N = 2000 if QUICK else 5000


def sentences() -> tuple[list[str], str]:
    path = data_dir() / "ba_reviews_airlinequality_markphamm.csv.gz"
    if path.exists():
        bodies = pd.read_csv(path)["review_bodies"].dropna().astype(str)
        out = []
        for body in bodies:
            body = re.sub(r"^.*?\|\s*", "", body, count=1)  # "✅ Trip Verified |"
            out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) >= 5]
        return out[:N], f"{min(N, len(out)):,} real BA review sentences"
    rng = np.random.default_rng(0)
    words = [
        "seat",
        "crew",
        "food",
        "delay",
        "bag",
        "lounge",
        "staff",
        "meal",
        "boarding",
        "gate",
        "legroom",
        "wifi",
    ]
    made = [" ".join(rng.choice(words, 8)) for _ in range(N)]
    return made, f"{N:,} generated sentences (real data not found)"


def main() -> int:
    import cjm_widgets as cjm

    texts, what = sentences()
    ev = cjm.Evidence.from_frame(pd.DataFrame({"text": texts}))
    print(f"{what}; mean {np.mean([len(t) for t in texts]):.0f} characters")

    cjm.themes(ev, rows=np.arange(len(texts)) < 300)  # warm-up: imports, not measured
    t0 = time.perf_counter()
    auto = cjm.themes(ev, rows="all")
    auto_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    fixed = cjm.themes(ev, rows="all", n_themes=10)
    fixed_s = time.perf_counter() - t0

    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    t0 = time.perf_counter()
    x = TfidfVectorizer(min_df=2, sublinear_tf=True).fit_transform(texts)
    KMeans(n_clusters=10, n_init=4, random_state=0).fit_predict(x)
    base_s = time.perf_counter() - t0

    print(f"auto: {len(auto)} themes, silhouette by k: {auto.attrs['silhouette']}")
    for row in auto.head(10).itertuples():
        print(f"  {row.theme_id:>4} {row.size:5d}  {row.name}")
    print(f"fixed 10: sizes {fixed['size'].tolist()}")
    result(
        f"cjm.themes over {len(texts):,} texts (n chosen)", auto_s, "s", target=10,
        baseline=base_s, baseline_label="TF-IDF + KMeans(10)",
    )  # fmt: skip
    result(
        f"cjm.themes over {len(texts):,} texts (n_themes=10)", fixed_s, "s", target=10,
        baseline=base_s, baseline_label="TF-IDF + KMeans(10)",
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
