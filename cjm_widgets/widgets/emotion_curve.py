"""``cjm.EmotionCurve(journey, evidence, by=None)``: the emotion curve, live, in the notebook.

Usage::

    import cjm_widgets as cjm

    demo = cjm.datasets.demo()
    ev = demo.evidence()
    curve = cjm.EmotionCurve(demo.journey, ev, by="household")
    curve                       # the chart; click a point to select it
    curve.selected              # {"touchpoint_id": "t4", "series": "Family", "n": 189, ...}
    curve.by = "age_band"       # one line per age band (also: the Series dropdown)

The chart is :func:`cjm_widgets.charts.emotion_curve_chart` drawn by Vega in the browser,
bundled offline by vl-convert (nothing loads from a CDN) and shared by every curve of the
notebook: one copy travels in a hidden :class:`~cjm_widgets.widgets.vega_runtime.VegaRuntime`
model that each curve references. It is kept up to date by an
:class:`~cjm_widgets.analysis.EmotionAggregate`: after a tag only the chart's ``curve`` dataset
is replaced in the live view, so the view, its point selection and its params survive; a
journey edit that changes the axis (a touchpoint added, renamed or moved) sends a new spec and
the front end puts the selection back.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import ipywidgets
import pandas as pd
import traitlets

from cjm_widgets.analysis import EmotionAggregate
from cjm_widgets.analysis.curve import check_missing, missing_note
from cjm_widgets.charts import emotion_curve_chart, to_svg
from cjm_widgets.charts._base import plain
from cjm_widgets.charts.emotion_curve import CURVE_DATA, HIGHLIGHT, curve_records
from cjm_widgets.errors import CJMError
from cjm_widgets.widgets import _snapshot
from cjm_widgets.widgets._base import CJMWidget, check_kwargs, handler
from cjm_widgets.widgets._highlight import touchpoint_ids
from cjm_widgets.widgets._snapshot import running_loop
from cjm_widgets.widgets._svg_worker import SvgCache
from cjm_widgets.widgets.vega_runtime import VegaRuntime, runtime_bundle, shared_runtime

if TYPE_CHECKING:
    from collections.abc import Callable

    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["EmotionCurve"]

log = logging.getLogger("cjm_widgets.widgets")

#: Seconds of quiet after a change before its snapshot SVG is drawn ahead (see _prefetch_svg).
AHEAD_DELAY = 0.6
#: ... but never more than this many seconds after the first change not yet drawn.
AHEAD_MAX_LAG = 18.0
_MAX_SERIES = 30  # by="document" / "participant" offered while they draw this many lines at most
_SELECTED_FIELDS = (
    "touchpoint_id", "touchpoint", "stage_id", "stage", "series",
    "n", "mean", "sd", "ci_low", "ci_high", "n_participants", "supported",
)  # fmt: skip


#: Specs built, by (axis key, height, width): newest last, at most _SPECS_KEPT.
_specs: OrderedDict[tuple[Any, ...], str] = OrderedDict()
_SPECS_KEPT = 32


def _chart_spec(
    frame: pd.DataFrame, points: list[dict[str, Any]], *, height: int, width: int
) -> Any:
    """The chart's Vega-Lite spec without its points, built once per axis and size.

    The spec depends on the points only through the axis: each position's label and stage,
    in the order they come (the axis labels, the stage bands and headers); the series and
    the values travel apart, in ``_values``. Building it through Altair costs ~0.1–0.2 s, so a
    second curve of the same journey (any series), or a series switched back, reuses the
    first build (kept as JSON, so no two curves share one mutable dict).
    """
    axis = tuple(dict.fromkeys((p["x"], p["label"], p["stage_id"], p["stage"]) for p in points))
    cache_key = (axis, height, width)
    text = _specs.get(cache_key)
    if text is None:
        chart = emotion_curve_chart(frame, height=height, width=width)
        # validate=False: the builder's spec is checked against the Vega-Lite schema in the
        # tests (tests/test_cold_start.py); here it would cost ~0.2 s a build
        full = chart.to_dict(validate=False)
        full.pop("$schema", None)
        full["data"] = {"name": CURVE_DATA}  # the values travel in `_values`
        text = json.dumps(full)
        _specs[cache_key] = text
        while len(_specs) > _SPECS_KEPT:
            _specs.popitem(last=False)
    else:
        _specs.move_to_end(cache_key)
    return json.loads(text)


def _is_journey(value: Any) -> bool:
    return callable(getattr(value, "observe", None)) and hasattr(value, "stages")


class EmotionCurve(CJMWidget):
    """The emotion curve of ``journey`` computed from ``evidence``, updated as tags change.

    Parameters
    ----------
    journey, evidence:
        The journey whose touchpoints make the x axis, and the tagged evidence.
    by:
        A segment column of the evidence or a persona (name, id or object): one line per
        value. ``None`` (default): one line over all evidence.
    min_n:
        Points with fewer rows are drawn hollow, without an interval ("n 2, too few").
    missing:
        Rows without a value of the ``by`` column: ``"drop"`` (default; the summary says how
        many are not shown) or ``"label"`` (a series "not given").
    height, width:
        Chart size in pixels (width: 64 px per touchpoint, at least 560, by default).

    Traits: ``by`` (the series; settable, also from the Series dropdown), ``selected``
    (read-only: the clicked point's row of the curve — touchpoint, series, n, mean, CI — or
    None), ``highlight`` (touchpoint ids, or names, whose points get a yellow halo in every
    series: ``curve.highlight = ["t3", "t5"]``; ``[]`` clears it; the Workspace sets it to the
    touchpoints of the theme selected on its affinity board), ``error``. Python API:
    :meth:`select`, :attr:`frame`.
    """

    _asset = "emotion_curve"
    _snapshot_what = "emotion curve"

    by = traitlets.Unicode(
        None, allow_none=True, help="Series: a segment column or a persona name; None = all."
    ).tag(sync=True)
    selected = traitlets.Dict(
        None, allow_none=True, read_only=True, help="The selected point's curve row, or None."
    )
    highlight: traitlets.List[str] = traitlets.List(
        traitlets.Unicode(), help="Touchpoint ids whose points are highlighted (a halo)."
    ).tag(sync=True)
    _spec = traitlets.Dict().tag(sync=True)
    _values: traitlets.List[Any] = traitlets.List().tag(sync=True)
    _choices: traitlets.List[Any] = traitlets.List().tag(sync=True)
    _point = traitlets.Dict().tag(sync=True)
    _summary = traitlets.Unicode("").tag(sync=True)
    _version = traitlets.Int(0).tag(sync=True)
    #: The notebook's one copy of Vega (a widget reference; see widgets/vega_runtime.py).
    _runtime = traitlets.Instance(VegaRuntime, allow_none=True).tag(
        sync=True, **ipywidgets.widget_serialization
    )

    def __init__(
        self, journey: Journey, evidence: Evidence, *, by: Any = None, **kwargs: Any
    ) -> None:
        check_kwargs("EmotionCurve", kwargs, ["min_n", "height", "width", "missing"])
        if not _is_journey(journey):
            raise TypeError(
                f"EmotionCurve() needs a cjm_widgets.Journey first, got {type(journey).__name__}."
            )
        if not callable(getattr(evidence, "_tag_arrays", None)):
            raise TypeError(
                f"EmotionCurve() needs a cjm_widgets.Evidence second, got "
                f"{type(evidence).__name__}."
            )
        self.journey = journey
        self.evidence = evidence
        self.min_n = int(kwargs.get("min_n", 5))
        self.missing = check_missing(kwargs.get("missing", "drop"))
        self._height = int(kwargs.get("height", 260))
        self._width = kwargs.get("width")
        self._agg: EmotionAggregate | None = None
        self._key: tuple[Any, ...] | None = None
        self._closed = False
        self._quiet = False
        self._svg = SvgCache(render=to_svg)
        self._snap = 0  # the static snapshot's revision (see _prefetch_svg)
        #: Set by a displayed Workspace, whose snapshot shows this curve's SVG.
        self._draw_ahead = False
        self._ahead = _snapshot.QuietTimer(self._prefetch_due)
        #: The snapshots that show this curve when it is part of another widget (a Workspace).
        self._snapshot_owner: Any = None
        #: Called after each push is sent (the Workspace's board lane: the curve goes first).
        self._after_push: list[Callable[[], None]] = []
        by_name = self._by_name(by)
        super().__init__(by=by_name, _runtime=shared_runtime())
        self._start(by_name)
        self.observe(self._on_by, names="by")
        self.observe(self._on_point, names="_point")
        self.observe(self._prefetch_svg, names="_version")
        self.observe(self._prefetch_svg, names="highlight")

    # ------------------------------------------------------------------ public
    @property
    def frame(self) -> pd.DataFrame:
        """The curve shown (an ``emotion_curve`` frame; kept up to date incrementally)."""
        assert self._agg is not None
        return self._agg.frame

    def select(self, touchpoint: Any = None, series: str | None = None) -> dict[str, Any] | None:
        """Select the point of ``touchpoint`` (id, name or object) in ``series`` (default: the
        first series); ``select()`` clears the selection. Returns :attr:`selected`.

        Usage: ``curve.select("Delivery slot picker", series="Family")``
        """
        if touchpoint is None:
            self._point = {}
            return self.selected
        tp = self.journey.touchpoint(touchpoint)
        names = list(dict.fromkeys(self.frame["series"].astype(str)))
        if series is None:
            series = names[0] if names else ""
        elif str(series) not in names:
            raise CJMError(f"No series {series!r} in the curve. Series: {', '.join(names)}.")
        self._point = {"touchpoint_id": tp.id, "series": str(series)}
        return self.selected

    def close(self) -> None:
        if not getattr(self, "_closed", True):
            self._closed = True
            if self._agg is not None:
                self._agg.close()
            self._ahead.cancel()
        super().close()

    def __repr__(self) -> str:
        return f"EmotionCurve(by={self.by!r}, points={len(self._values)}, selected={self.selected})"

    # ------------------------------------------------------------------ series
    def _by_name(self, by: Any) -> str | None:
        """Validate ``by``; a persona is kept by name. Raises CJMError listing the choices."""
        if by is None or by == "":
            return None
        name = getattr(by, "name", by)
        if not isinstance(name, str):
            raise CJMError(f"by must be a column or persona name, got {type(by).__name__}.")
        if name in ("document", "participant") and name not in self._series_columns():
            raise CJMError(
                f"by={name!r} has {self._n_values(name):,} values: too many lines for one "
                f"chart (at most {_MAX_SERIES}); cjm.emotion_curve(journey, ev, by={name!r}) "
                "gives them as a table."
            )
        columns = self._series_columns()
        personas = {p.name: p for p in self.journey.personas}
        personas.update({p.id: p for p in self.journey.personas})
        if name in columns:
            return name
        if name in personas:
            return personas[name].name
        raise CJMError(
            f"Cannot draw one line per {name!r}: it is neither a segment column "
            f"({', '.join(columns) or 'none'}) nor a persona "
            f"({', '.join(p.name for p in self.journey.personas) or 'none'})."
        )

    def _n_values(self, column: str) -> int:
        ev = self.evidence
        return int(ev.derived(("widgets.n_values", column), lambda: ev.column(column).nunique()))

    def _series_columns(self) -> list[str]:
        """The segment columns, then ``document`` and ``participant`` when they have a few
        values (a line each): one line per interview or per person."""
        extra = [c for c in ("document", "participant") if 1 < self._n_values(c) <= _MAX_SERIES]
        return [*self.evidence.segments, *extra]

    @traitlets.validate("highlight")
    def _valid_highlight(self, proposal: Any) -> list[str]:
        """Touchpoint ids (names and objects are turned into ids), each once, in order."""
        return touchpoint_ids(self.journey, proposal["value"], owner="EmotionCurve.highlight")

    @traitlets.validate("by")
    def _valid_by(self, proposal: Any) -> str | None:
        try:
            return self._by_name(proposal["value"])
        except CJMError as exc:
            raise traitlets.TraitError(str(exc)) from None

    def _start(self, by: str | None) -> None:
        persona = next((p for p in self.journey.personas if p.name == by), None)
        agg = EmotionAggregate(
            self.journey,
            self.evidence,
            by=persona.id if persona else by,
            min_n=self.min_n,
            missing=self.missing,
        )
        old, self._agg = self._agg, agg
        if old is not None:
            old.close()
        self._persona_id = persona.id if persona else None
        self._key = None
        agg.observe(self._on_change)
        self._push()

    def _on_by(self, change: Any) -> None:
        if self._quiet or self._closed:
            return
        try:
            with self.hold_sync():
                self._point = {}
                self._start(change["new"])
        except Exception as exc:
            self.report_error(exc, action="change the series")

    # ------------------------------------------------------------------ updates
    def _on_change(self, _agg: Any) -> None:
        if self._closed:
            return
        try:
            self._push()
        except Exception as exc:
            self.report_error(exc, action="update the curve")

    def _set_choices(self) -> None:
        choices = [{"value": "", "label": "All evidence"}]
        choices += [{"value": c, "label": c} for c in self._series_columns()]
        choices += [{"value": p.name, "label": f"Persona: {p.name}"} for p in self.journey.personas]
        if self._persona_id is not None:  # follow a rename of the persona drawn
            persona = next((p for p in self.journey.personas if p.id == self._persona_id), None)
            if persona is not None and persona.name != self.by:
                self._quiet = True
                try:
                    self.by = persona.name
                finally:
                    self._quiet = False
        if choices != self._choices:
            self._choices = choices

    def _push(self) -> None:
        """Send the curve: new values always, a new spec only when the axis changed."""
        frame = self.frame
        points = curve_records(frame)
        key = tuple(
            (p["x"], p["label"], p["stage_id"], p["stage"], p["series"], p["touchpoint_id"])
            for p in points
        )
        with self.hold_sync():
            self._set_choices()
            if key != self._key:
                self._spec = _chart_spec(
                    frame, points, height=self._height, width=self._chart_width(points)
                )
                self._key = key
            self._values = points
            self._summary = self._describe(points, missing_note(frame))
            self._refresh_selected(frame)
            self._version += 1
        for callback in list(self._after_push):
            callback()

    def _chart_width(self, points: list[dict[str, Any]]) -> int:
        """The given width, else roomy in a notebook: 64 px per place, at least 560 px."""
        if self._width:
            return int(self._width)
        places = {(p["stage_id"], p["touchpoint_id"]) for p in points}
        return max(560, 64 * len(places))

    def _describe(self, points: list[dict[str, Any]], dropped: str = "") -> str:
        series = len({p["series"] for p in points})
        places = {(p["stage_id"], p["touchpoint_id"]) for p in points}
        n = sum(p["n"] for p in points)
        weak = sum(not p["supported"] for p in points)
        return (
            f"{len(places)} touchpoints · {series} series · {n:,} rated rows"
            + (f" · {weak} points below n={self.min_n}" if weak else "")
            + (f" · {dropped}" if dropped else "")
        )

    # ------------------------------------------------------------------ selection
    def _row(self, frame: pd.DataFrame, point: dict[str, Any]) -> pd.Series | None:
        tp, series = point.get("touchpoint_id"), point.get("series")
        if not tp:
            return None
        hit = frame[(frame["touchpoint_id"].astype(object) == tp) & (frame["series"] == series)]
        return None if hit.empty else hit.iloc[0]

    def _refresh_selected(self, frame: pd.DataFrame) -> None:
        row = self._row(frame, dict(self._point))
        if row is None:
            if self._point:
                self._point = {}  # the touchpoint or series is gone
            value = None
        else:
            value = {k: plain(row[k]) for k in _SELECTED_FIELDS}
            value["supported"] = bool(value["supported"])
        if value != self.selected:
            self.set_trait("selected", value)

    def _on_point(self, change: Any) -> None:
        if self._closed:
            return
        try:
            self._refresh_selected(self.frame)
        except Exception as exc:
            self.report_error(exc, action="select a point")

    @handler("vega_runtime")
    def _vega_runtime(self) -> dict[str, str]:
        """The Vega runtime for hosts without a widget manager to resolve ``_runtime``."""
        key, module = runtime_bundle()
        return {"key": key, "bundle": module}

    # ------------------------------------------------------------------ static snapshot
    def _static_spec(self) -> dict[str, Any]:
        # the live spec with the current points and highlight: no second chart build
        params = [
            {**p, "value": list(self.highlight)} if p.get("name") == HIGHLIGHT else p
            for p in self._spec.get("params", [])
        ]
        return {
            **self._spec,
            "params": params,
            "data": {"name": CURVE_DATA, "values": list(self._values)},
        }

    def _prefetch_svg(self, _change: Any = None) -> None:
        """Once shown, draw the next snapshot's SVG in a worker thread soon after a change
        (see widgets/_svg_worker.py), so that publishing it does not block the kernel.

        Not at once: the render (0.1–0.5 s of CPU) would compete with the rest of the click
        that made the change (the tagger's page, the messages out) on a busy machine, nor
        with the next click of a tagging burst. It starts after ``AHEAD_DELAY`` s without a
        change (at most ``AHEAD_MAX_LAG`` s after the first one), before the snapshot is
        published (``_snapshot.DELAY`` s of quiet), with the version current then."""
        self._snap = self._snap + 1
        if not (self._snapshots is not None or self._draw_ahead) or self._closed:
            return
        # a burst of changes is drawn once, when it pauses; no kernel loop (a script, a
        # test): now
        if not self._ahead.poke(AHEAD_DELAY, AHEAD_MAX_LAG):
            self._svg.prefetch(self._snap, self._static_spec())

    def _prefetch_due(self) -> None:
        if not self._closed:
            try:
                self._svg.prefetch(self._snap, self._static_spec())
            except Exception as exc:  # never break the kernel's event loop
                log.warning("could not draw the curve's snapshot ahead: %s", exc)

    def _static_html(self) -> str | None:
        svg = self._snapshot_svg()
        return f'<div class="cjm-curve-static">{svg}</div>'

    def _snapshot_svg(self) -> str:
        """The SVG of the current version; inside a tagging burst (a snapshot published at its
        lag limit) the newest one drawn, not a render that would block the next click: the
        current one is drawn in the worker and the snapshot published again after it."""
        loop = running_loop() if _snapshot.timed_publish() else None
        done = self._svg.latest()
        if loop is None or done is None or done[0] == self._snap:
            return self._svg.get(self._snap, self._static_spec())
        if not self._svg.drawing(self._snap):
            self._svg.prefetch(self._snap, self._static_spec())
        loop.call_later(_snapshot.DELAY, self._republish)
        return done[1]

    def _republish(self) -> None:
        """Mark the snapshot showing this curve stale again (its own, or the Workspace's)."""
        owner = self._snapshot_owner or self._snapshots
        if owner is not None and not self._closed:
            owner.changed()
