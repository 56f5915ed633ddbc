"""Features of the tag suggestions: TF-IDF of words and characters, ratings, embeddings.

Usage (inside :mod:`cjm_widgets.analysis.suggest`): ``feats = build_features(journey, ev,
None, None)``; ``feats.x`` has one row per evidence row, ``feats.names_x`` one per touchpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.errors import EvidenceError

if TYPE_CHECKING:  # pragma: no cover
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["Features", "build_features"]

_RATING_WEIGHT = 0.5  # scale of the rating features beside the unit-length text features
_EMBED_WEIGHT = 2.0  # length of an embedding row: as much as the word and character blocks


@dataclass(frozen=True)
class Features:
    """Features of every store row (and of each touchpoint's pseudo-row), built once."""

    x: Any  # scipy.sparse csr: rows × features (text blocks, ratings, embeddings)
    names_x: Any  # touchpoints × features
    word_vocab: np.ndarray  # feature index → word n-gram (the first n_words columns)
    n_words: int
    common: np.ndarray  # word features in too many texts to explain anything ("was", "the")
    touchpoints: tuple[tuple[str, str, str], ...]  # (id, name, stage name) in journey order


def build_features(
    journey: Journey,
    evidence: Evidence,
    ratings: Sequence[str] | None,
    embed: Callable[..., Any] | None,
) -> Features:
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    texts = evidence.column("text").astype("string").fillna("").astype(str).tolist()
    stage_of = {tp.id: journey.stage_of(tp) for tp in journey.touchpoints}
    tps = tuple((tp.id, tp.name, stage_of[tp.id].name) for tp in journey.touchpoints)
    name_texts = [
        f"{tp.name}. {tp.description}. {stage_of[tp.id].name}".strip() for tp in journey.touchpoints
    ]
    corpus = texts + name_texts
    n = len(texts)
    counter = CountVectorizer(ngram_range=(1, 2), dtype=np.float32)
    try:
        counts = counter.fit_transform(corpus)
    except ValueError:  # no word at all in any text
        counts = None
    if counts is None or not counts[:n].nnz:
        raise EvidenceError(
            "No text to learn from: every evidence text is blank or has no words. "
            "Suggestions need texts."
        )
    vocab = np.asarray(counter.get_feature_names_out(), dtype=object)
    xw = TfidfTransformer(sublinear_tf=True).fit_transform(counts).astype(np.float32)
    unigrams = np.flatnonzero([" " not in v for v in vocab])
    blocks = [xw, _char_block(counts[:, unigrams], vocab[unigrams])]
    rating = _rating_block(evidence, ratings, len(name_texts))
    if rating is not None:
        blocks.append(sp.csr_matrix(rating))
    if embed is not None:
        blocks.append(sp.csr_matrix(_embed_block(embed, corpus)))
    x = sp.hstack(blocks).tocsr().astype(np.float32)
    df = np.bincount(xw[:n].indices, minlength=xw.shape[1])
    return Features(x[:n], x[n:], vocab, xw.shape[1], df > max(0.2 * n, 3), tps)


def _char_block(per_word: Any, words: np.ndarray) -> Any:
    """TF-IDF of character 2–4-grams within words (scikit-learn's ``char_wb`` n-grams of the
    words, kept when in at least two texts). Counted once per distinct word and summed per
    text with the word counts ``per_word`` (texts × ``words``): a text's ``char_wb`` counts
    are the sum over its words, and this is several times faster than n-gramming each text."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    grams = CountVectorizer(analyzer="char_wb", ngram_range=(2, 4), lowercase=False)
    word_grams = grams.fit_transform(list(words)).astype(np.float32)
    counts = (per_word @ word_grams).tocsr()
    seen = np.bincount(counts.indices, minlength=counts.shape[1])
    counts = counts[:, np.flatnonzero(seen >= 2)]
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).astype(np.float32)


def _has_column(evidence: Evidence, name: str) -> bool:
    try:
        evidence.column(name)
    except EvidenceError:
        return False
    return True


def _rated_items(evidence: Any) -> pd.DataFrame:
    """Per text row, the emotion (−2…+2) of each rated item of the same input row: the
    rating rows a reader made beside a review's text (same document and position, blank
    text, an ``item``). Columns: the items; index: store rows; empty without rating rows."""
    if not _has_column(evidence, "item") or len(evidence) == 0:
        return pd.DataFrame(index=pd.RangeIndex(0))
    item = evidence.column("item").astype(object)
    text = evidence.column("text").astype("string").fillna("").str.strip()
    rated = item.notna().to_numpy() & (text.str.len() == 0).to_numpy()
    if not rated.any():
        return pd.DataFrame(index=pd.RangeIndex(0))
    key = evidence.column("document").astype(str) + "\x00" + evidence.column("position").astype(str)
    emotion = evidence._tag_arrays().emotion
    rates = pd.DataFrame(
        {"key": key[rated].to_numpy(), "item": item[rated].astype(str), "v": emotion[rated]}
    ).pivot_table(index="key", columns="item", values="v", aggfunc="mean")
    texts = np.flatnonzero(~rated & item.isna().to_numpy())
    return rates.reindex(key.to_numpy()[texts]).set_axis(texts, axis=0)


def _rating_block(
    evidence: Evidence, ratings: Sequence[str] | None, n_extra: int
) -> np.ndarray | None:
    """Rating features, each in −1…+1 with a missing flag (missing → 0), scaled by 0.5; the
    touchpoints' pseudo-rows get zeros. A name is a numeric column of the evidence (scaled
    over its observed range) or an item rated beside the text rows (its emotion / 2).
    ``None``: every rated item there is (none when the store has no rating rows)."""
    items = _rated_items(evidence)
    names = list(items.columns) if ratings is None else list(ratings)
    if not names:
        return None
    n = len(evidence)
    cols = []
    for name in names:
        if ratings is not None and _has_column(evidence, name):
            values = pd.to_numeric(evidence.column(name), errors="coerce").to_numpy(np.float64)
            if np.isnan(values).all():
                raise EvidenceError(
                    f"ratings: column {name!r} has no numbers; give the rating columns only."
                )
            lo, hi = np.nanmin(values), np.nanmax(values)
            scaled = (values - lo) / (hi - lo) * 2 - 1 if hi > lo else np.zeros_like(values)
        elif name in items.columns:
            scaled = np.full(n, np.nan)
            scaled[items.index.to_numpy()] = items[name].to_numpy(np.float64) / 2
        else:
            columns = ", ".join(map(repr, evidence.segments)) or "none"
            rated = ", ".join(map(repr, items.columns)) or "none"
            raise EvidenceError(
                f"ratings: {name!r} is neither a column nor a rated item. Extra columns: "
                f"{columns}. Rated items: {rated}."
            )
        missing = np.isnan(scaled)
        cols += [np.where(missing, 0.0, scaled), missing.astype(np.float64)]
    block = np.column_stack(cols) * _RATING_WEIGHT
    return np.vstack([block, np.zeros((n_extra, block.shape[1]))])


def _embed_block(embed: Callable[..., Any], corpus: list[str]) -> np.ndarray:
    try:
        out = np.asarray(embed(corpus), dtype=np.float64)
    except Exception as err:
        raise EvidenceError(f"embed= failed on the texts ({type(err).__name__}: {err}).") from err
    if out.ndim != 2 or out.shape[0] != len(corpus):
        raise EvidenceError(
            f"embed= must return one row per text: a {len(corpus)} × d array, got shape "
            f"{out.shape}."
        )
    if not np.isfinite(out).all():
        raise EvidenceError("embed= returned NaN or infinite values.")
    norm = np.linalg.norm(out, axis=1, keepdims=True)
    return _EMBED_WEIGHT * out / np.where(norm > 0, norm, 1.0)
