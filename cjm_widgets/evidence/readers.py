"""Evidence readers: transcripts, surveys and data frames → one raw evidence DataFrame.

Each reader returns :class:`RawEvidence` (``frame`` + ``meta``); the :class:`Evidence` store
wraps it and adds the tag columns. Usage::

    raw = read_transcripts("interviews/*.vtt")
    raw = read_survey("survey.csv", items={"Seat comfort": "Seat"}, missing=(0,))
    raw = read_frame(reviews, text="review_bodies", ratings=["Seat Comfort"])

Frame columns, in order: ``evidence_id`` (stable, unique), ``source``, ``document``,
``participant``, ``position``, ``text``, ``rating``; transcripts add ``speaker``, ``role``,
``start``, ``end``; survey/rating rows add ``item``, ``touchpoint``, ``emotion`` (−2..+2);
then the input's other columns (segments) verbatim.

One module per family of reader: :mod:`~cjm_widgets.evidence.transcript_reader`,
:mod:`~cjm_widgets.evidence.survey_reader`, :mod:`~cjm_widgets.evidence.frame_reader`; what
they share is in ``_reader_base`` (columns, checks), ``_ratings`` (ratings → emotions) and
``_files`` (finding and reading files). This module gathers their public names.
"""

from __future__ import annotations

from cjm_widgets.evidence._reader_base import (
    BASE_COLUMNS,
    SOURCES,
    TABLE_EXTENSIONS,
    TRANSCRIPT_EXTENSIONS,
    RawEvidence,
)
from cjm_widgets.evidence.frame_reader import read_frame
from cjm_widgets.evidence.survey_reader import read_survey
from cjm_widgets.evidence.transcript_reader import read_transcripts

__all__ = [
    "BASE_COLUMNS",
    "SOURCES",
    "TABLE_EXTENSIONS",
    "TRANSCRIPT_EXTENSIONS",
    "RawEvidence",
    "read_frame",
    "read_survey",
    "read_transcripts",
]
