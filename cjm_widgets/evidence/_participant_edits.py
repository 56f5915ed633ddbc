"""Editing who said what: renaming and merging participants, setting their segments.

Usage: ``ev.rename_participant("P3", "Anna")``; ``ev.participants``
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cjm_widgets.evidence._state import (
    READER_COLUMNS,
    TAG_COLUMNS,
    _now_ns,
    _Op,
)
from cjm_widgets.evidence._survey import LongColumns
from cjm_widgets.evidence._tagging import TaggingMixin
from cjm_widgets.evidence.readers import BASE_COLUMNS
from cjm_widgets.evidence.tags import (
    EvidenceChange,
    TagSlice,
)

if TYPE_CHECKING:
    pass


class ParticipantEditsMixin(TaggingMixin):
    """Part of :class:`~cjm_widgets.evidence.store.Evidence` (see its module)."""

    @property
    def raw_version(self) -> int:
        """How often the raw columns changed (participant edits, their undo and redo)."""
        return int(self.__dict__.get("_raw_version", 0))

    @property
    def participants(self) -> pd.DataFrame:
        """One row per participant (a person), indexed by participant id: ``documents``,
        ``speakers``, ``sources``, ``rows`` (evidence rows from them; interviewer turns apart in
        ``interviewer_rows``) and the segments set by :meth:`set_participant_segments`.
        A copy: edit with :meth:`rename_participant`, :meth:`merge_participants`,
        :meth:`set_participant_segments` (each undoable with :meth:`undo`).

        Usage: ``ev.participants.sort_values("rows")``
        """
        from cjm_widgets.evidence import participants

        return participants.table_of(self)

    def rename_participant(self, old: str, new: str) -> EvidenceChange | None:
        """Give participant ``old`` the id ``new`` (every row from them). Undoable; run again
        (``old`` gone, ``new`` there) it changes nothing and returns None.

        Usage: ``ev.rename_participant("interview_07/Interviewee", "Maria")``
        """
        from cjm_widgets.evidence import participants

        done = participants.renamed(self, old, new)
        if done is None:
            return None
        return self._commit_raw(done[0], self._psegs(), done[1], "rename participant")

    def merge_participants(
        self, ids: Sequence[str], *, into: str | None = None
    ) -> EvidenceChange | None:
        """Make participants ``ids`` one person, ``into`` (default: the first id). Undoable;
        run again (only ``into`` left) it changes nothing and returns None.

        Their segments (from :meth:`set_participant_segments`) must agree or be missing.
        Usage: ``ev.merge_participants(["s1/Anna", "s2/Anna"], into="Anna")``
        """
        from cjm_widgets.evidence import participants

        done = participants.merged(self, ids, into)
        if done is None:
            return None
        return self._commit_raw(done[0], self._psegs(), done[1], "merge participants")

    def set_participant_segments(
        self,
        table: pd.DataFrame | str | Path,
        *,
        on: str = "participant",
        columns: Sequence[str] | None = None,
    ) -> EvidenceChange | None:
        """Attach per-person segments (age band, region …) from a DataFrame or CSV: column
        ``on`` holds participant ids, the other columns (or ``columns``) become segment
        columns of every row from that person, usable as ``by=`` everywhere. People missing
        from the table get missing values. All ids must exist; nothing changes on an error.
        Undoable; setting a column again replaces it (with the same values: no change, None).

        Usage: ``ev.set_participant_segments("people.csv", on="participant")``
        """
        from cjm_widgets.evidence import participants

        reserved = [*BASE_COLUMNS, *READER_COLUMNS, *TAG_COLUMNS]
        done = participants.with_segments(self, table, on, columns, reserved)
        if done is None:
            return None
        return self._commit_raw(done[0], done[1], np.arange(self._n), "participant segments")

    def _psegs(self) -> list[str]:
        """The segment columns set by :meth:`set_participant_segments`."""
        return list(self.__dict__.get("_participant_segments", []))

    def _commit_raw(
        self, frame: pd.DataFrame, segs: list[str], rows: np.ndarray, action: str
    ) -> EvidenceChange:
        """Replace the raw columns by ``frame`` as one undoable operation (tags unchanged)."""
        rows = np.asarray(rows, dtype=np.int64)
        same = TagSlice.take(self._tag_arrays(), rows)
        at = self._at[rows]
        op = _Op("participants", rows, same, same, at, at, len(self._history))
        # both states frame-backed: a survey's lazily built columns are closures (no pickle)
        op.raw_before = (LongColumns.of_frame(self._raw.to_frame()), self._psegs())
        op.raw_after = (LongColumns.of_frame(frame), list(segs))
        self._apply(op, forward=True)
        return self._record(op, action, {}, _now_ns())
