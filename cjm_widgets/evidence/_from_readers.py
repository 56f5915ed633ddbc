"""The readers' glue: ``Evidence.from_transcripts``, ``from_survey`` and ``from_frame``.

Each spells out its reader's parameters (the reader's docstring says what each does) and
resolves touchpoints against ``journey``. Usage::

    ev = cjm.Evidence.from_survey("survey.csv", items={"q_checkout": "Checkout"}, journey=j)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Self

import pandas as pd

from cjm_widgets.evidence._construct import ConstructMixin
from cjm_widgets.evidence._split import split_raw
from cjm_widgets.evidence.frame_reader import read_frame
from cjm_widgets.evidence.participants import ParticipantRule
from cjm_widgets.evidence.survey_reader import read_survey
from cjm_widgets.evidence.transcript_reader import read_transcripts

if TYPE_CHECKING:
    from cjm_widgets.model.journey import Journey


class FromReadersMixin(ConstructMixin):
    """Part of :class:`~cjm_widgets.evidence.store.Evidence` (see its module)."""

    @classmethod
    def from_transcripts(
        cls,
        paths_or_glob: str | Path | Sequence[str | Path],
        *,
        journey: Journey | None = None,
        interviewer: str | Sequence[str] | Callable[[str], bool] | None = None,
        roles: Mapping[str, str] | None = None,
        participant: ParticipantRule = "file+speaker",
        source: str = "interview",
        encoding: str | None = None,
        segments: str | Sequence[str] | None = None,
        progress: bool | None = None,
        quiet: bool = False,
        split: str | None = None,
        language: str = "en",
    ) -> Self:
        """Read interview transcripts (.txt, .md, .vtt, .srt, .docx, CSV of turns).

        Usage: ``ev = cjm.Evidence.from_transcripts("interviews/*.txt", quiet=True)``

        ``journey`` links the store; every other parameter is
        :func:`~cjm_widgets.evidence.transcript_reader.read_transcripts`'s: ``interviewer``
        and ``roles`` say who asks, ``participant`` who a person is, ``source`` the source
        column, ``encoding`` the text encoding (None: sniffed), ``segments`` which columns of
        a CSV of turns to keep, ``progress`` a bar, ``quiet`` no printed summary.
        ``split="sentence" | "paragraph"`` makes one row per sentence or paragraph of each
        turn in ``language`` ("en", "fi", "sv", "pl", "ms"), each knowing its turn
        (``parent_id``, ``span_start``, ``span_end``; see :mod:`cjm_widgets.evidence._split`).
        """
        raw = read_transcripts(
            paths_or_glob,
            interviewer=interviewer,
            roles=roles,
            participant=participant,
            source=source,
            encoding=encoding,
            segments=segments,
            progress=progress,
            quiet=quiet,
        )
        return cls(split_raw(raw, split, language), journey=journey)

    @classmethod
    def from_survey(
        cls,
        df_or_path: pd.DataFrame | str | Path,
        *,
        items: Mapping[str, object] | Sequence[str],
        journey: Journey | None = None,
        scale: tuple[float, float] = (1, 5),
        scales: Mapping[str, tuple[float, float]] | None = None,
        missing: Sequence[object] | Mapping[str, Sequence[object]] = (0,),
        respondent: str | None = "id",
        segments: str | Sequence[str] | None = None,
        text_items: Sequence[str] | None = None,
        document: str | None = None,
        on_invalid: str = "raise",
        encoding: str | None = None,
    ) -> Self:
        """Read a survey (DataFrame, CSV, TSV, XLSX) in long format, tagged to touchpoints.

        Usage::

            ev = cjm.Evidence.from_survey("survey.csv", items={"q_checkout": "Checkout"},
                                          scale=(1, 5), missing=(0,), journey=journey)

        The touchpoints in ``items`` are resolved against ``journey`` (needed when items map
        to touchpoints). The other parameters are
        :func:`~cjm_widgets.evidence.survey_reader.read_survey`'s: ``scale`` / ``scales``
        the rating scales mapped onto −2..+2, ``missing`` codes that give no emotion,
        ``respondent`` the id column (None: the row number), ``segments`` the columns kept
        (None: every other column), ``text_items`` free-text columns, ``document`` its name,
        ``on_invalid`` "raise" or "missing" for values outside the scale, ``encoding``.
        """
        raw = read_survey(
            df_or_path,
            items=items,
            scale=scale,
            scales=scales,
            missing=missing,
            respondent=respondent,
            segments=segments,
            text_items=text_items,
            document=document,
            on_invalid=on_invalid,
            encoding=encoding,
        )
        return cls(raw, journey=journey)

    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        *,
        journey: Journey | None = None,
        text: str | None = None,
        participant: str | None = None,
        source: str = "review",
        document: str | None = None,
        id: str | None = None,
        ratings: Mapping[str, object] | Sequence[str] | None = None,
        scale: tuple[float, float] = (1, 5),
        scales: Mapping[str, tuple[float, float]] | None = None,
        missing: Sequence[object] | Mapping[str, Sequence[object]] = (),
        on_invalid: str = "raise",
        segments: str | Sequence[str] | None = None,
        split: str | None = None,
        language: str = "en",
    ) -> Self:
        """Any DataFrame (reviews, tickets): a text row per input row plus rating rows.

        Usage: ``ev = cjm.Evidence.from_frame(reviews, text="body", segments=["Class"])``

        The touchpoints in ``ratings`` are resolved against ``journey``. The other parameters
        are :func:`~cjm_widgets.evidence.frame_reader.read_frame`'s: ``text``,
        ``participant`` and ``id`` name columns, ``source`` / ``document`` label the rows,
        ``ratings`` maps rating columns to touchpoints with ``scale`` / ``scales`` /
        ``missing`` / ``on_invalid`` as in :meth:`from_survey`, and ``segments`` the columns
        kept on every row (None: every other column). ``split="sentence" | "paragraph"``
        makes one row per sentence or paragraph of each text in ``language`` (as in
        :meth:`from_transcripts`); rating rows stay whole.
        """
        raw = read_frame(
            df,
            text=text,
            participant=participant,
            source=source,
            document=document,
            id=id,
            ratings=ratings,
            scale=scale,
            scales=scales,
            missing=missing,
            on_invalid=on_invalid,
            segments=segments,
        )
        return cls(split_raw(raw, split, language), journey=journey)
