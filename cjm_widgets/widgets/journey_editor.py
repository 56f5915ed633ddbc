"""``cjm.JourneyEditor(journey)``: the journey map as an editable board in the notebook.

Usage::

    import cjm_widgets as cjm

    journey = cjm.Journey.from_template("current_state", stages="five_stage")
    editor = cjm.JourneyEditor(journey)
    editor              # the board: rename, add, delete, drag, Alt+arrows, Ctrl+Z

    journey.add_stage("Delivery")   # shows in every open editor at once
    editor.selected                 # id of the stage or touchpoint last selected in the board

The editor is a view over *that* journey object: every action in the browser is a call to the
journey's own API (``add_stage``, ``rename_stage``, ``move_touchpoint``, ``set_lane``, ``undo``
…), and the board is redrawn from the journey's change events, so several views of one journey
always agree and nothing loops. Invalid edits leave the journey unchanged and show the model's
message next to the field being edited (and in ``editor.error``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import traitlets

from cjm_widgets.errors import JourneyError
from cjm_widgets.model.entities import CHANNELS, PHASES, JourneyChange
from cjm_widgets.model.journey import Journey
from cjm_widgets.widgets._base import CJMWidget, check_kwargs, handler
from cjm_widgets.widgets._highlight import touchpoint_ids

__all__ = ["JourneyEditor"]

_TOUCHPOINT_FIELDS = ("name", "channel", "phase", "owner", "description")


class JourneyEditor(CJMWidget):
    """An editable board over one :class:`~cjm_widgets.Journey`.

    Parameters
    ----------
    journey:
        The journey to show and edit (edited in place; undo with ``journey.undo()`` or the
        board's Undo button / Ctrl+Z).
    evidence:
        Optional :class:`~cjm_widgets.Evidence`; its tags are counted when the board asks to
        confirm a removal ("3 evidence rows are tagged to 'Checkout'"), and the board draws
        the emotion lane under the touchpoint cards: per touchpoint the mean emotion with its
        95% interval and n (hollow under ``min_n``, pain points ringed), kept live as tags
        change (see :mod:`cjm_widgets.analysis.lane`).
    by, min_n:
        The emotion lane's series (a segment column or persona; also :attr:`lane_by`) and the
        n under which a point is drawn hollow with no interval (default 5).
    lane:
        False: no emotion lane even with ``evidence``.

    Traits: ``selected`` (id of the selected stage or touchpoint, "" for none; set it from
    Python to select), ``highlight`` (touchpoint ids or names whose cards and emotion-lane
    points are marked: ``editor.highlight = ["Checkout"]``; the Workspace sets it to the
    touchpoints of the theme selected on its affinity board), ``error`` (the last error
    shown in the board, "" for none).
    :meth:`on_touchpoint_click` registers a callback for a click on a touchpoint card (the
    Workspace filters its tagger with it); :meth:`on_lane_click` one for a click on a point of
    the emotion lane (the Workspace selects that point of its curve). Call :meth:`close` to
    stop the editor following the journey.
    """

    _asset = "journey_editor"
    _snapshot_what = "journey map"

    selected = traitlets.Unicode(
        "", help="Id of the selected stage or touchpoint ('' for none). Synced both ways."
    ).tag(sync=True)

    highlight: traitlets.List[str] = traitlets.List(
        traitlets.Unicode(), help="Touchpoint ids whose cards and lane points are marked."
    ).tag(sync=True)

    # The wire format: the journey's data plus what the board needs to draw it.
    _journey = traitlets.Dict().tag(sync=True)
    # The emotion lane (with evidence): {"series", "points", "min_n", "note"}; {} for none.
    _lane = traitlets.Dict().tag(sync=True)

    def __init__(self, journey: Journey, **kwargs: Any) -> None:
        check_kwargs("JourneyEditor", kwargs, ["evidence", "by", "min_n", "lane"])
        if not isinstance(journey, Journey):
            raise TypeError(
                f"JourneyEditor() needs a cjm_widgets.Journey, got {type(journey).__name__}. "
                "Make one with cjm.Journey(...) or cjm.Journey.from_template(...)."
            )
        evidence = kwargs.get("evidence")
        counter = getattr(evidence, "count_tagged", None)
        if evidence is not None and not callable(counter):
            raise TypeError(
                "JourneyEditor(evidence=...) needs a cjm_widgets.Evidence (with count_tagged), "
                f"got {type(evidence).__name__}."
            )
        self._journey_obj = journey
        self.evidence = evidence
        self._card_clicks: list[Callable[[str], Any]] = []
        self._lane_clicks: list[Callable[[str, str], Any]] = []
        self._evidence_clicks: list[Callable[[str, list[str]], Any]] = []
        self._lane_feed: Any = None
        if counter is not None:
            # Idempotent: an evidence store already linked to the journey is not counted twice.
            journey.remove_reference_counter(counter)
            journey.add_reference_counter(counter)
        if evidence is not None and kwargs.get("lane", True) and _is_evidence(evidence):
            from cjm_widgets.widgets._lane_feed import LaneFeed

            self._lane_feed = LaneFeed(
                journey,
                evidence,
                by=kwargs.get("by"),
                min_n=kwargs.get("min_n", 5),
                on_change=self._on_lane_data,
            )
        lane = self._lane_feed.data if self._lane_feed is not None else {}
        super().__init__(_journey=self._build_state(), _lane=lane)
        self._closed = False
        journey.observe(self._on_journey_change)

    @traitlets.validate("highlight")
    def _valid_highlight(self, proposal: Any) -> list[str]:
        return touchpoint_ids(self._journey_obj, proposal["value"], owner="JourneyEditor.highlight")

    # ------------------------------------------------------------------ public
    @property
    def journey(self) -> Journey:
        """The journey this editor shows and edits."""
        return self._journey_obj

    def on_touchpoint_click(self, callback: Callable[[str], Any], *, remove: bool = False) -> None:
        """Call ``callback(touchpoint_id)`` when a touchpoint card is clicked on the board.

        A click selects the card as before; buttons and fields on the card do not count, nor
        does keyboard focus (so tabbing through the board or adding a card triggers nothing).

        Usage: ``editor.on_touchpoint_click(lambda tp: print(journey.touchpoint(tp).name))``
        """
        if not callable(callback):
            raise TypeError(f"on_touchpoint_click() needs a callable, got {callback!r}.")
        if remove:
            if callback in self._card_clicks:
                self._card_clicks.remove(callback)
        elif callback not in self._card_clicks:
            self._card_clicks.append(callback)

    @property
    def lane_by(self) -> Any:
        """The emotion lane's series (``by=``): set it to redraw the lane per segment."""
        return self._lane_feed.by if self._lane_feed is not None else None

    @lane_by.setter
    def lane_by(self, value: Any) -> None:
        if self._lane_feed is None:
            raise ValueError("This board has no emotion lane: pass evidence=ev to draw one.")
        self._lane_feed.by = value

    def on_lane_click(self, callback: Callable[[str, str], Any], *, remove: bool = False) -> None:
        """Call ``callback(touchpoint_id, series)`` when a point of the emotion lane is clicked.

        Usage: ``editor.on_lane_click(lambda tp, series: curve.select(tp, series=series))``
        """
        if not callable(callback):
            raise TypeError(f"on_lane_click() needs a callable, got {callback!r}.")
        if remove:
            if callback in self._lane_clicks:
                self._lane_clicks.remove(callback)
        elif callback not in self._lane_clicks:
            self._lane_clicks.append(callback)

    def close(self) -> None:
        """Stop following the journey and close the widget (its views disappear)."""
        if getattr(self, "_lane_feed", None) is not None:
            self._lane_feed.close()
        if not getattr(self, "_closed", True):
            self._closed = True
            self._journey_obj.unobserve(self._on_journey_change)
        super().close()

    def __repr__(self) -> str:
        return f"JourneyEditor({self._journey_obj!r})"

    # ------------------------------------------------------------------ state
    def _build_state(self) -> dict[str, Any]:
        journey = self._journey_obj
        data = journey.to_dict()
        data.pop("next_ids", None)  # internal counters
        data.pop("metadata", None)  # free-form; the board does not show it
        data.pop("opportunities", None)  # not drawn on the board (yet)
        words = _labels(journey.language)
        return {
            "journey": data,
            "can_undo": journey.can_undo,
            "can_redo": journey.can_redo,
            "channels": [{"value": c, "label": _label(words, "channels", c)} for c in CHANNELS],
            "phases": [{"value": p, "label": _label(words, "phases", p)} for p in PHASES],
            "state_label": _label(words, "states", journey.state, journey.state.capitalize()),
            "words": {key: _label(words, "ui", key, key.capitalize()) for key in _UI_WORDS},
            "template_label": _template_label(words, journey.template),
            "generated": _generated(journey),
            "can_fill": _is_evidence(self.evidence),
        }

    def _on_journey_change(self, change: JourneyChange) -> None:
        if self._closed:
            return
        try:
            state = self._build_state()
            with self.hold_sync():
                self._journey = state
                if self.selected and not self._exists(self.selected):
                    self.selected = ""
        except Exception as exc:
            # The edit itself is done; show why the board could not follow in the widget (with
            # the traceback in last_traceback) and raise it on, so the journey warns the cell
            # that made the edit: a bug here is never silent.
            self.report_error(exc, action=f"redraw after {change.kind}")
            raise

    def _on_lane_data(self, data: dict[str, Any]) -> None:
        if getattr(self, "_closed", False):
            return
        try:
            self._lane = data
        except Exception as exc:  # never break the tag; show it in the widget
            self.report_error(exc, action="redraw the emotion lane")

    def _exists(self, ident: str) -> bool:
        journey = self._journey_obj
        return any(s.id == ident for s in journey.stages) or any(
            t.id == ident for t in journey.touchpoints
        )

    def _static_html(self) -> str | None:
        from cjm_widgets.model.render import journey_html

        feed = self._lane_feed
        lane = feed.data if feed is not None else dict(self._lane) or None
        return journey_html(self._journey_obj, lane=lane)

    # ------------------------------------------------------------------ handlers (from JS)
    @handler("update")
    def _update(self, title: str | None = None, scope: str | None = None) -> None:
        fields: dict[str, Any] = {
            k: v for k, v in (("title", title), ("scope", scope)) if v is not None
        }
        if fields:
            self._journey_obj.update(**fields)

    @handler("add_stage")
    def _add_stage(
        self,
        name: str | None = None,
        after: str | None = None,
        description: str = "",
    ) -> str:
        if name is None:
            name = self._fresh_name("New stage", [s.name for s in self._journey_obj.stages])
        return self._journey_obj.add_stage(name, after=after, description=description).id

    @handler("rename_stage")
    def _rename_stage(self, stage: str, name: str) -> None:
        self._journey_obj.rename_stage(stage, name)

    @handler("update_stage")
    def _update_stage(self, stage: str, description: str) -> None:
        self._journey_obj.update_stage(stage, description=description)

    @handler("move_stage")
    def _move_stage(
        self,
        stage: str,
        position: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> None:
        self._journey_obj.move_stage(stage, position, after=after, before=before)

    @handler("remove_stage")
    def _remove_stage(self, stage: str) -> dict[str, Any]:
        removal = self._journey_obj.remove_stage(stage)
        return {"evidence_rows": removal.evidence_rows}

    @handler("add_touchpoint")
    def _add_touchpoint(
        self,
        stage: str,
        name: str | None = None,
        channel: str = "other",
        phase: str | None = None,
        owner: str = "",
        position: int | None = None,
    ) -> str:
        st = self._journey_obj.stage(stage)
        if name is None:
            name = self._fresh_name("New touchpoint", [t.name for t in st.touchpoints])
        tp = self._journey_obj.add_touchpoint(
            st.id, name, channel=channel, phase=phase, owner=owner, position=position
        )
        return tp.id

    @handler("update_touchpoint")
    def _update_touchpoint(self, touchpoint: str, **fields: Any) -> None:
        unknown = sorted(set(fields) - set(_TOUCHPOINT_FIELDS))
        if unknown:
            raise JourneyError(
                f"Unknown touchpoint field(s) {', '.join(unknown)}. "
                f"Allowed: {', '.join(_TOUCHPOINT_FIELDS)}."
            )
        if fields:
            self._journey_obj.update_touchpoint(touchpoint, **fields)

    @handler("move_touchpoint")
    def _move_touchpoint(
        self,
        touchpoint: str,
        stage: str | None = None,
        position: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> None:
        self._journey_obj.move_touchpoint(touchpoint, stage, position, after=after, before=before)

    @handler("remove_touchpoint")
    def _remove_touchpoint(self, touchpoint: str) -> dict[str, Any]:
        removal = self._journey_obj.remove_touchpoint(touchpoint)
        return {"evidence_rows": removal.evidence_rows}

    @handler("set_lane")
    def _set_lane(self, stage: str, lane: str, items: list[str]) -> list[str]:
        return self._journey_obj.set_lane(stage, lane, items)

    @handler("count_references")
    def _count_references(
        self, stages: list[str] | None = None, touchpoints: list[str] | None = None
    ) -> int:
        return self._journey_obj.count_references(stages or (), touchpoints or ())

    @handler("touchpoint_click")
    def _touchpoint_click(self, touchpoint: str) -> None:
        tp = self._journey_obj.touchpoint(touchpoint)  # a card gone meanwhile: a clear error
        for callback in list(self._card_clicks):
            callback(tp.id)

    @handler("lane_click")
    def _lane_click(self, touchpoint: str, series: str) -> None:
        tp = self._journey_obj.touchpoint(touchpoint)
        self.selected = tp.id
        for callback in list(self._lane_clicks):
            callback(tp.id, series)

    @handler("fill_lanes")
    def _fill_lanes(self) -> dict[str, int]:
        from cjm_widgets.analysis.fill import fill_lanes

        if self.evidence is None:
            raise JourneyError("This board has no evidence to fill the lanes from.")
        return fill_lanes(self._journey_obj, self.evidence)

    @handler("show_evidence")
    def _show_evidence(self, stage: str, lane: str, index: int) -> dict[str, Any]:
        from cjm_widgets.model.generated import generated_items

        text = self._journey_obj.cell(stage, lane)[int(index)]
        record = generated_items(self._journey_obj).get(stage, {}).get(lane, {}).get(text)
        if record is None:
            raise JourneyError("This item is no longer generated (it was edited or removed).")
        tp = str(record.get("touchpoint") or "")
        ids = [str(i) for i in record.get("evidence") or []]
        if tp:
            self.selected = tp
        for callback in list(self._evidence_clicks):
            callback(tp, ids)
        return {"touchpoint": tp, "evidence": ids}

    def on_evidence_click(
        self, callback: Callable[[str, list[str]], Any], *, remove: bool = False
    ) -> None:
        """Call ``callback(touchpoint_id, evidence_ids)`` when the "evidence" link of a generated
        lane item (``cjm.fill_lanes``) is clicked; the Workspace shows that evidence.

        Usage: ``editor.on_evidence_click(lambda tp, ids: print(ids))``
        """
        if not callable(callback):
            raise TypeError(f"on_evidence_click() needs a callable, got {callback!r}.")
        if remove:
            if callback in self._evidence_clicks:
                self._evidence_clicks.remove(callback)
        elif callback not in self._evidence_clicks:
            self._evidence_clicks.append(callback)

    @handler("undo")
    def _undo(self) -> str | None:
        change = self._journey_obj.undo()
        return change.kind if change else None

    @handler("redo")
    def _redo(self) -> str | None:
        change = self._journey_obj.redo()
        return change.kind if change else None

    @staticmethod
    def _fresh_name(base: str, taken: list[str]) -> str:
        folded = {t.casefold() for t in taken}
        if base.casefold() not in folded:
            return base
        n = 2
        while f"{base} {n}".casefold() in folded:
            n += 1
        return f"{base} {n}"


_UI_WORDS = ("owner", "channel", "phase")


def _generated(journey: Journey) -> dict[str, dict[str, dict[str, Any]]]:
    """Per stage and lane, the generated items still unedited: text → {"n", "how"}."""
    from cjm_widgets.model.generated import generated_items

    return {
        sid: {
            lane: {t: {"n": len(r.get("evidence") or []), "how": str(r.get("how", ""))}
                   for t, r in items.items()}
            for lane, items in lanes.items()
        }
        for sid, lanes in generated_items(journey).items()
    }  # fmt: skip


def _is_evidence(value: Any) -> bool:
    """A cjm Evidence store (the lane needs its rows; a counter alone only counts)."""
    if value is None:
        return False
    from cjm_widgets.evidence.store import Evidence

    return isinstance(value, Evidence)


@functools.lru_cache(maxsize=8)
def _labels(language: str) -> dict[str, dict[str, Any]]:
    """The template labels of ``language`` over the English ones (so nothing is missing)."""
    from cjm_widgets.model.templates import labels

    merged: dict[str, dict[str, Any]] = {}
    for lang in dict.fromkeys(["en", language]):
        try:
            words = labels(lang)
        except JourneyError:  # a journey in a language without labels: English
            continue
        for group, table in words.items():
            if isinstance(table, dict):
                merged.setdefault(group, {}).update(table)
    return merged


def _label(words: dict[str, dict[str, Any]], group: str, value: str, default: str = "") -> str:
    found = words.get(group, {}).get(value)
    if isinstance(found, dict):
        found = found.get("name")
    return found if isinstance(found, str) and found else (default or value)


def _template_label(words: dict[str, dict[str, Any]], template: str | None) -> str:
    if not template:
        return ""
    return _label(words, "templates", template, template.replace("_", " ").capitalize())
