"""``cjm.themes(evidence)``: group quotes into candidate themes, offline, with scikit-learn.

Usage::

    th = cjm.themes(ev)                    # the tagged quotes, n chosen automatically
    th = cjm.themes(ev, rows="all", n_themes=8, language="fi")
    th[["theme_id", "name", "size", "emotion_mean", "emotion_n"]]

How it is computed (also in the report's Methods):

1. **Quotes.** The tagged rows with text (``rows=`` picks another subset: ``"all"``, a boolean
   mask or evidence ids). Blank texts are left out and counted in ``attrs["n_blank"]``.
2. **Vectors.** Each text becomes two TF-IDF vectors (sublinear term frequency, L2-normed):
   words and word pairs (function words of the five template languages removed, and any word
   in more than half the quotes), and character 4-grams within words, which match
   inflected forms (Finnish, Polish) without a stemmer. The two are joined with equal weight
   and reduced to at most 64 dimensions by truncated SVD (latent semantic analysis), then
   L2-normed (one BLAS thread: on a shared machine that is several times faster than
   many), so Euclidean k-means on them groups by cosine similarity ("spherical" k-means).
   ``embed=`` replaces these vectors by the user's own (e.g. a local sentence-embedding
   model); the top terms still come from the word TF-IDF.
3. **Grouping.** k-means (scikit-learn, ``random_state=seed``, so the same input gives the
   same themes). k-means was chosen over NMF and agglomerative clustering because it is
   deterministic with a seed, linear in the number of quotes (5,000 quotes in a few
   seconds) and gives each quote exactly one theme, which is what a board column is.
4. **How many themes** (``n_themes=None``): one Ward tree is built over a seeded sample of
   at most 2,000 quotes; each k from 4 to ``max_themes`` (and at most n / ``min_size``; from 2
   when that is under 4) cuts it, and the k whose cut has the highest mean cosine silhouette
   is taken (ties: the smaller k); the scores are in ``attrs["silhouette"]``. k starts at 4
   because on real quotes the silhouette nearly always peaks at 2 (roughly: praise vs
   complaint), which is no use on a board; pass ``n_themes=2`` or ``3`` for fewer.
5. **Themes.** A group smaller than ``min_size`` is no theme: its quotes are listed in
   ``attrs["unthemed"]``. Themes are numbered by size (``t1`` the largest). Top terms: the
   words whose mean TF-IDF weight in the theme most exceeds their mean weight elsewhere; the
   name joins the first three. Representative quotes: the ones nearest the theme's centre
   (cosine). Touchpoints: the tagged touchpoints of its quotes, most frequent first.
   Emotion: the mean of its quotes' emotion tags (−2…+2) with n and a 95% Student-t interval
   clipped to the scale; quotes without an emotion are not counted.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.analysis._stats import t_half_width
from cjm_widgets.analysis._stopwords import stop_words
from cjm_widgets.errors import EvidenceError

if TYPE_CHECKING:
    from cjm_widgets.evidence.store import Evidence
    from cjm_widgets.model.journey import Journey

__all__ = ["THEME_COLUMNS", "theme_stats", "themes"]

THEME_COLUMNS: tuple[str, ...] = (
    "theme_id",
    "name",
    "top_terms",
    "size",
    "evidence_ids",
    "quote_ids",
    "quotes",
    "touchpoint_ids",
    "touchpoints",
    "emotion_mean",
    "emotion_n",
    "emotion_ci_low",
    "emotion_ci_high",
)
_SAMPLE = 2000
_DIMS = 64
#: The fewest themes chosen automatically (when n / min_size allows it).
_MIN_AUTO = 4


def themes(
    evidence: Evidence,
    *,
    rows: Any = None,
    n_themes: int | None = None,
    min_size: int = 3,
    max_themes: int = 20,
    language: str | None = None,
    embed: Callable[[list[str]], Any] | None = None,
    quotes: int = 3,
    terms: int = 6,
    seed: int = 0,
    journey: Journey | None = None,
) -> pd.DataFrame:
    """Group quotes into candidate themes (one row per theme, largest first).

    Columns: ``theme_id``, ``name`` (top three terms), ``top_terms``, ``size``,
    ``evidence_ids`` (every quote of the theme), ``quote_ids`` / ``quotes`` (the most
    representative quotes and their text), ``touchpoint_ids`` / ``touchpoints`` (tagged,
    most frequent first), ``emotion_mean``, ``emotion_n``, ``emotion_ci_low``,
    ``emotion_ci_high``. ``attrs``: ``n_quotes``, ``n_blank``, ``unthemed`` (ids in groups
    under ``min_size``), ``silhouette`` ({k: score}, when k was chosen), ``method``.
    How each number is computed: see :mod:`cjm_widgets.analysis.themes`.

    Usage: ``cjm.themes(ev, n_themes=6, language="sv")``
    """
    _check_int("min_size", min_size, 1)
    _check_int("max_themes", max_themes, 2)
    _check_int("quotes", quotes, 1)
    _check_int("terms", terms, 1)
    if n_themes is not None:
        _check_int("n_themes", n_themes, 1)
    words = stop_words(language)
    picked = _pick_rows(evidence, rows)
    text_all = evidence.column("text").astype("string").fillna("")
    texts = text_all.iloc[picked].str.strip()
    keep = (texts.str.len() > 0).to_numpy(dtype=bool)
    n_blank = int((~keep).sum())
    picked, texts = picked[keep], texts[keep].tolist()
    n = len(texts)
    if n < max(2, 2 * min_size) or (n_themes is not None and n < n_themes):
        need = max(2, 2 * min_size, n_themes or 0)
        raise EvidenceError(
            f"Too few quotes with text to group into themes: {n} (at least {need} needed). "
            "Tag more quotes, pass rows='all' or a larger subset, or lower min_size."
        )
    ids = evidence._ids_of(picked)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # one BLAS thread: on a busy machine, much faster
        word_x, vocab = _word_tfidf(texts, words)
        vectors = _vectors(texts, word_x, embed, seed)
        labels, scores = _cluster(vectors, n_themes, min_size, max_themes, seed)
    frame = _describe(
        evidence,
        journey,
        picked,
        ids,
        texts,
        word_x,
        vocab,
        vectors,
        labels,
        min_size,
        quotes,
        terms,
    )
    unthemed = [str(i) for i, lab in zip(ids, labels, strict=True) if lab < 0]
    frame.attrs.update(
        n_quotes=n,
        n_blank=n_blank,
        unthemed=unthemed,
        silhouette=scores,
        method="tfidf-lsa-kmeans" if embed is None else "embed-kmeans",
    )
    return frame


# ------------------------------------------------------------------------------ input
def _check_int(name: str, value: Any, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise EvidenceError(f"{name} must be a whole number ≥ {low}, got {value!r}.")


def _pick_rows(evidence: Evidence, rows: Any) -> np.ndarray:
    """Store rows to group: the tagged ones, all, a boolean mask or evidence ids."""
    n = len(evidence.column("text"))
    if rows is None:
        picked = np.flatnonzero(evidence.tagged_mask)
        if not len(picked):
            raise EvidenceError(
                "No tagged quotes to group into themes. Tag some first, or pass rows='all' "
                "(every row with text) or rows=<ids or a boolean mask>."
            )
        return picked
    if isinstance(rows, str):
        if rows == "all":
            return np.arange(n)
        return evidence.rows_of([rows])
    if isinstance(rows, pd.Series) and rows.dtype.kind == "b":
        rows = rows.to_numpy(dtype=bool)
    arr = np.asarray(rows) if not isinstance(rows, (set, frozenset)) else None
    if arr is not None and arr.dtype == bool:
        if arr.shape != (n,):
            raise EvidenceError(
                f"rows= as a boolean mask needs one value per evidence row ({n}), got "
                f"{arr.shape[0] if arr.ndim else 'a scalar'}."
            )
        return np.flatnonzero(arr)
    try:
        return np.unique(evidence.rows_of([str(x) for x in rows]))
    except TypeError:
        raise EvidenceError(
            f"rows= must be None (tagged rows), 'all', a boolean mask or evidence ids; got "
            f"{type(rows).__name__}."
        ) from None


# ------------------------------------------------------------------------------ vectors
_TOKENS = r"(?u)\b[^\W\d_]{2,}\b"  # words of two letters or more, any alphabet


def _word_tfidf(texts: list[str], words: Sequence[str]) -> tuple[Any, np.ndarray]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    common = {"min_df": 2 if len(texts) >= 20 else 1, "sublinear_tf": True, "dtype": np.float32}
    vec = TfidfVectorizer(
        token_pattern=_TOKENS,
        ngram_range=(1, 2),
        stop_words=list(words),
        max_df=0.5,
        max_features=20000,
        **common,
    )
    try:
        x = vec.fit_transform(texts)
    except ValueError:  # every word is a stop word or too rare
        vec = TfidfVectorizer(token_pattern=_TOKENS, **{**common, "min_df": 1})
        try:
            x = vec.fit_transform(texts)
        except ValueError:
            raise EvidenceError(
                "The quotes have no words to group them by (words of two letters or more); "
                "pick rows with text."
            ) from None
    return x, vec.get_feature_names_out()


def _char_tfidf(texts: list[str]) -> Any:
    """TF-IDF of character 4-grams within words. The n-grams of a text are the sum of its
    words' n-grams, so each distinct word is cut into n-grams once (word counts × word
    n-grams) instead of every text character by character."""
    from sklearn.feature_extraction.text import (
        CountVectorizer,
        TfidfTransformer,
        TfidfVectorizer,
    )

    counts = CountVectorizer(token_pattern=_TOKENS, lowercase=True, dtype=np.float32)
    c = counts.fit_transform(texts)
    grams = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(4, 4), use_idf=False, norm=None, dtype=np.float32
    ).fit_transform(counts.get_feature_names_out())
    per_text = (c @ grams).tocsr()
    df = np.bincount(per_text.indices, minlength=per_text.shape[1])
    keep = np.flatnonzero(df >= (2 if len(texts) >= 20 else 1))
    return TfidfTransformer(sublinear_tf=True).fit_transform(per_text[:, keep])


def _vectors(
    texts: list[str], word_x: Any, embed: Callable[[list[str]], Any] | None, seed: int
) -> np.ndarray:
    from sklearn.preprocessing import normalize

    if embed is not None:
        try:
            emb = np.asarray(embed(list(texts)), dtype=np.float64)
        except Exception as exc:
            what = f"{type(exc).__name__}: {exc}"
            raise EvidenceError(f"embed= failed on the quotes: {what}") from exc
        if emb.ndim != 2 or emb.shape[0] != len(texts) or not np.isfinite(emb).all():
            raise EvidenceError(
                f"embed= must return one finite vector per text: an array of shape "
                f"({len(texts)}, d); got shape {emb.shape}."
            )
        return normalize(emb)
    from scipy.sparse import hstack
    from sklearn.decomposition import TruncatedSVD

    joined = hstack([word_x, _char_tfidf(texts)]).tocsr() * np.float32(np.sqrt(0.5))
    dims = min(_DIMS, joined.shape[1] - 1, len(texts) - 1)
    if dims < 2:
        return normalize(joined.toarray())
    svd = TruncatedSVD(n_components=dims, n_iter=4, random_state=seed)
    return normalize(svd.fit_transform(joined))


# ------------------------------------------------------------------------------ grouping
def _cluster(
    x: np.ndarray, n_themes: int | None, min_size: int, max_themes: int, seed: int
) -> tuple[np.ndarray, dict[int, float]]:
    """k-means labels (−1 for groups under ``min_size``) and the silhouette per tried k."""
    from sklearn.cluster import KMeans

    scores: dict[int, float] = {}
    k = n_themes if n_themes is not None else 0
    if n_themes is None:
        scores = _silhouettes(x, min_size, max_themes, seed)
        k = max(scores, key=lambda key: (scores[key], -key)) if scores else 2
    labels = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(x)
    sizes = np.bincount(labels, minlength=k)
    return np.where(sizes[labels] >= min_size, labels, -1), scores


def _silhouettes(x: np.ndarray, min_size: int, max_themes: int, seed: int) -> dict[int, float]:
    """Mean cosine silhouette of each candidate k, from the cuts of one Ward tree over a
    seeded sample (one tree and one distance matrix serve every k)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.metrics import pairwise_distances, silhouette_score

    n = len(x)
    rng = np.random.default_rng(seed)
    sample = x if n <= _SAMPLE else x[np.sort(rng.choice(n, _SAMPLE, replace=False))]
    top = max(2, min(max_themes, n // max(min_size, 1), len(sample) - 1))
    low = _MIN_AUTO if top >= _MIN_AUTO else 2
    ks = list(range(low, top + 1))
    tree = linkage(sample, method="ward")
    dist = pairwise_distances(sample, metric="cosine")
    scores = {}
    for k in ks:
        labels = fcluster(tree, k, criterion="maxclust")
        if len(set(labels.tolist())) > 1:
            scores[k] = round(float(silhouette_score(dist, labels, metric="precomputed")), 4)
    return scores


# ------------------------------------------------------------------------------ describing
def _describe(
    evidence: Evidence,
    journey: Journey | None,
    picked: np.ndarray,
    ids: np.ndarray,
    texts: list[str],
    word_x: Any,
    vocab: np.ndarray,
    vectors: np.ndarray,
    labels: np.ndarray,
    min_size: int,
    n_quotes: int,
    n_terms: int,
) -> pd.DataFrame:
    journey = journey if journey is not None else evidence.journey
    groups = [g for g in np.unique(labels) if g >= 0]
    groups.sort(key=lambda g: (-int((labels == g).sum()), int(np.flatnonzero(labels == g)[0])))
    total_mean = np.asarray(word_x.mean(axis=0)).ravel()
    n = len(labels)
    out = []
    for number, g in enumerate(groups, start=1):
        members = np.flatnonzero(labels == g)
        inside = np.asarray(word_x[members].mean(axis=0)).ravel()
        outside = (total_mean * n - inside * len(members)) / max(n - len(members), 1)
        score = inside - outside
        order = np.argsort(-score, kind="stable")[:n_terms]
        top = [str(vocab[i]) for i in order if score[i] > 0]
        centre = vectors[members].mean(axis=0)
        closeness = vectors[members] @ centre
        rep = members[np.argsort(-closeness, kind="stable")[:n_quotes]]
        stats = theme_stats(evidence, picked[members], journey=journey)
        out.append(
            {
                "theme_id": f"t{number}",
                "name": " · ".join(top[:3]) or f"Theme {number}",
                "top_terms": top,
                "size": len(members),
                "evidence_ids": [str(i) for i in ids[members]],
                "quote_ids": [str(i) for i in ids[rep]],
                "quotes": [texts[i] for i in rep],
                **stats,
            }
        )
    frame = pd.DataFrame(out, columns=list(THEME_COLUMNS))
    return frame.astype({"size": "int64", "emotion_n": "int64"})


def theme_stats(
    evidence: Evidence, rows: np.ndarray, *, journey: Journey | None = None
) -> dict[str, Any]:
    """Touchpoints and emotion of a group of store rows: ``touchpoint_ids`` / ``touchpoints``
    (tagged, most frequent first), ``emotion_mean``, ``emotion_n`` (rows with an emotion tag),
    ``emotion_ci_low`` / ``emotion_ci_high`` (95% Student-t, clipped to −2…+2; NaN when n < 2).

    Usage: ``theme_stats(ev, ev.rows_of(ids))``
    """
    journey = journey if journey is not None else evidence.journey
    arrays = evidence._tag_arrays()
    counts = Counter(int(c) for c in arrays.touchpoint[rows] if c >= 0)
    ids = [evidence.touchpoint_ids[c] for c, _ in counts.most_common()]
    names = []
    for tid in ids:
        try:
            names.append(journey.touchpoint(tid).name if journey is not None else tid)
        except Exception:  # a touchpoint removed from the journey since it was tagged
            names.append(tid)
    em = arrays.emotion[rows]
    em = em[~np.isnan(em)]
    mean = float(em.mean()) if len(em) else float("nan")
    half = (
        float(t_half_width(np.array(np.std(em, ddof=1)), np.array(len(em))))
        if len(em) > 1
        else float("nan")
    )
    return {
        "touchpoint_ids": ids,
        "touchpoints": names,
        "emotion_mean": mean,
        "emotion_n": len(em),
        "emotion_ci_low": max(-2.0, mean - half) if not math.isnan(half) else float("nan"),
        "emotion_ci_high": min(2.0, mean + half) if not math.isnan(half) else float("nan"),
    }
