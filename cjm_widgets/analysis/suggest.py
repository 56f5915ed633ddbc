"""Tag suggestions learned from the researcher's own tags: touchpoint, emotion and why.

Usage::

    import cjm_widgets as cjm
    table = cjm.suggest(journey, ev)                 # one row per untagged evidence row
    cjm.tag_next(journey, ev, n=20)                  # the rows that would teach the model most
    s = cjm.Suggester(journey, ev)                   # keeps its features; re-trains in the
    s.suggest(order="teach")                         # background after every tag

How it works (also in the docstring of :func:`suggest`): every text is turned into TF-IDF
features of its words (1–2 word n-grams) and of its characters (2–4 character n-grams within
words), fitted on all texts in the store (no labels used, nothing downloaded); character n-grams
carry the inflected forms of Finnish, Polish, Swedish and Malay without a stemmer. The ratings
given beside a text (a review's rating rows, or ``ratings=`` columns) and a user's own sentence
embeddings (``embed=``) are appended as further features.
A logistic regression (scikit-learn, fitted by stochastic gradient descent) is trained on the
rows tagged so far plus one pseudo-row per touchpoint (its name, description and stage name),
so it can suggest from zero tags; a second one on the tagged emotions. scikit-learn is
imported on first use only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.analysis.curve import base_mask
from cjm_widgets.analysis.suggest_explain import neighbours, teach_order, why_words
from cjm_widgets.analysis.suggest_features import build_features
from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence.provenance import rejected

if TYPE_CHECKING:  # pragma: no cover
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["ORDERS", "Suggester", "suggest", "tag_next"]

#: Orders of the suggestion table: most confident first, the rows that teach most first, or
#: the store's own order.
ORDERS = ("confidence", "teach", "evidence")
#: The coder name under which a model's suggestions are recorded when they are accepted.
MODEL_NAME = "suggest"
COLUMNS = [
    "evidence_id",
    "text",
    "touchpoint_id",
    "touchpoint",
    "stage",
    "touchpoint_p",
    "margin",
    "emotion",
    "emotion_p",
    "why",
    "why_words",
    "neighbour_id",
]
_NAME_WEIGHT = 3.0  # a touchpoint's name/description row counts as three tagged rows


@dataclass(frozen=True)
class _Model:
    """One trained state: swapped in whole, so a reader never sees half a model."""

    tp_model: Any  # logistic regression over touchpoint ids
    tp_classes: np.ndarray  # touchpoint ids (object)
    em_model: Any | None  # logistic regression over emotion values, or None (too few tags)
    em_classes: np.ndarray
    teach_rows: np.ndarray  # store rows the touchpoint model learned from
    teach_tp: np.ndarray  # their touchpoint ids
    n_tags: int
    version: int


def _check_options(order: str, embed: Any, ratings: Any) -> None:
    if order not in ORDERS:
        raise EvidenceError(f"order must be one of {', '.join(ORDERS)}, not {order!r}.")
    if embed is not None and not callable(embed):
        raise EvidenceError(
            f"embed must be a callable taking a list of texts and returning a 2-D array, "
            f"not {type(embed).__name__}."
        )
    if ratings is not None and isinstance(ratings, str):
        raise EvidenceError(f"ratings must be a list of column or item names, e.g. [{ratings!r}].")


class Suggester:
    """Learns the researcher's tags and suggests a touchpoint and an emotion for the rest.

    Keeps its features (built once, in the constructor) and re-trains on new tags: with
    ``background=True`` (the default) every change of the evidence's tags starts a re-train in
    a background thread, so tagging never waits for it; :meth:`suggest` uses the latest
    finished model (``wait=True`` waits for the one under way). Re-training fits only the two
    logistic regressions on the tagged rows, not the features.

    The features and the touchpoints' pseudo-rows are made once: after adding, renaming or
    removing touchpoints, make a new Suggester (tags to a touchpoint it does not know are not
    learned from). ``close()`` stops it following the evidence.

    Usage: ``s = cjm.Suggester(journey, ev); s.suggest(order="teach").head(10)``
    """

    def __init__(
        self,
        journey: Journey,
        evidence: Evidence,
        *,
        ratings: Sequence[str] | None = None,
        embed: Callable[[list[str]], Any] | None = None,
        background: bool = True,
        include_interviewer: bool = False,
        name: str = MODEL_NAME,
        random_state: int = 0,
    ) -> None:
        _check_options("confidence", embed, ratings)
        if not journey.touchpoints:
            raise EvidenceError(
                "The journey has no touchpoints to suggest: add some first "
                "(journey.add_touchpoint(stage, name, description=...))."
            )
        if not isinstance(name, str) or not name.strip():
            raise EvidenceError(f"name must be a non-empty text, not {name!r}.")
        self.journey = journey
        self.evidence = evidence
        self.name = name.strip()
        self.include_interviewer = include_interviewer
        self._random_state = random_state
        self._features = build_features(journey, evidence, ratings, embed)
        self._lock = threading.Lock()
        self._dirty = threading.Event()
        self._thread: threading.Thread | None = None
        self._version = 0
        self._error: BaseException | None = None
        self._model = self._train()
        self._callback = evidence.observe(self._on_change) if background else None

    # ------------------------------------------------------------------ training
    def _train(self, teach: np.ndarray | None = None) -> _Model:
        """Fit both models on the tagged rows (only those in the boolean ``teach``, if given)."""
        ev, feats = self.evidence, self._features
        ta = ev._tag_arrays()
        # a snapshot: the arrays first, then the id table (a code is registered before it is
        # written, so every code read here has its id), as tags may land meanwhile
        tp_codes, emotion = ta.touchpoint.copy(), ta.emotion.copy()
        id_table = [*ev.touchpoint_ids, None]
        known = {t[0] for t in feats.touchpoints}
        taught = np.array([t in known for t in id_table], dtype=bool)[tp_codes]
        tp_ids = np.array(id_table, dtype=object)[tp_codes]
        usable = self._usable() if teach is None else self._usable() & teach
        rows = np.flatnonzero(taught & usable)
        names = np.array([t[0] for t in feats.touchpoints], dtype=object)
        import scipy.sparse as sp

        x = sp.vstack([feats.x[rows], feats.names_x]).tocsr()
        y = np.concatenate([tp_ids[rows], names])
        weight = np.concatenate([np.ones(len(rows)), np.full(len(names), _NAME_WEIGHT)])
        tp_model = _OneClass() if len(set(y)) < 2 else _classifier(self._random_state)
        tp_model.fit(x, y.astype(str), sample_weight=weight)
        em_rows = np.flatnonzero(~np.isnan(emotion) & usable)
        em_values = emotion[em_rows]
        em_model, em_classes = None, np.zeros(0)
        if len(np.unique(em_values)) >= 2:
            em_model = _classifier(self._random_state)
            em_model.fit(feats.x[em_rows], em_values.astype(str))
            em_classes = em_model.classes_.astype(np.float64)
        self._version += 1
        return _Model(
            tp_model,
            tp_model.classes_.astype(object),
            em_model,
            em_classes,
            rows,
            tp_ids[rows],
            len(rows),
            self._version,
        )

    def _usable(self) -> np.ndarray:
        return base_mask(self.evidence, self.include_interviewer) & self._has_text()

    def _has_text(self) -> np.ndarray:
        return self._features.x.getnnz(axis=1) > 0

    def fit(self) -> Suggester:
        """Re-train now, in this thread, on the tags as they are. Usage: ``s.fit()``"""
        model = self._train()
        with self._lock:
            self._model = model
        return self

    def _on_change(self, change: Any) -> None:
        """An evidence observer: mark the model stale and start the worker unless it runs."""
        with self._lock:
            self._dirty.set()
            if self._thread is None:
                self._thread = threading.Thread(target=self._worker, daemon=True)
                self._thread.start()

    def _worker(self) -> None:
        """Re-train until no change is left; the stale mark and the worker's exit share the
        lock, so a change that lands meanwhile is never left unlearned."""
        while True:
            with self._lock:
                if not self._dirty.is_set():
                    self._thread = None
                    return
                self._dirty.clear()
            try:
                model = self._train()
            except Exception as err:  # kept and raised by the next suggest(), never lost
                with self._lock:
                    self._error = err
                    self._thread = None
                return
            with self._lock:
                self._model = model

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the background re-training to finish; True when none is left running.

        Usage: ``s.wait()`` (``timeout`` in seconds)
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while (thread := self._thread) is not None:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            thread.join(left)
        return True

    def close(self) -> None:
        """Stop following the evidence's changes. Usage: ``s.close()``"""
        if self._callback is not None:
            self.evidence.unobserve(self._callback)
            self._callback = None
        self.wait()

    @property
    def n_tags(self) -> int:
        """Tagged rows the current model learned its touchpoints from."""
        return self._model.n_tags

    @property
    def version(self) -> int:
        """How many times the model was trained (1 after construction)."""
        return self._model.version

    # ------------------------------------------------------------------ suggesting
    def suggest(
        self,
        *,
        order: str = "confidence",
        limit: int | None = None,
        ids: Sequence[str] | None = None,
        wait: bool = False,
    ) -> pd.DataFrame:
        """The suggestion table for the untagged rows (see :func:`suggest` for the columns).

        ``ids`` limits it to those evidence ids (e.g. the tagger's visible page; tagged ones
        are left out); ``wait=True`` first waits for a re-train under way.

        Usage: ``s.suggest(order="teach", limit=20)`` or ``s.suggest(ids=page_ids)``
        """
        _check_options(order, None, None)
        if limit is not None and (not isinstance(limit, int) or limit < 0):
            raise EvidenceError(f"limit must be a whole number ≥ 0, not {limit!r}.")
        if wait:
            self.wait()
        if self._error is not None:
            err, self._error = self._error, None
            raise EvidenceError(f"Re-training the suggestions failed: {err}") from err
        with self._lock:
            model = self._model
        ev = self.evidence
        wanted = ~ev.tagged_mask & self._usable()
        if ids is not None:
            keep = np.zeros(len(ev), dtype=bool)
            keep[ev.rows_of([ids] if isinstance(ids, str) else list(ids))] = True
            wanted &= keep
        rows = np.flatnonzero(wanted)
        return _table(self, model, rows, order, limit)

    def __repr__(self) -> str:
        return (
            f"Suggester({self.name!r}, {len(self._features.touchpoints)} touchpoints, "
            f"learned from {self.n_tags} tagged rows)"
        )


class _OneClass:
    """A journey with a single touchpoint: every row gets it, with probability 1."""

    def fit(self, x: Any, y: np.ndarray, sample_weight: Any = None) -> _OneClass:
        self.classes_ = np.unique(y)
        self.coef_ = np.zeros((1, x.shape[1]))
        return self

    def predict_proba(self, x: Any) -> np.ndarray:
        return np.ones((x.shape[0], 1))


def _classifier(random_state: int) -> Any:
    """Logistic regression fitted by stochastic gradient descent: 30 passes over the tagged
    rows, L2 penalty 1e-4, step 0.5 (cut by 5 whenever the loss stops falling: no runaway
    weights on a handful of tags), one-vs-rest probabilities normalised to sum to 1. Chosen over the
    exact (L-BFGS) fit because it re-trains in about a tenth of the time at the same or better
    accuracy on the hand-coded BA sentences (tests/fixtures/ba_coding.csv)."""
    from sklearn.linear_model import SGDClassifier

    return SGDClassifier(
        loss="log_loss",
        alpha=1e-4,
        max_iter=30,
        tol=None,
        learning_rate="adaptive",
        eta0=0.5,
        random_state=random_state,
    )


# ---------------------------------------------------------------------- the table
def _table(
    s: Suggester, model: _Model, rows: np.ndarray, order: str, limit: int | None
) -> pd.DataFrame:
    ev, feats = s.evidence, s._features
    x = feats.x[rows]
    names = {t[0]: t for t in feats.touchpoints}
    no = rejected(ev, s.name)
    banned = [no.get(r) for r in rows.tolist()] if no else None
    best, tp_id, p1, p2, emotion, emotion_p = _predict(model, x, banned)
    words = why_words(model, feats, x, best)
    neighbour, neighbour_tp = neighbours(ev, model, feats, x)
    why = []
    for i in range(len(rows)):
        parts = []
        if words[i]:
            parts.append("words " + ", ".join(f"“{w}”" for w in words[i]))
        if neighbour[i] is not None:
            parts.append(f"like {neighbour[i]} ({names[neighbour_tp[i]][1]})")
        why.append("; ".join(parts) or "no telling word or similar tagged row")
    frame = pd.DataFrame(
        {
            "evidence_id": ev._ids_of(rows),
            "text": ev.column("text").to_numpy()[rows] if len(rows) else [],
            "touchpoint_id": tp_id,
            "touchpoint": [names[t][1] for t in tp_id],
            "stage": [names[t][2] for t in tp_id],
            "touchpoint_p": p1,
            "margin": p1 - p2,
            "emotion": emotion,
            "emotion_p": emotion_p,
            "why": why,
            "why_words": words,
            "neighbour_id": neighbour,
        },
        columns=COLUMNS,
    )
    if order == "confidence":
        frame = frame.iloc[np.argsort(-frame["touchpoint_p"].to_numpy(), kind="stable")]
    elif order == "teach":
        frame = frame.iloc[teach_order(x, frame["margin"].to_numpy(), feats, model, limit)]
    frame = frame.reset_index(drop=True)
    if limit is not None:
        frame = frame.head(limit)
    frame.attrs.update(model=s.name, n_tags=model.n_tags, version=model.version, order=order)
    return frame


def _predict(model: _Model, x: Any, banned: Sequence[Any] | None = None) -> tuple[np.ndarray, ...]:
    """(class index, touchpoint id, its probability, the runner-up's, emotion, its
    probability) per row of ``x``. ``banned``: per row a touchpoint id a person rejected for
    it (or None); its probability is set to 0 and the rest scaled to sum to 1."""
    n = x.shape[0]
    if not n:
        empty = np.zeros(0)
        return np.zeros(0, int), np.zeros(0, dtype=object), empty, empty, empty, empty
    proba = model.tp_model.predict_proba(x)
    if banned is not None and proba.shape[1] > 1:
        index = {str(c): i for i, c in enumerate(model.tp_classes)}
        for i, tp in enumerate(banned):
            if tp is not None and str(tp) in index:
                proba[i, index[str(tp)]] = 0.0
        proba /= np.maximum(proba.sum(axis=1, keepdims=True), 1e-300)
    top2 = np.argsort(-proba, axis=1)[:, :2]
    best = top2[:, 0]
    p1 = proba[np.arange(n), best]
    p2 = proba[np.arange(n), top2[:, 1]] if proba.shape[1] > 1 else np.zeros(n)
    if model.em_model is not None:
        ep = model.em_model.predict_proba(x)
        ebest = ep.argmax(axis=1)
        emotion, emotion_p = model.em_classes[ebest], ep[np.arange(n), ebest]
    else:
        emotion, emotion_p = np.full(n, np.nan), np.full(n, np.nan)
    return best, model.tp_classes[best], p1, p2, emotion, emotion_p


def suggest(
    journey: Journey,
    evidence: Evidence,
    *,
    order: str = "confidence",
    limit: int | None = None,
    ratings: Sequence[str] | None = None,
    embed: Callable[[list[str]], Any] | None = None,
    include_interviewer: bool = False,
) -> pd.DataFrame:
    """Suggest a touchpoint and an emotion for every untagged evidence row.

    One row per evidence row without any tag and with text (interviewer turns left out unless
    ``include_interviewer``). Columns: evidence_id, text; touchpoint_id, touchpoint, stage and
    touchpoint_p (the model's probability of that touchpoint); margin (its probability minus
    the runner-up's: small = unsure); emotion (−2…+2, one of the values tagged so far; NaN
    while fewer than two different emotions are tagged) and emotion_p; why (in words: the
    words of the row's own text that weighed most for the touchpoint, and the most similar
    tagged row, by cosine similarity of their words ≥ 0.3), why_words (those words as a
    tuple) and neighbour_id (that row's id, or None).

    How: TF-IDF of word 1–2-grams and of character 2–4-grams (within words) over all texts of
    the store; ratings (by default every item rated beside the text rows, as a reader makes
    them from a review's rating columns: its emotion / 2; ``ratings=[...]`` picks items or
    numeric columns, a column scaled to −1…+1 over its range; ``ratings=[]`` none; each with
    a missing flag) and ``embed`` (a callable: list of texts → 2-D array, e.g. a local
    sentence-embedding model; rows scaled to length 2, as much as the two text blocks
    together) add features. A logistic regression (scikit-learn's SGDClassifier with log
    loss: 30 passes, L2 penalty 1e-4, adaptive step 0.5, one-vs-rest probabilities normalised
    to sum to 1) learns the touchpoints from the tagged rows plus one row per touchpoint made
    of its name, description and stage name (weight 3), so it suggests from zero tags; a
    second one learns the tagged emotion values. Probabilities are the model's own, not
    calibrated on held-out tags: check them with
    :func:`cjm_widgets.analysis.suggest_check.check_suggestions`.

    ``order``: "confidence" (most probable first), "teach" (the rows that would teach the
    model most: see :func:`tag_next`) or "evidence" (store order). ``limit``: the first rows.

    Usage: ``cjm.suggest(journey, ev, order="teach", limit=20)``
    """
    _check_options(order, embed, ratings)
    s = Suggester(
        journey,
        evidence,
        ratings=ratings,
        embed=embed,
        background=False,
        include_interviewer=include_interviewer,
    )
    return s.suggest(order=order, limit=limit)


def tag_next(
    journey: Journey,
    evidence: Evidence,
    *,
    n: int = 20,
    ratings: Sequence[str] | None = None,
    embed: Callable[[list[str]], Any] | None = None,
) -> pd.DataFrame:
    """The ``n`` untagged rows whose tags would teach the suggestions most, best first.

    Margin sampling with diversity: among the most uncertain rows (smallest margin between the
    two most probable touchpoints), each next row is the one with the largest
    (1 − margin) × (1 − cosine similarity to the closest row already tagged or chosen), so the
    list does not ask about ten copies of the same sentence. Columns as :func:`suggest`.

    Usage: ``cjm.tag_next(journey, ev, n=10)``
    """
    if not isinstance(n, int) or n < 1:
        raise EvidenceError(f"n must be a whole number ≥ 1, not {n!r}.")
    return suggest(journey, evidence, order="teach", limit=n, ratings=ratings, embed=embed)
