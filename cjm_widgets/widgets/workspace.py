"""``cjm.Workspace(journey, evidence)``: the editor, the live curve and the tagger, linked.

Usage::

    import cjm_widgets as cjm

    demo = cjm.datasets.demo()
    ev = demo.evidence()
    ws = cjm.Workspace(demo.journey, ev, by="household", autosave="grocery.journey.json")
    ws                      # map board, emotion curve and evidence table in one cell
    ws.curve.selected       # the clicked point; ws.tagger now shows the evidence behind it

The three widgets are views over the same ``journey`` and ``evidence``: an edit on the board,
a tag in the table or a change from Python reaches all of them through the model's change
events (no widget talks to another, so there are no feedback loops). The links the
Workspace adds, all visible in the tagger's filter bar as a removable chip:

- clicking a point of the curve filters the tagger to that touchpoint and series ("From
  curve: Check-in desk · Business"); clearing the point removes that filter;
- clicking a point of the emotion lane on the board (under the cards) does what clicking
  that point of the curve does; the lane follows the curve's series (its dropdown);
- clicking a touchpoint card on the board selects that touchpoint's point on the curve (in the
  series of the point already selected, else the curve's first series, "All" when there is
  one line) and filters the tagger to the evidence behind it ("From map: Check-in desk");
- with ``themes=``, selecting a theme on the affinity board filters the tagger to its quotes
  ("From theme “…”") and highlights all its touchpoints on the curve and on the map
  (``curve.highlight``, ``editor.highlight``); deselecting it, removing its chip or clicking
  a point clears the highlight;
- removing the chip (or changing the filter so that it no longer holds) clears the curve's
  point, so the curve never marks a point the tagger is not showing.

The map spans the top; the curve (with the behaviour lane) and the tagger sit side by side
under it when the output is wide enough (≥ ~970 px), so both are seen together at 1440×900,
and wrap under each other when it is not. Panes collapse with the toggles in the header and
resize by their bottom-right corner.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets

from cjm_widgets.analysis.curve import MISSING
from cjm_widgets.widgets._snapshot import Snapshots
from cjm_widgets.widgets.autosave import Autosave
from cjm_widgets.widgets.emotion_curve import EmotionCurve
from cjm_widgets.widgets.evidence_tagger import EvidenceTagger
from cjm_widgets.widgets.journey_editor import JourneyEditor

if TYPE_CHECKING:
    import pandas as pd

    from cjm_widgets.analysis.theme_model import Themes
    from cjm_widgets.events import Events
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey, Persona

__all__ = ["Workspace"]

_PANES = (("editor", "Map"), ("curve", "Emotion curve"), ("tagger", "Evidence"))


class Workspace(ipywidgets.VBox):  # type: ignore[misc]  # ipywidgets is untyped
    """Journey editor, emotion curve and evidence tagger over one journey and evidence.

    Parameters
    ----------
    journey, evidence:
        What to edit, chart and tag.
    by:
        The curve's series (a segment column or persona), as in :class:`EmotionCurve`.
    autosave:
        A ``.json`` path: the journey is saved there and the tags beside it
        (``x.journey.json`` → ``x.tags.json``) at most ``autosave_delay`` seconds after each
        change, atomically. When those files exist already (the notebook runs again after a
        crash or a restart), the journey and tags are first restored from them, undoably,
        and the header says so; an invalid file stops with an ``AutosaveError`` and stays
        untouched.
    autosave_delay:
        Seconds (≤ 1) the files may lag behind the last change.
    autosave_resume:
        False starts afresh and overwrites existing autosave files.
    coder, page_size:
        Passed to the :class:`EvidenceTagger`.
    themes:
        True, a :func:`cjm.themes` DataFrame or a :class:`cjm.Themes`: an affinity board
        (:class:`~cjm_widgets.widgets.affinity_board.AffinityBoard`) in a "Themes" pane;
        selecting a theme there filters the tagger to its quotes and highlights all its
        touchpoints on the curve and on the map (``curve.highlight``, ``editor.highlight``);
        clearing the selection (or filtering the tagger otherwise) clears both. Without it
        the Workspace is unchanged.
    events:
        A mapped :class:`cjm.Events`: a behaviour lane under the curve shows the cases reaching
        each touchpoint and leaving after it; clicking a touchpoint there (or a point of the
        curve) shows its flows in the lane and its quotes in the tagger.

    suggest:
        True (or a :class:`cjm.Suggester`): the tagger's Suggested column and filter, Enter
        to accept the selected rows' suggestions and X to reject them (see
        :class:`EvidenceTagger`).

    Attributes: ``editor``, ``curve``, ``tagger`` (the three widgets), ``behaviour`` (the
    :class:`~cjm_widgets.widgets.behaviour_lane.BehaviourLane`, or None), ``board`` (the
    affinity board, or None), ``autosave`` (the
    :class:`~cjm_widgets.widgets.autosave.Autosave`, or None).
    """

    def __init__(
        self,
        journey: Journey,
        evidence: Evidence,
        *,
        by: str | Persona | None = None,
        autosave: str | Path | None = None,
        autosave_delay: float = 0.5,
        autosave_resume: bool = True,
        coder: str = "",
        page_size: int = 50,
        min_n: int = 5,
        events: Events | None = None,
        themes: bool | pd.DataFrame | Themes | None = None,
        suggest: Any = False,
    ) -> None:
        self.journey, self.evidence = journey, evidence
        self._status = ipywidgets.HTML(layout=ipywidgets.Layout(margin="0 0 0 auto"))
        self._status.add_class("cjm-ws-status")
        made: list[Any] = []
        try:
            self.curve = EmotionCurve(journey, evidence, by=by, min_n=min_n)
            made.append(self.curve)
            # the board's emotion lane is drawn from the curve's own sums (one aggregate)
            self.editor = JourneyEditor(journey, evidence=evidence, lane=False)
            made.append(self.editor)
            self.tagger = EvidenceTagger(
                journey, evidence, page_size=page_size, coder=coder, suggest=suggest
            )
            made.append(self.tagger)
            self.behaviour = None
            if events is not None:
                from cjm_widgets.widgets.behaviour_lane import BehaviourLane

                self.behaviour = BehaviourLane(journey, events)
                made.append(self.behaviour)
            self.board = None
            if themes is not None and themes is not False:
                from cjm_widgets.widgets.affinity_board import AffinityBoard

                self.board = AffinityBoard(journey, evidence, None if themes is True else themes)
                made.append(self.board)
            self.autosave = (
                Autosave(
                    journey,
                    evidence,
                    autosave,
                    delay=autosave_delay,
                    on_status=self._show_status,
                    resume=autosave_resume,
                )
                if autosave is not None
                else None
            )
        except Exception:
            for widget in made:  # nothing half-made stays observing the model
                widget.close()
            raise
        self._picking = False
        self._snapshots: Snapshots | None = None
        self.curve.observe(self._on_point, names="selected")
        self.editor.on_touchpoint_click(self._on_card)
        self.editor.on_lane_click(self._on_lane_point)
        self.editor.on_evidence_click(self._on_item_evidence)
        # after the curve's own message is sent, so a tag repaints the curve first
        self.curve._after_push.append(self._on_curve_drawn)
        self._on_curve_drawn()
        self.tagger.observe(self._on_unlinked, names="linked")
        if self.autosave is not None and self.autosave.last_error is None:
            self._show_status(
                self.autosave.restored or f"Autosave on: {self.autosave.path.name}", True
            )
        self._panes: dict[str, ipywidgets.Box] = {}
        toggles = []
        self._pane_list: tuple[tuple[str, str], ...] = _PANES
        if self.behaviour is not None:  # the behaviour lane sits under the curve
            self._pane_list = (*_PANES[:2], ("behaviour", "Behaviour"), *_PANES[2:])
            self.behaviour.observe(self._on_lane, names="selected")
        if self.board is not None:  # the affinity board comes last
            self._pane_list = (*self._pane_list, ("board", "Themes"))
            self.board.observe(self._on_theme, names="selected")
            self.board.observe(self._on_theme_columns, names="columns")
        for key, label in self._pane_list:
            pane = ipywidgets.Box(
                [getattr(self, key)],
                layout=ipywidgets.Layout(width="100%" if key == "editor" else None),
            )
            pane.add_class("cjm-ws-pane")
            pane.add_class(f"cjm-ws-{key}")
            self._panes[key] = pane
            toggle = ipywidgets.ToggleButton(
                value=True, description=label, tooltip=f"Show or hide the {label.lower()}"
            )
            toggle.add_class("cjm-ws-toggle")
            toggle.observe(lambda change, k=key: self.show(k, change["new"]), names="value")
            toggles.append(toggle)
        self._toggles = dict(zip((k for k, _ in self._pane_list), toggles, strict=True))
        title = ipywidgets.HTML(
            f'<span class="cjm-ws-title">{html.escape(journey.title or "Journey")}</span>'
        )
        header = ipywidgets.HBox([title, *toggles, self._status])
        header.add_class("cjm-ws-header")
        # The map across the top; under it the curve (and behaviour lane) beside the tagger,
        # wrapping under each other when the output is narrow (see _common.css .cjm-ws-row).
        charts = [self._panes[k] for k, _ in self._pane_list if k not in ("editor", "tagger")]
        left = ipywidgets.VBox(charts)  # the behaviour lane stays under the curve
        left.add_class("cjm-ws-charts")
        row = ipywidgets.Box(
            [left, self._panes["tagger"]],
            layout=ipywidgets.Layout(width="100%", flex_flow="row wrap"),
        )
        row.add_class("cjm-ws-row")
        super().__init__([header, self._panes["editor"], row])
        self.add_class("cjm-ws")

    # ------------------------------------------------------------------ public
    def show(self, pane: str, visible: bool = True) -> None:
        """Show or hide one pane: "editor", "curve", "behaviour" (with events) or "tagger".

        Usage: ``ws.show("editor", False)``
        """
        if pane not in self._panes:
            raise ValueError(f"No pane {pane!r}; panes: {', '.join(self._panes)}.")
        self._panes[pane].layout.display = None if visible else "none"
        if self._toggles[pane].value != visible:
            self._toggles[pane].value = visible

    def save(self) -> None:
        """Save the journey and tags now (needs ``autosave=``)."""
        if self.autosave is None:
            raise ValueError("This Workspace has no autosave path; pass autosave='x.journey.json'.")
        self.autosave.save()

    def close(self) -> None:
        """Save what is pending, stop observing, close the three widgets."""
        snapshots = getattr(self, "_snapshots", None)
        if snapshots is not None:
            snapshots.close()
        saver = getattr(self, "autosave", None)
        if saver is not None:
            saver.close()
        for key, _label in getattr(self, "_pane_list", _PANES):
            widget = getattr(self, key, None)
            if widget is not None:
                widget.close()
        super().close()

    def __repr__(self) -> str:
        saving = f", autosave={str(self.autosave.path)!r}" if self.autosave else ""
        return f"Workspace({self.journey.title!r}, by={self.curve.by!r}{saving})"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        """The live view, plus a static snapshot (the map and the curve as SVG) for viewers
        without the widget runtime (nbconvert, GitHub)."""
        data: dict[str, Any] | None = super()._repr_mimebundle_(**kwargs)
        if data is None:
            return None
        snapshot = self._static_html()
        if snapshot:
            data = {**data, "text/html": snapshot}
        return data

    def _static_html(self) -> str | None:
        """The map, the curve (SVG) and the tagger's page as static HTML."""
        parts = [w._static_html() for w in (self.editor, self.curve, self.tagger)]
        snapshot = "".join(p for p in parts if p)
        return f'<div class="cjm-ws-static">{snapshot}</div>' if snapshot else None

    def _ipython_display_(self, **kwargs: Any) -> None:
        """Show the Workspace and, as a second output, its static snapshot, published again
        after every change (see :mod:`cjm_widgets.widgets._snapshot`)."""
        if self._snapshots is None:
            self._snapshots = Snapshots(self._static_html, "workspace")
            # the snapshot shows the curve's SVG: drawn ahead, off the kernel's event loop
            self.curve._draw_ahead = True
            self.curve._snapshot_owner = self._snapshots
            self.curve._prefetch_svg()
            for widget in (self.editor, self.curve, self.tagger):
                names = [name for name in widget.keys if name != "error"]
                widget.observe(self._snapshots.changed, names=names)
        self._snapshots.show(ipywidgets.VBox._repr_mimebundle_(self, **kwargs))

    # ------------------------------------------------------------------ internals
    def _show_status(self, text: str, ok: bool) -> None:
        status = getattr(self, "_status", None)
        if status is None:
            return
        cls = "cjm-ws-saved" if ok else "cjm-ws-failed"
        status.value = f'<span class="{cls}" role="status">{html.escape(text)}</span>'

    def _series_filter(self, series: str) -> dict[str, Any]:
        by = self.curve.by
        if not by or series in ("", "All"):
            return {}
        if by in self.evidence.segments:
            return {by: series} if series != MISSING else {}  # "not given": no filter
        persona = next((p for p in self.journey.personas if p.name == by), None)
        if persona is None:
            return {}
        return {
            col: value
            for col, value in persona.segment.items()
            if col in self.evidence.segments and not isinstance(value, (list, tuple, set))
        }

    def _point_filter(self, touchpoint_id: str, series: str) -> dict[str, Any]:
        return {"touchpoint": touchpoint_id, **self._series_filter(series)}

    def _on_lane(self, change: Any) -> None:
        """A touchpoint clicked in the behaviour lane: the tagger shows its quotes, with a
        chip "From behaviour lane: …" (the lane shows its flows itself)."""
        tp = change["new"]
        try:
            if tp:
                self.tagger.filter_from("lane", touchpoint=tp)
            elif (self.tagger.linked or {}).get("origin") == "lane":
                self.tagger.unlink()
        except Exception as exc:
            self.tagger.report_error(exc, action="filter to the clicked touchpoint")

    def _on_theme(self, change: Any) -> None:
        """A theme selected on the affinity board: the tagger shows its quotes (chip "From
        theme “…”: n quotes"), and all its touchpoints are highlighted on the curve and on
        the map (cards and emotion lane). No theme: both cleared."""
        theme = change["new"]
        try:
            if not theme:
                self._highlight([])
                if str((self.tagger.linked or {}).get("origin", "")).startswith("theme"):
                    self.tagger.unlink()
                return
            assert self.board is not None  # the handler is observed on the board
            col = next(c for c in self.board.columns if c["id"] == theme)
            self._picking = True
            try:  # a point selected before belongs to another filter: cleared
                self.curve.select()
            finally:
                self._picking = False
            self.tagger.filter_from(f"theme “{col['name']}”", ids=col["ids"])
            self._highlight(col["touchpoint_ids"])
        except Exception as exc:
            self.tagger.report_error(exc, action="filter to the selected theme")

    def _on_theme_columns(self, _change: Any) -> None:
        """The board's themes changed (a card moved, a tag): the selected theme's touchpoints
        are highlighted afresh."""
        assert self.board is not None
        col = next((c for c in self.board.columns if c["id"] == self.board.selected), None)
        if col is not None:
            self._highlight(col["touchpoint_ids"])

    def _highlight(self, touchpoint_ids: list[str]) -> None:
        """Highlight these touchpoints (those still in the journey) on the curve and map."""
        known = {tp.id for tp in self.journey.touchpoints}
        ids = [t for t in touchpoint_ids if t in known]
        self.curve.highlight = ids
        self.editor.highlight = ids

    def _on_point(self, change: Any) -> None:
        if self._picking:
            return
        point = change["new"]
        if self.behaviour is not None:  # the lane follows the curve: its flows show
            self.behaviour.selected = (point or {}).get("touchpoint_id") or ""
        try:
            if point:
                filters = self._point_filter(point["touchpoint_id"], point["series"])
                self.tagger.filter_from("curve", **filters)
            elif self.tagger.linked is not None:  # from the curve or a card: its point is gone
                self.tagger.unlink()
        except Exception as exc:
            self.tagger.report_error(exc, action="filter to the clicked point")

    def _on_card(self, touchpoint_id: str) -> None:
        """A touchpoint card clicked on the board: select its point, filter the tagger."""
        try:
            names = list(dict.fromkeys(self.curve.frame["series"].astype(str)))
            now = self.curve.selected
            series = now["series"] if now and now["series"] in names else names[0]
            self._picking = True
            try:
                self.curve.select(touchpoint_id, series=series)
            finally:
                self._picking = False
            self.tagger.filter_from("map", **self._point_filter(touchpoint_id, series))
        except Exception as exc:
            self.tagger.report_error(exc, action="filter to the clicked touchpoint")

    def _on_lane_point(self, touchpoint_id: str, series: str) -> None:
        """A point of the board's emotion lane clicked: as a click on that curve point."""
        try:
            self.curve.select(touchpoint_id, series=series)
        except Exception as exc:
            self.tagger.report_error(exc, action="select the clicked lane point")

    def _on_item_evidence(self, touchpoint_id: str, _ids: list[str]) -> None:
        """The "evidence" link of a generated lane item: the tagger shows its touchpoint's
        evidence (where the quote or the pain rows behind the item are)."""
        try:
            if touchpoint_id:
                self.tagger.filter_from("map", touchpoint=touchpoint_id)
        except Exception as exc:
            self.tagger.report_error(exc, action="show the evidence behind the item")

    def _on_curve_drawn(self) -> None:
        """The curve was redrawn (a tag, an edit, its Series dropdown): the board's emotion
        lane shows the same points (the curve's frame; nothing is summed twice)."""
        from cjm_widgets.analysis.lane import lane_from_frame

        try:
            self.editor._on_lane_data(lane_from_frame(self.curve.frame, min_n=self.curve.min_n))
        except Exception as exc:
            self.editor.report_error(exc, action="redraw the emotion lane")

    def _on_unlinked(self, change: Any) -> None:
        """The chip is gone (removed, or the filter changed): the curve's point goes too; a
        theme's highlight goes when the tagger no longer shows that theme."""
        link = change["new"]
        theme_link = str((link or {}).get("origin", "")).startswith("theme")
        if self.board is not None and self.board.selected and not theme_link:
            self.board.selected = ""  # clears the highlight (_on_theme)
        if link is None and not self._picking and self.curve.selected is not None:
            self._picking = True
            try:
                self.curve.select()
            finally:
                self._picking = False
