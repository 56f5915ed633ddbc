"""``cjm.Themes``: the researcher's themes (which quote is in which theme), undoable, saved.

Usage::

    board = cjm.Themes.open("cjm-work/grocery.themes.json", ev, journey)  # loads or groups
    board.move("P1:3", "t2"); board.rename("t2", "Delivery fees"); board.pin("P1:3")
    board.merge("t4", into="t2"); board.split("t1")      # split: two groups by k-means
    board.undo(); board.redo()
    board.to_label("t2")          # tags the theme's quotes with the label "Delivery fees"
    board.to_pain_point("t2")     # a "pain points" item in the stage of its main touchpoint
    board.summary()               # one row per theme: size, touchpoints, emotion (n, 95% CI)

A theme is ``{"id", "name", "ids", "pinned", "terms"}``; ``ids`` are evidence ids in board
order (pinned ones first). Every change is one undo step, tells the observers and, with a
path, is written to that file atomically (a sidecar of the tags file:
``x.tags.json`` → ``x.themes.json``), so a re-run shows what the researcher last saw.
Quotes in no theme sit in the theme ``unsorted`` (shown first on the board).

``to_label`` goes through the evidence's tagging API and ``to_pain_point`` /
``to_opportunity`` through the journey's, so ``ev.undo()`` / ``journey.undo()`` take them back.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets._atomic import atomic_write_text
from cjm_widgets.analysis.themes import theme_stats, themes
from cjm_widgets.errors import CJMError, SchemaError

if TYPE_CHECKING:
    from cjm_widgets.evidence.store import Evidence
    from cjm_widgets.model.entities import Opportunity
    from cjm_widgets.model.journey import Journey

__all__ = ["UNSORTED", "Themes", "sidecar_path"]

UNSORTED = "unsorted"
_KIND = "cjm-themes"
_VERSION = 1


class ThemesError(CJMError, ValueError):
    """A theme operation is invalid; nothing was changed."""


def sidecar_path(tags_path: str | Path) -> Path:
    """The themes file beside a tags file: ``x.tags.json`` → ``x.themes.json``.

    Usage: ``sidecar_path("work/grocery.tags.json")``
    """
    p = Path(tags_path)
    name = p.name[: -len(".tags.json")] if p.name.endswith(".tags.json") else p.stem
    return p.with_name(f"{name}.themes.json")


class Themes:
    """Themes over one evidence store (see the module doc). Make one with :meth:`open`,
    :meth:`from_frame` (a :func:`cjm.themes` result) or ``Themes(evidence, journey)``
    (groups now, passing ``**options`` to :func:`cjm.themes`)."""

    def __init__(
        self,
        evidence: Evidence,
        journey: Journey | None = None,
        *,
        path: str | Path | None = None,
        **options: Any,
    ) -> None:
        self.evidence = evidence
        self.journey = journey if journey is not None else evidence.journey
        self.path = Path(path) if path is not None else None
        self._themes: list[dict[str, Any]] = []
        self._undo: list[list[dict[str, Any]]] = []
        self._redo: list[list[dict[str, Any]]] = []
        self._observers: list[Callable[[str], None]] = []
        self._options = {k: v for k, v in options.items() if k not in ("rows", "journey")}
        self._fill(themes(evidence, journey=self.journey, **options))
        self._save()

    # ------------------------------------------------------------------ making
    @classmethod
    def from_frame(
        cls,
        evidence: Evidence,
        frame: pd.DataFrame,
        journey: Journey | None = None,
        *,
        path: str | Path | None = None,
    ) -> Themes:
        """Themes from a :func:`cjm.themes` DataFrame. Usage: ``Themes.from_frame(ev, th)``"""
        missing = {"theme_id", "name", "evidence_ids"} - set(frame.columns)
        if missing:
            raise ThemesError(
                f"The themes table lacks column(s) {', '.join(sorted(missing))}; pass the "
                "result of cjm.themes(evidence)."
            )
        self = cls.__new__(cls)
        self._blank(evidence, journey, path)
        self._fill(frame)
        self._save()
        return self

    @classmethod
    def open(
        cls,
        path: str | Path,
        evidence: Evidence,
        journey: Journey | None = None,
        **options: Any,
    ) -> Themes:
        """Load the themes file when it exists (ids no longer in the evidence are dropped,
        with a warning), else group the quotes with :func:`cjm.themes` and write it.

        Usage: ``Themes.open("work/grocery.themes.json", ev, journey)``
        """
        p = Path(path)
        if not p.exists():
            return cls(evidence, journey, path=p, **options)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SchemaError(f"{p} is not a themes file ({exc}); move it away.") from exc
        if not isinstance(data, dict) or data.get("kind") != _KIND:
            raise SchemaError(f'{p} is not a themes file (no "kind": "{_KIND}").')
        self = cls.__new__(cls)
        self._blank(evidence, journey, p)
        self._options = dict(data.get("options") or {})
        known = set(evidence._ids_of(np.arange(len(evidence.column("text")))).tolist())
        dropped = 0
        for raw in data.get("themes", []):
            ids = [str(i) for i in raw.get("ids", []) if str(i) in known]
            dropped += len(raw.get("ids", [])) - len(ids)
            pinned = [i for i in raw.get("pinned", []) if i in ids]
            self._themes.append(
                {
                    "id": str(raw["id"]),
                    "name": str(raw.get("name", raw["id"])),
                    "ids": ids,
                    "pinned": pinned,
                    "terms": [str(t) for t in raw.get("terms", [])],
                }
            )
        if dropped:
            warnings.warn(
                f"{dropped} quote(s) in {p.name} are not in this evidence; left out.",
                stacklevel=2,
            )
        return self

    def _blank(self, evidence: Evidence, journey: Journey | None, path: Any) -> None:
        self.evidence = evidence
        self.journey = journey if journey is not None else evidence.journey
        self.path = Path(path) if path is not None else None
        self._themes = []
        self._undo, self._redo, self._observers = [], [], []
        self._options = {}

    def _fill(self, frame: pd.DataFrame) -> None:
        self._themes = [
            {
                "id": str(row["theme_id"]),
                "name": str(row["name"]),
                "ids": [str(i) for i in row["evidence_ids"]],
                "pinned": [],
                "terms": list(row.get("top_terms", []) or []),
            }
            for _, row in frame.iterrows()
        ]
        unthemed = [str(i) for i in frame.attrs.get("unthemed", [])]
        if unthemed:
            self._themes.insert(0, _theme(UNSORTED, "Unsorted", unthemed))

    # ------------------------------------------------------------------ reading
    @property
    def themes(self) -> list[dict[str, Any]]:
        """The themes in board order (copies). Usage: ``[t["name"] for t in board.themes]``"""
        return _copy(self._themes)

    def theme(self, ref: str) -> dict[str, Any]:
        """A theme by id or name (a copy)."""
        return _copy(self._get(ref))

    def theme_of(self, evidence_id: str) -> str | None:
        """The id of the theme holding ``evidence_id`` (None when in none)."""
        for t in self._themes:
            if evidence_id in t["ids"]:
                return str(t["id"])
        return None

    def summary(self) -> pd.DataFrame:
        """One row per theme: ``theme_id``, ``name``, ``size``, ``pinned``, touchpoints and
        emotion as :func:`~cjm_widgets.analysis.themes.theme_stats` computes them."""
        rows = []
        for t in self._themes:
            stats = self._stats(t["ids"])
            rows.append(
                {
                    "theme_id": t["id"],
                    "name": t["name"],
                    "size": len(t["ids"]),
                    "pinned": len(t["pinned"]),
                    **stats,
                }
            )
        return pd.DataFrame(rows)

    @property
    def can_undo(self) -> bool:
        """True when there is a board edit to undo."""
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        """True when there is an undone board edit to redo."""
        return bool(self._redo)

    def observe(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(kind)`` after every change ("move", "rename", "undo" …)."""
        self._observers.append(callback)

    def unobserve(self, callback: Callable[[str], None]) -> None:
        """Stop calling ``callback``."""
        if callback in self._observers:
            self._observers.remove(callback)

    # ------------------------------------------------------------------ board edits
    def move(self, evidence_id: str, theme: str, *, index: int | None = None) -> None:
        """Move a quote into ``theme`` (at ``index`` among its unpinned quotes; default the
        top of them). A pinned quote stays pinned. Usage: ``board.move("P1:3", "t2")``"""
        target = self._get(theme)
        source = self._holding(evidence_id)
        if source is target and index is None:
            return
        with self._step("move"):
            source["ids"].remove(evidence_id)
            pinned = evidence_id in source["pinned"]
            if pinned:
                source["pinned"].remove(evidence_id)
                target["pinned"].append(evidence_id)
            loose = [i for i in target["ids"] if i not in target["pinned"]]
            at = 0 if index is None else max(0, min(int(index), len(loose)))
            if not pinned:
                loose.insert(at, evidence_id)
            target["ids"] = [*target["pinned"], *loose]

    def rename(self, theme: str, name: str) -> None:
        """Rename a theme. Usage: ``board.rename("t2", "Delivery fees")``"""
        t = self._get(theme)
        if not isinstance(name, str) or not name.strip():
            raise ThemesError(f"A theme needs a name (some text), got {name!r}.")
        clean = " ".join(name.split())
        if clean == t["name"]:
            return
        other = self._find(clean)
        if other is not None and other is not t:
            raise ThemesError(f"Another theme is already called {clean!r}; choose another name.")
        with self._step("rename"):
            t["name"] = clean

    def merge(self, theme: str, *, into: str) -> None:
        """Put every quote of ``theme`` into ``into`` and remove ``theme``.

        Usage: ``board.merge("t4", into="t2")``"""
        a, b = self._get(theme), self._get(into)
        if a is b:
            raise ThemesError(f"Cannot merge the theme {a['name']!r} into itself.")
        with self._step("merge"):
            b["pinned"] = [*b["pinned"], *a["pinned"]]
            rest = [i for i in [*b["ids"], *a["ids"]] if i not in b["pinned"]]
            b["ids"] = [*b["pinned"], *rest]
            b["terms"] = list(dict.fromkeys([*b["terms"], *a["terms"]]))
            self._themes.remove(a)

    def split(
        self, theme: str, ids: Iterable[str] | None = None, *, name: str | None = None
    ) -> str:
        """Split a theme in two: ``ids`` move to a new theme, or (None) k-means with k=2
        decides (the group without the theme's first quote moves). Returns the new id.

        Usage: ``board.split("t1")`` or ``board.split("t1", ["P1:3", "P2:8"], name="Fees")``"""
        t = self._get(theme)
        if ids is None:
            if len(t["ids"]) < 2:
                raise ThemesError(f"The theme {t['name']!r} has fewer than two quotes to split.")
            frame = themes(
                self.evidence, rows=t["ids"], n_themes=2, min_size=1, journey=self.journey
            )
            group = set(frame.iloc[-1]["evidence_ids"])
            moving = [i for i in t["ids"] if i in group and i not in t["pinned"]]
            suggested = " · ".join(frame.iloc[-1]["top_terms"][:3])
        else:
            moving = [str(i) for i in ids]
            suggested = ""
            bad = [i for i in moving if i not in t["ids"]]
            if bad:
                raise ThemesError(
                    f"{len(bad)} quote(s) are not in the theme {t['name']!r} (e.g. {bad[0]!r})."
                )
        if not moving or len(moving) == len(t["ids"]):
            raise ThemesError(
                "A split needs some of the theme's quotes to move and some to stay "
                "(pinned quotes stay)."
            )
        new_name = name or suggested or f"{t['name']} (split)"
        while self._find(new_name) is not None:
            new_name += " ′"
        new = _theme(self._new_id(), new_name, moving)
        with self._step("split"):
            gone = set(moving)
            t["ids"] = [i for i in t["ids"] if i not in gone]
            t["pinned"] = [i for i in t["pinned"] if i not in gone]
            self._themes.insert(self._themes.index(t) + 1, new)
        return str(new["id"])

    def add_theme(self, name: str) -> str:
        """A new empty theme (drag quotes into it); returns its id."""
        if not isinstance(name, str) or not name.strip():
            raise ThemesError(f"A theme needs a name (some text), got {name!r}.")
        if self._find(name.strip()) is not None:
            raise ThemesError(f"A theme is already called {name.strip()!r}.")
        new = _theme(self._new_id(), " ".join(name.split()), [])
        with self._step("add"):
            self._themes.append(new)
        return str(new["id"])

    def pin(self, evidence_id: str, pinned: bool = True) -> None:
        """Pin a quote to the top of its theme (kept there by :meth:`recluster`);
        ``pinned=False`` unpins it. Usage: ``board.pin("P1:3")``"""
        t = self._holding(evidence_id)
        if (evidence_id in t["pinned"]) == bool(pinned):
            return
        with self._step("pin" if pinned else "unpin"):
            if pinned:
                t["pinned"].append(evidence_id)
            else:
                t["pinned"].remove(evidence_id)
            loose = [i for i in t["ids"] if i not in t["pinned"]]
            t["ids"] = [*t["pinned"], *loose]

    def recluster(self, **options: Any) -> None:
        """Group the unpinned quotes again with :func:`cjm.themes` (``options`` as there).
        Themes with pinned quotes keep their id, name and pinned quotes; every unpinned quote
        goes to a fresh theme. Usage: ``board.recluster(n_themes=6)``"""
        kept = [t for t in self._themes if t["pinned"]]
        loose = [i for t in self._themes for i in t["ids"] if i not in t["pinned"]]
        if not loose:
            raise ThemesError("Every quote is pinned; nothing to group again.")
        frame = themes(
            self.evidence, rows=loose, journey=self.journey, **{**self._options, **options}
        )
        with self._step("recluster"):
            fresh: list[dict[str, Any]] = []
            for _, row in frame.iterrows():
                name = str(row["name"])
                while any(name == t["name"] for t in (*kept, *fresh)):
                    name += " ′"
                fresh.append(_theme(self._new_id(), name, list(row["evidence_ids"])))
                fresh[-1]["terms"] = list(row["top_terms"])
            for t in kept:
                t["ids"] = list(t["pinned"])
            unthemed = list(frame.attrs.get("unthemed", []))
            self._themes = [*kept, *fresh]
            if unthemed:
                self._themes.insert(0, _theme(UNSORTED, "Unsorted", unthemed))

    # ------------------------------------------------------------------ to the journey
    def to_label(self, theme: str, label: str | None = None, *, coder: str | None = None) -> Any:
        """Tag the theme's quotes with ``label`` (default: the theme's name), added to their
        labels; one step of ``ev.undo()``. Usage: ``board.to_label("t2")``"""
        t = self._get(theme)
        if not t["ids"]:
            raise ThemesError(f"The theme {t['name']!r} has no quotes to label.")
        return self.evidence.tag(list(t["ids"]), add_labels=label or t["name"], coder=coder)

    def to_pain_point(
        self, theme: str, *, stage: str | None = None, text: str | None = None
    ) -> str:
        """Add the theme (its name, or ``text``) to the "pain points" lane of ``stage``
        (default: the stage of the theme's most tagged touchpoint); the lane is added when
        the journey has none. One step of ``journey.undo()``. Returns the stage id.

        Usage: ``board.to_pain_point("t2")``"""
        j, t = self._journey(), self._get(theme)
        st = j.stage(stage) if stage is not None else self._main_stage(t)
        with j.batch("theme to pain point"):
            if not any(lane.id == "pain_points" for lane in j.lanes):
                j.add_lane("pain_points")
            j.add_lane_item(st, "pain_points", text or t["name"])
        return st.id

    def to_opportunity(
        self, theme: str, *, text: str | None = None, impact: int = 3, effort: int = 3
    ) -> Opportunity:
        """Add an opportunity named after the theme, linked to its tagged touchpoints.
        One step of ``journey.undo()``. Usage: ``board.to_opportunity("t2", impact=4)``"""
        j, t = self._journey(), self._get(theme)
        tps = theme_stats(self.evidence, self._rows(t["ids"]), journey=j)["touchpoint_ids"]
        tps = [tp for tp in tps if _has_touchpoint(j, tp)]
        return j.add_opportunity(text or t["name"], tps, impact=impact, effort=effort)

    # ------------------------------------------------------------------ undo / files
    def undo(self) -> bool:
        """Undo the last board edit; False when there is none."""
        if not self._undo:
            return False
        self._redo.append(_copy(self._themes))
        self._themes = self._undo.pop()
        self._changed("undo")
        return True

    def redo(self) -> bool:
        """Redo the last undone board edit; False when there is none."""
        if not self._redo:
            return False
        self._undo.append(_copy(self._themes))
        self._themes = self._redo.pop()
        self._changed("redo")
        return True

    def to_dict(self) -> dict[str, Any]:
        """What the themes file holds."""
        options = {k: v for k, v in self._options.items() if k != "embed"}  # a function
        return {
            "kind": _KIND,
            "version": _VERSION,
            "options": options,
            "themes": _copy(self._themes),
        }

    def save(self, path: str | Path | None = None) -> Path:
        """Write the themes file (atomic); later edits go to that path too."""
        if path is not None:
            self.path = Path(path)
        if self.path is None:
            raise ThemesError("No path to save the themes to; pass board.save('x.themes.json').")
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1)
        return atomic_write_text(self.path, text)

    def __len__(self) -> int:
        return len(self._themes)

    def __repr__(self) -> str:
        n = sum(len(t["ids"]) for t in self._themes)
        return f"Themes({len(self._themes)} themes, {n} quotes)"

    # ------------------------------------------------------------------ internals
    def _step(self, kind: str) -> _Step:
        return _Step(self, kind)

    def _changed(self, kind: str) -> None:
        self._save()
        for cb in list(self._observers):
            cb(kind)

    def _save(self) -> None:
        if self.path is not None:
            self.save()

    def _find(self, ref: str) -> dict[str, Any] | None:
        for t in self._themes:
            if t["id"] == ref:
                return t
        for t in self._themes:
            if t["name"].casefold() == str(ref).strip().casefold():
                return t
        return None

    def _get(self, ref: str) -> dict[str, Any]:
        t = self._find(ref) if isinstance(ref, str) else None
        if t is None:
            names = ", ".join(f"{x['id']} ({x['name']})" for x in self._themes)
            raise ThemesError(f"No theme {ref!r}. Themes: {names or 'none'}.")
        return t

    def _holding(self, evidence_id: str) -> dict[str, Any]:
        for t in self._themes:
            if evidence_id in t["ids"]:
                return t
        raise ThemesError(f"The quote {evidence_id!r} is on no theme of this board.")

    def _new_id(self) -> str:
        used = {t["id"] for t in self._themes}
        n = len(self._themes) + 1
        while f"t{n}" in used:
            n += 1
        return f"t{n}"

    def _stats(self, ids: list[str]) -> dict[str, Any]:
        """theme_stats of these quotes, kept until they or the tags change."""
        cache = self.__dict__.setdefault("_stats_cache", {})
        if not self.__dict__.get("_watching"):  # tags or names changed: compute again
            self._watching = True
            self.evidence.observe(lambda _change: cache.clear())
            if self.journey is not None:
                self.journey.observe(lambda _change: cache.clear())
        key = tuple(ids)
        if key not in cache:
            if len(cache) > 256:
                cache.clear()
            cache[key] = theme_stats(self.evidence, self._rows(ids), journey=self.journey)
        return cache[key]

    def _rows(self, ids: list[str]) -> np.ndarray:
        return self.evidence.rows_of(ids) if ids else np.zeros(0, dtype=np.int64)

    def _journey(self) -> Journey:
        if self.journey is None:
            raise ThemesError("These themes have no journey; pass Themes(..., journey).")
        return self.journey

    def _main_stage(self, t: dict[str, Any]) -> Any:
        j = self._journey()
        tps = theme_stats(self.evidence, self._rows(t["ids"]), journey=j)["touchpoint_ids"]
        for tp in tps:
            if _has_touchpoint(j, tp):
                return j.stage_of(tp)
        raise ThemesError(
            f"The quotes of {t['name']!r} are tagged to no touchpoint of the journey; "
            "name the stage: to_pain_point(theme, stage='Purchase')."
        )


class _Step:
    """One undo step: keeps the state before, drops it again if the edit fails."""

    def __init__(self, owner: Themes, kind: str) -> None:
        self.owner, self.kind = owner, kind

    def __enter__(self) -> None:
        self.before = _copy(self.owner._themes)

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is not None:
            self.owner._themes = self.before  # nothing half-applied
            return
        self.owner._undo.append(self.before)
        self.owner._redo.clear()
        self.owner._changed(self.kind)


def _copy(value: Any) -> Any:
    """A copy of a theme list or one theme (lists of strings; much faster than deepcopy)."""
    if isinstance(value, list):
        return [_copy(t) for t in value]
    return {
        **value,
        "ids": list(value["ids"]),
        "pinned": list(value["pinned"]),
        "terms": list(value["terms"]),
    }


def _theme(theme_id: str, name: str, ids: list[str]) -> dict[str, Any]:
    return {"id": theme_id, "name": name, "ids": [str(i) for i in ids], "pinned": [], "terms": []}


def _has_touchpoint(journey: Journey, tp: str) -> bool:
    try:
        journey.touchpoint(tp)
    except CJMError:
        return False
    return True
