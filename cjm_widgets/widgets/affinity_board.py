"""``cjm.AffinityBoard(journey, evidence)``: themes as columns of quote cards, to sort by hand.

Usage::

    board = cjm.AffinityBoard(journey, ev)          # groups the tagged quotes (cjm.themes)
    board                                            # drag cards, rename, merge, split, pin
    board.model.rename("t2", "Delivery fees")        # the same edits from Python
    board.model.to_label("t2")                       # tag its quotes (ev.undo() takes it back)

The board shows a :class:`~cjm_widgets.analysis.theme_model.Themes` model: every click calls
the model (undoable with the board's ↶ / Ctrl+Z, or ``board.model.undo()``), and the model's
change redraws the columns. When the evidence keeps its tags in a file
(``ev.open_tags("x.tags.json")``) the themes are kept beside it in ``x.themes.json``, so
running the cell again shows what the researcher last saw; ``path=`` names another file.

Cards are sent once (text up to 600 characters, participant, source, touchpoint, emotion) and
the columns as lists of evidence ids; the front end puts only the cards in view into the page,
so 5,000 cards paint as fast as 50.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import traitlets

from cjm_widgets.analysis.theme_model import Themes, sidecar_path
from cjm_widgets.widgets._base import CJMWidget, handler

__all__ = ["AffinityBoard"]

_TEXT = 600  # characters of a quote on its card (the full text is in the evidence)


class AffinityBoard(CJMWidget):
    """Themes as columns of quote cards: drag a card between themes; rename, merge, split a
    theme; pin a card; turn a theme into a label, a pain point or an opportunity.

    Parameters: ``journey``, ``evidence``; ``themes`` (None: open the sidecar of the tags file
    or group the tagged quotes; a :func:`cjm.themes` DataFrame; or a :class:`cjm.Themes`);
    ``path`` (the themes file); ``options`` (passed to :func:`cjm.themes` when grouping).

    Traits: ``columns`` (one dict per theme: ``id``, ``name``, ``ids``, ``pinned``, ``size``,
    ``emotion``, ``emotion_n``, ``touchpoints``), ``selected`` (a theme id, "" for none),
    ``can_undo`` / ``can_redo``. Attribute ``model``: the :class:`Themes`.
    """

    _asset = "affinity_board"
    _snapshot_what = "affinity board"

    columns: traitlets.List[dict[str, Any]] = traitlets.List(help="The themes in board order.").tag(
        sync=True
    )
    selected = traitlets.Unicode("", help="The selected theme id ('' for none).").tag(sync=True)
    can_undo = traitlets.Bool(False).tag(sync=True)
    can_redo = traitlets.Bool(False).tag(sync=True)
    _cards = traitlets.Dict().tag(sync=True)

    def __init__(
        self,
        journey: Any,
        evidence: Any,
        themes: Any = None,
        *,
        path: str | Path | None = None,
        **options: Any,
    ) -> None:
        super().__init__()
        self.journey, self.evidence = journey, evidence
        if path is None:
            path = _default_path(evidence)
        if isinstance(themes, Themes):
            self.model = themes
        elif isinstance(themes, pd.DataFrame):
            self.model = Themes.from_frame(evidence, themes, journey, path=path)
        elif themes is None:
            if path is not None:
                self.model = Themes.open(path, evidence, journey, **options)
            else:
                self.model = Themes(evidence, journey, **options)
        else:
            raise TypeError(
                f"themes= must be None, a cjm.themes() DataFrame or a cjm.Themes; got "
                f"{type(themes).__name__}."
            )
        self._send_cards()
        self._send_columns()
        self.model.observe(self._on_model)
        evidence.observe(self._on_evidence)

    def close(self) -> None:
        """Stop observing the model and the evidence."""
        self.model.unobserve(self._on_model)
        self.evidence.unobserve(self._on_evidence)
        super().close()

    def __repr__(self) -> str:
        return f"AffinityBoard({self.model!r})"

    # ------------------------------------------------------------------ state to the browser
    def _send_cards(self) -> None:
        ids = [i for t in self.model.themes for i in t["ids"]]
        if not ids:
            self._cards = {}
            return
        ev = self.evidence
        rows = ev.rows_of(ids)
        arrays = ev._tag_arrays()
        text = ev.column("text").astype("string").fillna("").to_numpy(dtype=object)
        who = ev.column("participant").astype("string").fillna("").to_numpy(dtype=object)
        source = ev.column("source").astype("string").fillna("").to_numpy(dtype=object)
        names = {tp.id: tp.name for tp in self.journey.touchpoints}
        tp_ids = np.array([*ev.touchpoint_ids, ""], dtype=object)[arrays.touchpoint[rows]]
        cards = {}
        for k, (eid, row) in enumerate(zip(ids, rows, strict=True)):
            em = float(arrays.emotion[row])
            tp = tp_ids[k]
            cards[eid] = [
                str(text[row])[:_TEXT],
                str(who[row]),
                str(source[row]),
                names.get(tp, tp) if tp else "",
                None if math.isnan(em) else em,
            ]
        self._cards = cards

    def _send_columns(self) -> None:
        summary = self.model.summary()
        stats = {r.theme_id: r for r in summary.itertuples()} if len(summary) else {}
        out = []
        for t in self.model.themes:
            s = stats.get(t["id"])
            mean = None if s is None or math.isnan(s.emotion_mean) else round(s.emotion_mean, 2)
            out.append(
                {
                    "id": t["id"],
                    "name": t["name"],
                    "ids": t["ids"],
                    "pinned": t["pinned"],
                    "size": len(t["ids"]),
                    "emotion": mean,
                    "emotion_n": int(s.emotion_n) if s is not None else 0,
                    "touchpoints": list(s.touchpoints)[:3] if s is not None else [],
                    "touchpoint_ids": list(s.touchpoint_ids) if s is not None else [],
                }
            )
        with self.hold_sync():
            self.columns = out
            self.can_undo, self.can_redo = self.model.can_undo, self.model.can_redo
            if self.selected and self.selected not in {c["id"] for c in out}:
                self.selected = ""

    def _on_model(self, kind: str) -> None:
        try:
            if kind in ("recluster", "undo", "redo", "split"):
                known = set(self._cards)
                if any(i not in known for t in self.model.themes for i in t["ids"]):
                    self._send_cards()
            self._send_columns()
        except Exception as exc:
            self.report_error(exc, action=kind)

    def _on_evidence(self, _change: Any) -> None:
        try:  # tags changed: a card's touchpoint and emotion, a theme's statistics
            self._send_cards()
            self._send_columns()
        except Exception as exc:
            self.report_error(exc, action="refresh after a tag change")

    # ------------------------------------------------------------------ calls from the JS
    @handler("move")
    def _h_move(self, id: str, theme: str, index: int | None = None) -> None:
        self.model.move(id, theme, index=index)

    @handler("rename")
    def _h_rename(self, theme: str, name: str) -> None:
        self.model.rename(theme, name)

    @handler("merge")
    def _h_merge(self, theme: str, into: str) -> None:
        self.model.merge(theme, into=into)

    @handler("split")
    def _h_split(self, theme: str) -> str:
        return self.model.split(theme)

    @handler("add_theme")
    def _h_add_theme(self, name: str) -> str:
        return self.model.add_theme(name)

    @handler("pin")
    def _h_pin(self, id: str, pinned: bool = True) -> None:
        self.model.pin(id, pinned)

    @handler("to_label")
    def _h_to_label(self, theme: str) -> str:
        change = self.model.to_label(theme)
        return f"Labelled {len(change.rows):,} quotes “{self.model.theme(theme)['name']}”."

    @handler("to_pain_point")
    def _h_to_pain_point(self, theme: str) -> str:
        stage = self.model.to_pain_point(theme)
        return f"Added as a pain point of {self.journey.stage(stage).name}."

    @handler("to_opportunity")
    def _h_to_opportunity(self, theme: str) -> str:
        opp = self.model.to_opportunity(theme)
        return f"Added the opportunity “{opp.text}”."

    @handler("undo")
    def _h_undo(self) -> None:
        self.model.undo()

    @handler("redo")
    def _h_redo(self) -> None:
        self.model.redo()

    # ------------------------------------------------------------------ static snapshot
    def _static_html(self) -> str | None:
        """Each theme with its size, emotion (n), touchpoints and first five quotes, escaped."""
        parts = []
        for col in self.columns:
            cards = "".join(
                f"<li>{html.escape(self._cards.get(i, [''])[0][:200])}</li>" for i in col["ids"][:5]
            )
            more = col["size"] - min(5, col["size"])
            emotion = (
                f"mean emotion {col['emotion']:+.2f} (n={col['emotion_n']})"
                if col["emotion"] is not None
                else "no emotion tags"
            )
            where = html.escape(", ".join(col["touchpoints"]))
            parts.append(
                f'<section class="cjm-ab-static-theme"><h4>{html.escape(col["name"])} '
                f"<small>({col['size']} quotes; {emotion}{'; ' + where if where else ''})"
                f"</small></h4><ul>{cards}</ul>"
                + (f"<p><small>… and {more} more</small></p>" if more > 0 else "")
                + "</section>"
            )
        return f'<div class="cjm-ab-static">{"".join(parts)}</div>' if parts else None


def _default_path(evidence: Any) -> Path | None:
    """The sidecar of the evidence's open tags file, or None."""
    from cjm_widgets.evidence.tags_open import tags_file

    bound = tags_file(evidence)
    return sidecar_path(bound.path) if bound is not None else None
