"""The evidence tagger's page text, read once per row: a tag re-sends the page, not re-reads it.

After a tag the tagger sends its page again (the tagged rows' emotion, touchpoint and labels
changed). Reading the page's text, participant, source and segment cells from pandas costs a
``take`` per column (a few ms on 50 rows, tens of ms on a loaded machine) although those cells
did not change. :class:`RowCache` keeps them per store row, for as long as the evidence's raw
columns do not change (``Evidence.raw_version``, bumped when participants are edited) and the
columns asked for are the same.

Usage::

    cache = RowCache()
    raw = cache.values(evidence, rows, ["text", "participant", "source"])   # {column: [...]}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence

__all__ = ["RowCache"]

#: Rows kept at most (a few pages); past it the cache starts again.
KEPT = 2_000


class RowCache:
    """Cell values of evidence rows, per column, read from pandas only for rows not seen."""

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._rows: dict[int, tuple[Any, ...]] = {}

    def values(
        self, evidence: Evidence, rows: np.ndarray, columns: list[str]
    ) -> dict[str, list[Any]]:
        """``{column: [value of each row]}`` for ``rows`` (store row numbers), as
        ``evidence.column(c).take(rows).tolist()`` gives them."""
        key = (id(evidence), getattr(evidence, "raw_version", 0), tuple(columns))
        if key != self._key or len(self._rows) > KEPT:
            self._key, self._rows = key, {}
        wanted = [int(r) for r in rows.tolist()]
        missing = np.asarray([r for r in wanted if r not in self._rows], dtype=np.int64)
        if len(missing):
            read = [evidence.column(c).take(missing).tolist() for c in columns]
            for i, r in enumerate(missing.tolist()):
                self._rows[r] = tuple(col[i] for col in read)
        cells = [self._rows[r] for r in wanted]
        return {c: [cell[j] for cell in cells] for j, c in enumerate(columns)}
