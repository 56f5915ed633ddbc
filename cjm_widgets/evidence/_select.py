"""Selecting rows of the evidence: masks, selectors, queries and text search.

Usage: ``ev.search("delivery fee")``, ``ev.has_label("pain point")``, ``ev.tagged_mask``.
"""

from __future__ import annotations

from tokenize import TokenError
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from cjm_widgets.errors import EvidenceError, NotFoundError, TagError
from cjm_widgets.evidence._state import (
    EvidenceCore,
    Labels,
    Selector,
    StageRef,
    TouchpointRef,
)
from cjm_widgets.evidence.search import TextIndex
from cjm_widgets.evidence.tags import (
    MAX_LABELS,
    label_key,
)

if TYPE_CHECKING:
    from cjm_widgets.model.journey import Journey

_BAD_QUERY = (
    SyntaxError,
    TokenError,
    NotImplementedError,
    NameError,
    LookupError,
    AttributeError,
    TypeError,
    ValueError,
)


class SelectMixin(EvidenceCore):
    """Part of :class:`~cjm_widgets.evidence.store.Evidence` (see its module)."""

    @property
    def tagged_mask(self) -> np.ndarray:
        """Boolean array: rows with any tag (stage, touchpoint, emotion or label)."""
        return (self._st >= 0) | (self._tp >= 0) | ~np.isnan(self._em) | (self._lb != 0)

    @property
    def evidence_mask(self) -> np.ndarray:
        """Boolean array: rows tagged to the journey (a touchpoint or a stage) that say
        something — an emotion, a label or a non-blank text. These are the "tagged" rows every
        count shows: a survey or rating row whose rating is blank or "not applicable" is
        tagged to its touchpoint on import but says nothing, so it is not counted.

        Usage: ``int(ev.evidence_mask.sum())``
        """

        return ((self._st >= 0) | (self._tp >= 0)) & self._says_something()

    def _says_something(self) -> np.ndarray:
        """Rows with an emotion, a label or a non-blank text (a blank rating says nothing)."""

        def has_text() -> np.ndarray:
            text = self.column("text").astype("string").str.strip()
            return (text.str.len() > 0).fillna(False).to_numpy(dtype=bool)

        return ~np.isnan(self._em) | (self._lb != 0) | self.derived(("has_text",), has_text)

    def has_label(self, label: str) -> np.ndarray:
        """Boolean array: rows carrying ``label``. Usage: ``ev.frame[ev.has_label("quote")]``"""
        code = self._lb_code.get(label_key(str(label)))
        if code is None:
            raise TagError(
                f"Unknown label {label!r}. Labels: {', '.join(map(repr, self.label_names))}."
            )
        return (self._lb >> code & 1).astype(bool)

    def _select(self, selector: Selector) -> np.ndarray:
        if isinstance(selector, str):
            rows = self._lookup([selector])
            if rows[0] >= 0:
                return rows
            return self._query(selector)
        if isinstance(selector, pd.Series) and selector.dtype == bool:
            selector = selector.to_numpy()
        if isinstance(selector, pd.Series) and str(selector.dtype) == "boolean":
            selector = selector.fillna(False).to_numpy(dtype=bool)
        if isinstance(selector, np.ndarray) and selector.dtype == bool:
            if selector.shape != (self._n,):
                raise TagError(
                    f"A boolean mask needs {self._n} values (one per row), got "
                    f"{selector.shape[0] if selector.ndim else 0}."
                )
            rows = np.flatnonzero(selector)
        elif isinstance(selector, (list, tuple, np.ndarray, pd.Series, pd.Index, set, frozenset)):
            values = list(selector)
            if values and all(isinstance(v, (bool, np.bool_)) for v in values):
                return self._select(np.asarray(values, dtype=bool))
            bad = [v for v in values if not isinstance(v, str)]
            if bad:
                raise TagError(
                    f"Select evidence by id (text), a list of ids, a boolean mask or a query "
                    f"string; got {bad[0]!r} in the list."
                )
            rows = np.unique(self.rows_of(values))
        else:
            raise TagError(
                "Select evidence by id (text), a list of ids, a boolean mask or a query "
                f"string (e.g. \"source == 'survey'\"); got {type(selector).__name__}."
            )
        if len(rows) == 0:
            raise TagError("The selector matched no evidence. Nothing was changed.")
        return rows.astype(np.int64)

    def _query(self, text: str) -> np.ndarray:
        frame = self.frame  # built outside the try: only the expression's errors are caught
        try:
            result = frame.query(text)
        except _BAD_QUERY as err:
            # what pandas raises for a bad expression: syntax (an unclosed bracket is a
            # TokenError), syntax it does not evaluate ("a:b", lambda: NotImplementedError),
            # an unknown column (UndefinedVariableError is a NameError), a bad index
            # (LookupError), a method strings lack (AttributeError), a comparison of
            # incompatible types (TypeError, ValueError)
            raise TagError(
                f"{text!r} is not a known evidence id and not a valid query "
                f"({type(err).__name__}: {err}). Nothing was changed."
            ) from None
        rows = result.index.to_numpy(dtype=np.int64)
        if len(rows) == 0:
            raise TagError(f"The query {text!r} matched no evidence. Nothing was changed.")
        return np.sort(rows)

    def _resolve_place(
        self,
        journey: Journey | None,
        touchpoint: TouchpointRef | None,
        stage: StageRef | None,
    ) -> tuple[tuple[str, str] | None, str | None, Journey | None]:
        """(touchpoint id, its stage id) and/or stage id, checked against the journey."""
        if touchpoint is None and stage is None:
            return None, None, journey
        journey = journey if journey is not None else self._journey
        if journey is None:
            raise TagError(
                "Tagging to a touchpoint or stage needs the journey: pass journey=your_journey "
                "(once; the evidence stays linked) or call ev.link(journey)."
            )
        try:
            st = journey.stage(stage) if stage is not None else None
            if touchpoint is not None:
                tp = journey.touchpoint(touchpoint)
                tp_stage = journey.stage_of(tp)
                if st is not None and tp_stage.id != st.id:
                    names = ", ".join(repr(t.name) for t in st.touchpoints) or "none"
                    raise TagError(
                        f"Touchpoint {tp.name!r} is in stage {tp_stage.name!r}, not "
                        f"{st.name!r}. Touchpoints of {st.name!r}: {names}. Nothing was tagged."
                    )
                return (tp.id, tp_stage.id), None, journey
        except NotFoundError as err:
            raise TagError(f"{err} Nothing was tagged.") from None
        return None, st.id if st is not None else None, journey

    def _label_codes(
        self, labels: Labels | None, what: str, *, register: bool
    ) -> tuple[list[str], int]:
        if labels is None:
            return [], 0
        names = [labels] if isinstance(labels, str) else list(labels)
        mask = 0
        new: list[str] = []
        for name in names:
            if not isinstance(name, str) or not name.strip():
                raise TagError(f"{what} must be label names (text), got {name!r}.")
            code = self._lb_code.get(label_key(name))
            if code is None:
                if not register:
                    raise TagError(
                        f"Unknown label {name!r}. Labels: "
                        f"{', '.join(map(repr, self.label_names))}. Nothing was changed."
                    )
                if label_key(name) not in {label_key(x) for x in new}:
                    new.append(name)
                continue
            mask |= 1 << code
        if len(self.label_names) + len(new) > MAX_LABELS:
            raise TagError(f"At most {MAX_LABELS} labels; nothing was tagged.")
        return new, mask

    def search(
        self,
        text: str,
        *,
        match: str = "contains",
        accents: str = "keep",
        language: str | None = None,
    ) -> list[str]:
        """Ids of evidence whose text matches ``text`` (case-insensitive).

        Usage: ``ev.tag(ev.search('"lost luggage"', match="words"), labels="quote")``

        ``match="contains"`` (default): every word of ``text`` (or phrase in double quotes)
        occurs, also inside longer words ("deliver" finds "delivery"). ``match="words"``:
        only as whole words (Swedish ``"kö"`` finds "kö", not "köpa" or "kök").
        ``match="exact"``: the whole text as typed, case and accents included. Accents count
        unless ``accents="fold"`` ("cafe" then finds "Café"); with ``language="sv"`` (or
        ``"fi"``, ``"pl"``) folding keeps that language's own letters (å, ä, ö stay).
        The first search builds a normalised copy of the distinct texts; later searches are
        single Arrow/RE2 scans.
        """
        return self._ids_of(
            self.search_rows(text, match=match, accents=accents, language=language)
        ).tolist()

    def search_rows(
        self,
        text: str,
        *,
        match: str = "contains",
        accents: str = "keep",
        language: str | None = None,
    ) -> np.ndarray:
        """Like :meth:`search`, giving store rows."""
        if not isinstance(text, str):
            raise EvidenceError(f"search() needs text, got {text!r}.")
        if self._folded is None:
            self._folded = TextIndex(pa.array(self._raw["text"].array))
        try:
            mask = self._folded.search(text, match=match, accents=accents, language=language)
        except ValueError as err:
            raise EvidenceError(f"search(): {err}.") from None
        return np.flatnonzero(mask).astype(np.int64)

    def orphaned(self, journey: Journey | None = None) -> pd.DataFrame:
        """Stages / touchpoints tagged here but missing from the journey, with row counts.

        Usage: ``for row in ev.orphaned().itertuples(): ev.move_tags(row.id, "New place")``
        """
        journey = journey if journey is not None else self._journey
        if journey is None:
            raise EvidenceError("orphaned() needs a journey: pass journey= or ev.link(journey).")
        st_live = {s.id for s in journey.stages}
        tp_live = {t.id for t in journey.touchpoints}
        out = []
        for kind, ids, codes in (
            ("stage", self.stage_ids, self._st),
            ("touchpoint", self.touchpoint_ids, self._tp),
        ):
            counts = np.bincount(codes[codes >= 0], minlength=len(ids))
            live = st_live if kind == "stage" else tp_live
            for code, ident in enumerate(ids):
                if counts[code] and ident not in live:
                    out.append({"kind": kind, "id": ident, "n_rows": int(counts[code])})
        return pd.DataFrame(out, columns=["kind", "id", "n_rows"])
