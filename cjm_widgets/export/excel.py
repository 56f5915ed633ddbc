"""The journey and its findings as an Excel workbook (openpyxl), for people who work in sheets.

Usage: ``cjm.export.to_excel(journey, ev, "journey.xlsx")``

Sheets: ``map`` (lanes × stages), ``touchpoints``, ``evidence`` (every row with its tags),
``curve``, ``pain points``, ``opportunities``. Header rows are bold and frozen, columns sized
to their content. No cell ever becomes a formula: text is written as a string cell, and text
starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) gets a leading apostrophe
so that a spreadsheet program does not evaluate it either when the cell is edited or the sheet
is saved as CSV.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cjm_widgets.errors import CJMError
from cjm_widgets.export._findings import collect

__all__ = ["safe_cell", "to_excel"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_WIDTH = 60
_EXCEL_ROWS = 1_048_575
# Characters openpyxl (and the XML of .xlsx) cannot hold.
_ILLEGAL = {i: None for i in [*range(0, 9), 11, 12, *range(14, 32)]}


def safe_cell(value: Any) -> Any:
    """A value that is safe in a cell: text that would start a formula gets a leading ``'``;
    control characters XML cannot hold are dropped; NaN/NA become empty; lists are joined.

    Usage: ``safe_cell("=HYPERLINK(...)")  # "'=HYPERLINK(...)"``
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, list | tuple | np.ndarray):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.floor("us").to_pydatetime()
    if isinstance(value, _dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(_dt.UTC).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, bool | int | float | _dt.datetime | _dt.date):
        return value
    text = str(value).translate(_ILLEGAL)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def _sheet(wb: Any, title: str, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    columns = [str(c) for c in frame.columns]
    ws.append([safe_cell(c) for c in columns])
    widths = [len(c) for c in columns]
    for row in frame.itertuples(index=False, name=None):
        values = [safe_cell(v) for v in row]
        ws.append(values)
        for i, v in enumerate(values):
            if v is not None:
                widths[i] = max(widths[i], min(_MAX_WIDTH, len(str(v))))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a string cell, never a formula
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(8, width + 2)
    if len(frame):
        ws.auto_filter.ref = ws.dimensions


def _map_frame(journey: Any) -> pd.DataFrame:
    frame = journey.to_frame()
    return frame.reset_index().rename(columns={"lane": "Lane"})


def _touchpoints_frame(journey: Any) -> pd.DataFrame:
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
    return pd.DataFrame(rows, columns=["stage_id", "stage", "touchpoint_id", "touchpoint",
                                       "channel", "phase", "owner", "description"])


def _evidence_frame(journey: Any, evidence: Any) -> pd.DataFrame:
    frame = evidence.frame
    tp_names = {tp.id: tp.name for tp in journey.touchpoints}
    st_names = {st.id: st.name for st in journey.stages}
    out = frame.copy()
    tp_col = out["touchpoint_id"].astype(object)
    st_col = out["stage_id"].astype(object)
    out.insert(out.columns.get_loc("touchpoint_id") + 1, "touchpoint",
               [tp_names.get(t) if isinstance(t, str) else None for t in tp_col])
    out.insert(out.columns.get_loc("stage_id") + 1, "stage",
               [st_names.get(s) if isinstance(s, str) else None for s in st_col])
    return out


def to_excel(
    journey: Any,
    evidence: Any,
    path: str | os.PathLike[str],
    *,
    min_n: int = 5,
    events: Any = None,
) -> Path:
    """Write the workbook (see the module docs); returns the path. ``evidence`` may be None
    (then only the map, touchpoints and opportunities sheets). With ``events`` (a mapped
    :class:`cjm.Events`) the sheets funnel, reach, flows and paths are added.

    Usage: ``cjm.export.to_excel(journey, ev, "journey.xlsx")``
    """
    from openpyxl import Workbook

    from cjm_widgets._atomic import atomic_write_bytes
    from cjm_widgets.analysis import opportunities

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise CJMError(f"to_excel writes an .xlsx workbook; give a path ending in .xlsx, not "
                       f"{str(path)!r}.")
    if evidence is not None and len(evidence) > _EXCEL_ROWS:
        raise CJMError(
            f"Excel holds at most {_EXCEL_ROWS:,} data rows per sheet; this evidence has "
            f"{len(evidence):,}. Export a part of it (e.g. the tagged text rows) or write the "
            "whole table with ev.frame.to_parquet(...)."
        )
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "map", _map_frame(journey))
    _sheet(wb, "touchpoints", _touchpoints_frame(journey))
    if evidence is not None:
        f = collect(journey, evidence, min_n=min_n, with_coverage=False)
        _sheet(wb, "evidence", _evidence_frame(journey, evidence))
        _sheet(wb, "curve", f.overall)
        pains = f.pains.copy()
        pains["participants of quotes"] = [f.quote_participants(list(ids))
                                           for ids in pains["quote_ids"]]
        _sheet(wb, "pain points", pains)
        _sheet(wb, "opportunities", f.opportunities)
    else:
        _sheet(wb, "opportunities", opportunities(journey))
    if events is not None:
        from cjm_widgets.export.behaviour import behaviour_findings

        b = behaviour_findings(journey, events)
        _sheet(wb, "funnel", b.funnel)
        _sheet(wb, "reach", b.reach)
        _sheet(wb, "flows", b.flows)
        _sheet(wb, "paths", b.variants.drop(columns="path_ids"))
    import io

    buffer = io.BytesIO()
    wb.save(buffer)
    return atomic_write_bytes(target, buffer.getvalue())
