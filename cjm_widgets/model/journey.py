"""The Journey: stages, touchpoints, lanes, personas and opportunities, edited with undo.

Usage::

    import cjm_widgets as cjm

    journey = cjm.Journey.from_template("current_state", stages="seven_stage", language="fi")
    journey.add_touchpoint("Harkinta", "Hintavertailu", channel="web")
    journey.undo()

Every edit is validated first and changes nothing when rejected; every accepted edit is one
undo step and is delivered to the callbacks registered with :meth:`Journey.observe`.
Stages, touchpoints and opportunities have stable short ids (``s3``, ``t12``, ``o2``) that are
never reused, so anything that refers to an id survives renames and moves.

The class is assembled from modules of one job each (bottom to top):
:mod:`~cjm_widgets.model._names` (normalisers), :mod:`~cjm_widgets.model._state` (data, ids,
snapshots), :mod:`~cjm_widgets.model._undoable` (undo/redo/batches/observers on
:mod:`cjm_widgets._history`), :mod:`~cjm_widgets.model._queries` (lookups),
:mod:`~cjm_widgets.model._stage_edits` and :mod:`~cjm_widgets.model._part_edits` (edits), and
this module (construction, plain fields, files and views). Files and views are written by the
serialisers (persistence, render, mermaid, markdown, open), which depend on the model; the
Journey reaches them only through :mod:`cjm_widgets.model._seam`.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cjm_widgets.errors import JourneyError
from cjm_widgets.model import _seam
from cjm_widgets.model._names import (
    _UNSET,
    MAX_NAME_LENGTH,
    SCHEMA_VERSION,
    _clean_name,
    _fold,
    _plain_json,
    _state,
    _text,
    normalize_channel,
    normalize_phase,
)
from cjm_widgets.model._part_edits import PartEdits
from cjm_widgets.model._state import ID_PREFIX
from cjm_widgets.model._undoable import Observer, ReferenceCounter
from cjm_widgets.model.entities import (
    JourneyChange,
    Lane,
    Opportunity,
    Persona,
    Removal,
    Stage,
)
from cjm_widgets.model.templates import labels, template_spec

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_NAME_LENGTH",
    "SCHEMA_VERSION",
    "Journey",
    "Observer",
    "ReferenceCounter",
    "Removal",
    "normalize_channel",
    "normalize_phase",
]

_REEXPORTED = (_fold, _text, _clean_name)  # older code imports these from here


class Journey(PartEdits):
    """A customer journey map: persona(s), scope, stages with touchpoints, lanes, opportunities.

    Build one from a template (:meth:`from_template`), from a dict or file (:meth:`from_dict`,
    :meth:`load`), or from scratch::

        journey = cjm.Journey(title="First grocery order", scope="From ad to first delivery")
        journey.add_stage("Discover")

    Name stages and touchpoints by id or by name in every method. Edits are undoable
    (:meth:`undo`, :meth:`redo`) and observable (:meth:`observe`).
    """

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_template(
        cls,
        template: str = "current_state",
        stages: str | Sequence[str] | None = None,
        language: str = "en",
        **fields: Any,
    ) -> Journey:
        """A journey laid out from a template, with labels in one of five languages.

        ``template`` is ``current_state``, ``future_state``, ``day_in_the_life`` or
        ``service_blueprint``; ``stages`` a preset (``five_stage``, ``seven_stage`` …) or
        your own list of stage names; ``language`` one of ``en fi sv pl ms``. ``fields`` sets
        ``title``, ``scope``, ``persona`` (a name or a dict), ``personas``, ``state``,
        ``metadata``. See :func:`cjm_widgets.templates` for what exists.

        Usage: ``cjm.Journey.from_template("current_state", stages="seven_stage", language="fi")``
        """
        allowed = {"title", "scope", "persona", "personas", "state", "metadata"}
        unknown = sorted(set(fields) - allowed)
        if unknown:
            raise JourneyError(
                f"Unknown argument(s) {', '.join(unknown)} for Journey.from_template. "
                f"Allowed: template, stages, language, {', '.join(sorted(allowed))}."
            )
        spec = template_spec(template, stages=stages, language=language)
        personas: list[Any] = list(fields.get("personas") or [])
        if fields.get("persona") is not None:
            persona = fields["persona"]
            personas.insert(0, {"name": persona} if isinstance(persona, str) else persona)
        title = fields.get("title")
        if title is None:
            title = labels(spec.language)["templates"][spec.template]["name"]
        journey = cls(
            title=title,
            scope=fields.get("scope", ""),
            state=fields.get("state", spec.state),
            template=spec.template,
            language=spec.language,
            personas=personas,
            lanes=[Lane(lane.id, lane.name, lane.kind) for lane in spec.lanes],
            metadata=fields.get("metadata"),
        )
        for name, key in zip(spec.stages, spec.stage_keys, strict=True):
            clean = _clean_name(name, "stage")
            journey._check_stage_name(clean)
            journey._insert_stage(journey._new_stage(clean, key=key), len(journey._stages))
        return journey

    # ------------------------------------------------------------------ plain fields
    @property
    def title(self) -> str:
        """The map's title. Setting it is an undoable edit."""
        return self._title

    @title.setter
    def title(self, value: str) -> None:
        self.update(title=value)

    @property
    def scope(self) -> str:
        """The scope or goal of the map (what part of the experience it covers and why)."""
        return self._scope

    @scope.setter
    def scope(self, value: str) -> None:
        self.update(scope=value)

    @property
    def state(self) -> str:
        """``"current"`` (how it is) or ``"future"`` (how it should be)."""
        return self._state

    @state.setter
    def state(self, value: str) -> None:
        self.update(state=value)

    @property
    def template(self) -> str | None:
        """The template the journey was made from, if any."""
        return self._template

    @property
    def language(self) -> str:
        """Language code of the template labels (``en``, ``fi``, ``sv``, ``pl``, ``ms``)."""
        return self._language

    @property
    def metadata(self) -> dict[str, Any]:
        """A copy of the free-form metadata (set with :meth:`update`)."""
        return copy.deepcopy(self._metadata)

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The stages in journey order (read-only view; edit through the journey)."""
        return tuple(self._stages)

    @property
    def lanes(self) -> tuple[Lane, ...]:
        """The lanes (rows of the map) in order."""
        return tuple(self._lanes)

    @property
    def personas(self) -> tuple[Persona, ...]:
        """The personas; the first is the map's main persona."""
        return tuple(self._personas)

    @property
    def persona(self) -> Persona | None:
        """The main persona, or None."""
        return self._personas[0] if self._personas else None

    @property
    def opportunities(self) -> tuple[Opportunity, ...]:
        """The opportunities in the order they were added."""
        return tuple(self._opportunities)

    def update(
        self,
        *,
        title: str = _UNSET,
        scope: str = _UNSET,
        state: str = _UNSET,
        metadata: Mapping[str, Any] = _UNSET,
    ) -> None:
        """Change the title, scope, state or metadata in one undoable edit.

        Usage: ``journey.update(title="Checkout", scope="Web shop, first order")``
        """
        new_title = self._title if title is _UNSET else _text(title, "The title")
        new_scope = self._scope if scope is _UNSET else _text(scope, "The scope")
        new_state = self._state if state is _UNSET else _state(state)
        new_meta = self._metadata if metadata is _UNSET else _plain_json(metadata, "metadata")

        def apply() -> None:
            self._title, self._scope, self._state = new_title, new_scope, new_state
            self._metadata = copy.deepcopy(new_meta)

        self._edit(JourneyChange("journey_updated"), apply)

    # ------------------------------------------------------------------ files
    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, validate: bool = True) -> Journey:
        """A journey from :meth:`to_dict` data; older schema versions are migrated first and
        the data is validated against the JSON schema (errors name the JSON path).

        Usage: ``cjm.Journey.from_dict(json.loads(text))``
        """
        if validate:
            data = _seam.prepare(data)
        journey = cls(
            title=data.get("title", ""),
            scope=data.get("scope", ""),
            state=data.get("state", "current"),
            template=data.get("template"),
            language=data.get("language", "en"),
            lanes=[Lane(ln["id"], ln["name"], ln.get("kind", "text")) for ln in data["lanes"]],
            metadata=data.get("metadata") or {},
        )
        journey._restore(data, snapshot=False)
        counters = data.get("next_ids") or {}
        for kind in ID_PREFIX:
            journey._next_ids[kind] = max(
                int(counters.get(kind, 1)), journey._next_ids[kind], journey._min_next(kind)
            )
        return journey

    def to_json(self) -> str:
        """The journey as sorted, indented, git-diffable JSON text.

        Usage: ``Path("map.journey.json").write_text(journey.to_json())``
        """
        return _seam.dumps(self.to_dict())

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the journey to a JSON file atomically (a crash never leaves half a file).

        Usage: ``journey.save("checkout.journey.json")``
        """
        _seam.save(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Journey:
        """Read a journey file written by :meth:`save` (validated; older versions migrated).

        Usage: ``journey = cjm.Journey.load("checkout.journey.json")``
        """
        return _seam.load(path, cls)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        template: str = "current_state",
        stages: str | Sequence[str] | None = None,
        language: str = "en",
        *,
        delay: float = 0.5,
        **fields: Any,
    ) -> Journey:
        """Load the journey in ``path``, or create it there from the template arguments (those
        of :meth:`from_template`); every later edit is saved to that file. When the file
        exists it wins over the arguments (a warning names any that differ). Details:
        :mod:`cjm_widgets.model.open`.

        Usage: ``journey = cjm.Journey.open("work/x.journey.json", stages="seven_stage")``
        """
        return _seam.open_journey(
            cls, path, template, stages=stages, language=language, delay=delay, **fields
        )

    def copy(self) -> Journey:
        """An independent copy (no observers, no undo history).

        Usage: ``future = journey.copy(); future.state = "future"``
        """
        return type(self).from_dict(self.to_dict(), validate=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Journey):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        n_tp = sum(len(st.touchpoints) for st in self._stages)
        return (
            f"Journey({self._title!r}, state={self._state!r}, stages={len(self._stages)}, "
            f"touchpoints={n_tp}, lanes={len(self._lanes)})"
        )

    # ------------------------------------------------------------------ views
    def to_frame(self) -> pd.DataFrame:
        """The map as a pandas DataFrame: one row per lane, one column per stage.

        Usage: ``journey.to_frame()``
        """
        return _seam.journey_frame(self)

    def _repr_html_(self) -> str:
        return _seam.journey_html(self)

    def to_markdown(self) -> str:
        """The map as Markdown (a table of lanes × stages, personas, opportunities); user text
        escaped. For findings from evidence use ``cjm.export.to_markdown(journey, ev)``.

        Usage: ``Path("map.md").write_text(journey.to_markdown())``
        """
        return _seam.journey_markdown(self)

    def to_mermaid(
        self,
        scores: Mapping[str, float] | pd.DataFrame | None = None,
        *,
        series: str | None = None,
        title: str | None = None,
    ) -> str:
        """A Mermaid ``journey`` diagram: stages as sections, touchpoints as tasks scored 0–5.

        ``scores``: touchpoint → emotion −2..+2, or an ``emotion_curve`` frame (``series``
        picks one); else the scores read by :meth:`from_mermaid`, else a neutral 3. For scores
        from evidence (one diagram per series with ``by=``) use
        ``cjm.export.to_mermaid(journey, ev, by=...)``.

        Usage: ``print(journey.to_mermaid(cjm.emotion_curve(journey, ev)))``
        """
        return _seam.journey_to_mermaid(self, scores, series=series, title=title)

    @classmethod
    def from_mermaid(cls, text: str) -> Journey:
        """A journey from a Mermaid ``journey`` diagram (sections → stages, tasks →
        touchpoints, actors → personas); a malformed line raises JourneyError with its number.

        Usage: ``journey = cjm.Journey.from_mermaid(Path("map.mmd").read_text())``
        """
        return _seam.journey_from_mermaid(text, cls)
