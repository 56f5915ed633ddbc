"""The journey and its findings as an Excel workbook (XlsxWriter), for people who work in sheets.

Usage: ``cjm.export.to_excel(journey, ev, "journey.xlsx")``

Sheets: ``map`` (lanes × stages), ``touchpoints``, ``evidence`` (every row with its tags),
``curve``, ``pain points``, ``opportunities``. Header rows are bold and frozen, columns sized
to their content. No cell ever becomes a formula: text is written as a string cell, and text
starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) gets a leading apostrophe
so that a spreadsheet program does not evaluate it either when the cell is edited or the sheet
is saved as CSV. A text longer than a cell holds (32,767 characters) is cut and ends in a
visible ``… [cut: …]`` marker, with one warning naming the rows. The workbook is streamed
(XlsxWriter's constant-memory mode: each row is written out as it comes), so the 363,664
evidence rows of a survey take seconds, not minutes (``benchmarks/bench_excel.py``).
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets._text import safe_text
from cjm_widgets.errors import CJMError
from cjm_widgets.export._findings import collect

if TYPE_CHECKING:
    from cjm_widgets.events import Events
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["safe_cell", "to_excel"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_WIDTH = 60
_CELL_LIMIT = 32_767  # characters a cell holds
_MARKER = " … [cut: the first {shown} of {total} characters; the full text is in ev.frame]"
_MARKER_ROOM = 120  # the marker's length is at most this
_EXCEL_ROWS = 1_048_575


def _fit(text: str) -> tuple[str, bool]:
    """Text cut to Excel's cell limit, ending in a visible marker that says so; and whether
    it was cut."""
    if len(text) <= _CELL_LIMIT:
        return text, False
    total = f"{len(text):,}"
    keep = _CELL_LIMIT - len(_MARKER.format(shown="00,000", total=total))
    return text[:keep] + _MARKER.format(shown=f"{keep:,}", total=total), True


def _safe(value: Any) -> tuple[Any, bool]:
    if value is None or value is pd.NA or value is pd.NaT:
        return None, False
    if isinstance(value, list | tuple | np.ndarray):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None, False
    if isinstance(value, pd.Timestamp):
        value = value.floor("us").to_pydatetime()
    if isinstance(value, _dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(_dt.UTC).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, bool | int | float | _dt.datetime | _dt.date):
        return value, False
    text = safe_text(str(value))
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return _fit(text)


def safe_cell(value: Any) -> Any:
    """A value that is safe in a cell: text that would start a formula gets a leading ``'``;
    control characters XML cannot hold are dropped; NaN/NA become empty; lists are joined;
    text longer than a cell holds (32,767 characters) is cut and ends in a visible marker
    (``… [cut: the first 32,680 of 40,000 characters; the full text is in ev.frame]``).

    Usage: ``safe_cell("=HYPERLINK(...)")  # "'=HYPERLINK(...)"``
    """
    return _safe(value)[0]


def _cells(column: pd.Series) -> tuple[list[Any], list[int]]:
    """A column's cell values (as :func:`safe_cell` makes them) and the rows whose text was
    cut. Numbers go through numpy at once; other values are made once per distinct value."""
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else "O"
    if kind in "iub":
        return column.tolist(), []
    if kind == "f":
        values = column.to_numpy(dtype=np.float64)
        out = values.astype(object)
        out[np.isnan(values)] = None
        return out.tolist(), []
    try:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
    except TypeError:  # unhashable values (lists): one at a time
        made = [_safe(v) for v in column.tolist()]
        return [v for v, _ in made], [i for i, (_, was_cut) in enumerate(made) if was_cut]
    table = np.empty(len(uniques) + 1, dtype=object)  # the last: code -1, missing
    cut = np.zeros(len(uniques) + 1, dtype=bool)
    for i, value in enumerate(uniques):
        table[i], cut[i] = _safe(value)
    rows = np.flatnonzero(cut[codes]).tolist() if cut.any() else []
    return table[codes].tolist(), rows


def _sheet(wb: Any, title: str, frame: pd.DataFrame) -> list[int]:
    """Stream ``frame`` into a new sheet (XlsxWriter, constant memory: each row is written
    out as it comes): bold, frozen header, columns sized to their content, a filter;
    returns the rows with a text cut."""
    ws = wb.add_worksheet(title)
    names = [str(c) for c in frame.columns]
    columns: list[list[Any]] = []
    cut: set[int] = set()
    for i in range(frame.shape[1]):
        cells, rows = _cells(frame.iloc[:, i])
        columns.append(cells)
        cut.update(rows)
    for i, (name, cells) in enumerate(zip(names, columns, strict=True)):
        lengths = [len(str(v)) for v in dict.fromkeys(cells) if v is not None]  # distinct values
        width = min(_MAX_WIDTH, max([len(name), *lengths]))
        ws.set_column(i, i, max(8, width + 2))
    ws.freeze_panes(1, 0)
    if len(frame) and names:
        ws.autofilter(0, 0, len(frame), len(names) - 1)
    header = wb.add_format({"bold": True, "valign": "top", "text_wrap": True})
    ws.write_row(0, 0, [safe_cell(n) for n in names], header)
    for r, row in enumerate(zip(*columns, strict=True), 1):
        ws.write_row(r, 0, row)  # strings stay strings (strings_to_formulas=False)
    return sorted(cut)


def _map_frame(journey: Journey) -> pd.DataFrame:
    frame = journey.to_frame()
    return frame.reset_index().rename(columns={"lane": "Lane"})


def _touchpoints_frame(journey: Journey) -> pd.DataFrame:
    rows = [
        {
            "stage_id": st.id,
            "stage": st.name,
            "touchpoint_id": tp.id,
            "touchpoint": tp.name,
            "channel": tp.channel,
            "phase": tp.phase,
            "owner": tp.owner,
            "description": tp.description,
        }
        for st in journey.stages
        for tp in st.touchpoints
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "stage_id",
            "stage",
            "touchpoint_id",
            "touchpoint",
            "channel",
            "phase",
            "owner",
            "description",
        ],
    )


def _evidence_frame(journey: Journey, evidence: Evidence) -> pd.DataFrame:
    frame = evidence.frame
    tp_names = {tp.id: tp.name for tp in journey.touchpoints}
    st_names = {st.id: st.name for st in journey.stages}
    out = frame.copy()
    tp_col = out["touchpoint_id"].astype(object)
    st_col = out["stage_id"].astype(object)
    out.insert(
        out.columns.get_loc("touchpoint_id") + 1,
        "touchpoint",
        [tp_names.get(t) if isinstance(t, str) else None for t in tp_col],
    )
    out.insert(
        out.columns.get_loc("stage_id") + 1,
        "stage",
        [st_names.get(s) if isinstance(s, str) else None for s in st_col],
    )
    return out


def to_excel(
    journey: Journey,
    evidence: Evidence | None,
    path: str | os.PathLike[str],
    *,
    min_n: int = 5,
    events: Events | None = None,
) -> Path:
    """Write the workbook (see the module docs); returns the path. ``evidence`` may be None
    (then only the map, touchpoints and opportunities sheets). With ``events`` (a mapped
    :class:`cjm.Events`) the sheets funnel, reach, flows and paths are added.

    Usage: ``cjm.export.to_excel(journey, ev, "journey.xlsx")``
    """
    import io

    import xlsxwriter

    from cjm_widgets._atomic import atomic_write_bytes
    from cjm_widgets.analysis import opportunities

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise CJMError(
            f"to_excel writes an .xlsx workbook; give a path ending in .xlsx, not {str(path)!r}."
        )
    if evidence is not None and len(evidence) > _EXCEL_ROWS:
        raise CJMError(
            f"Excel holds at most {_EXCEL_ROWS:,} data rows per sheet; this evidence has "
            f"{len(evidence):,}. Export a part of it (e.g. the tagged text rows) or write the "
            "whole table with ev.frame.to_parquet(...)."
        )
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": True,  # rows stream to a temporary file: 363k rows in seconds
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": True,
            "default_date_format": "yyyy-mm-dd hh:mm:ss",
        },
    )
    evidence_frame = None
    try:
        cut: dict[str, list[int]] = {}
        cut["map"] = _sheet(wb, "map", _map_frame(journey))
        cut["touchpoints"] = _sheet(wb, "touchpoints", _touchpoints_frame(journey))
        if evidence is not None:
            f = collect(journey, evidence, min_n=min_n, with_coverage=False)
            evidence_frame = _evidence_frame(journey, evidence)
            cut["evidence"] = _sheet(wb, "evidence", evidence_frame)
            cut["curve"] = _sheet(wb, "curve", f.overall)
            pains = f.pains.copy()
            pains["participants of quotes"] = [
                f.quote_participants(list(ids)) for ids in pains["quote_ids"]
            ]
            cut["pain points"] = _sheet(wb, "pain points", pains)
            cut["opportunities"] = _sheet(wb, "opportunities", f.opportunities)
        else:
            cut["opportunities"] = _sheet(wb, "opportunities", opportunities(journey))
        if events is not None:
            from cjm_widgets.export.behaviour import behaviour_findings

            b = behaviour_findings(journey, events)
            cut["funnel"] = _sheet(wb, "funnel", b.funnel)
            cut["reach"] = _sheet(wb, "reach", b.reach)
            cut["flows"] = _sheet(wb, "flows", b.flows)
            cut["paths"] = _sheet(wb, "paths", b.variants.drop(columns="path_ids"))
    finally:
        wb.close()  # also on an error: closes the rows' temporary files (nothing is saved)
    path_out = atomic_write_bytes(target, buffer.getvalue())
    _warn_cut(cut, evidence_frame)
    return path_out


def _warn_cut(cut: dict[str, list[int]], evidence_frame: pd.DataFrame | None) -> None:
    """One warning naming the sheets (and evidence ids) whose texts were cut."""
    where = {sheet: rows for sheet, rows in cut.items() if rows}
    if not where:
        return
    parts = [f"{len(rows):,} in {sheet!r}" for sheet, rows in where.items()]
    ids = ""
    if evidence_frame is not None and where.get("evidence"):
        shown = evidence_frame["evidence_id"].iloc[where["evidence"][:5]].tolist()
        ids = f" (evidence {', '.join(map(repr, shown))})"
    warnings.warn(
        f"Texts longer than an Excel cell holds ({_CELL_LIMIT:,} characters) were cut: rows "
        f"{'; '.join(parts)}{ids}. Each cut cell ends in '… [cut: …]'; the full texts stay "
        "in ev.frame (write them with ev.frame.to_parquet(...) or to_csv).",
        UserWarning,
        stacklevel=2,
    )
