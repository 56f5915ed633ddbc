"""The journey's parts: Persona, Lane, Touchpoint, Stage, Opportunity and the change event.

These are dataclasses the :class:`~cjm_widgets.model.journey.Journey` owns; it is the only
place that edits them (so every edit is validated, undoable and observed). Read them freely;
edit through the journey::

    tp = journey.touchpoint("Checkout")
    journey.update_touchpoint(tp, channel="mobile app")

Setting a field of a part (``tp.channel = "web"``) or changing one of its lists or mappings
(``stage.touchpoints.append(...)``, ``persona.goals.append(...)``) raises
:class:`~cjm_widgets.errors.ReadOnlyError` naming the journey method to use. A free-standing
changed copy is made with ``dataclasses.replace(tp, name="New")``. The journey's own code
edits inside :func:`editing`, which is internal to the model.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self, SupportsIndex, TypeVar

from cjm_widgets.errors import ReadOnlyError

__all__ = [
    "CHANNELS",
    "PHASES",
    "STATES",
    "JourneyChange",
    "Lane",
    "Opportunity",
    "Persona",
    "Removal",
    "Stage",
    "Touchpoint",
]

T = TypeVar("T")

# How deep the journey's own edits are nested (per thread and task): parts change only then.
_EDITING: contextvars.ContextVar[int] = contextvars.ContextVar("cjm_model_editing", default=0)


@contextlib.contextmanager
def editing() -> Iterator[None]:
    """Let the journey's own code change its parts inside the block (model-internal).

    Usage: ``with editing(): stage.name = new_name``
    """
    token = _EDITING.set(_EDITING.get() + 1)
    try:
        yield
    finally:
        _EDITING.reset(token)


def _refuse(hint: str) -> None:
    if not _EDITING.get():
        raise ReadOnlyError(hint)


def _guard(value: Any, hint: str) -> Any:
    """``value`` with every list and dict in it made read-only (outside :func:`editing`)."""
    if isinstance(value, list) and not isinstance(value, ReadOnlyList):
        return ReadOnlyList(value, hint=hint)
    if isinstance(value, dict) and not isinstance(value, ReadOnlyDict):
        return ReadOnlyDict(value, hint=hint)
    return value


def plain(value: Any) -> Any:
    """A deep plain copy (lists, dicts) of a part's field, e.g. for JSON data."""
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


class ReadOnlyList(list[T]):
    """A list of a journey part that only the journey changes (reads work as usual)."""

    _hint: str

    def __init__(self, items: Iterable[T] = (), *, hint: str = "", parts: bool = False) -> None:
        # ``parts=True``: the items are journey parts (they guard their own fields), so no
        # item needs wrapping and none is looked at (a stage of thousands of touchpoints).
        if parts:
            super().__init__(items)
        else:
            values = list(items)
            if any(isinstance(item, list | dict) for item in values):
                values = [_guard(item, hint) for item in values]
            super().__init__(values)
        self._hint = hint

    def __reduce__(self) -> tuple[Any, ...]:  # pickle/copy rebuild it through __init__
        return (_rebuild_list, (list(self), self._hint))

    def _check(self) -> None:
        _refuse(self._hint)

    def __setitem__(self, index: Any, value: Any) -> None:
        self._check()
        if isinstance(index, slice):
            value = [_guard(v, self._hint) for v in value]
        else:
            value = _guard(value, self._hint)
        super().__setitem__(index, value)

    def __delitem__(self, index: Any) -> None:
        self._check()
        super().__delitem__(index)

    def __iadd__(self, other: Iterable[T]) -> ReadOnlyList[T]:  # type: ignore[override,misc]
        self.extend(other)
        return self

    def __imul__(self, n: SupportsIndex) -> ReadOnlyList[T]:
        self._check()
        super().__imul__(n)
        return self

    def append(self, item: T) -> None:
        self._check()
        super().append(_guard(item, self._hint))

    def extend(self, items: Iterable[T]) -> None:
        self._check()
        super().extend(_guard(item, self._hint) for item in items)

    def insert(self, index: SupportsIndex, item: T) -> None:
        self._check()
        super().insert(index, _guard(item, self._hint))

    def remove(self, item: T) -> None:
        self._check()
        super().remove(item)

    def pop(self, index: SupportsIndex = -1) -> T:
        self._check()
        return super().pop(index)

    def clear(self) -> None:
        self._check()
        super().clear()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        self._check()
        super().sort(*args, **kwargs)

    def reverse(self) -> None:
        self._check()
        super().reverse()


class ReadOnlyDict(dict[str, Any]):
    """A mapping of a journey part that only the journey changes (reads work as usual)."""

    _hint: str

    def __init__(self, items: Any = (), *, hint: str = "") -> None:
        super().__init__((k, _guard(v, hint)) for k, v in dict(items).items())
        self._hint = hint

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_dict, (dict(self), self._hint))

    def _check(self) -> None:
        _refuse(self._hint)

    def __setitem__(self, key: str, value: Any) -> None:
        self._check()
        super().__setitem__(key, _guard(value, self._hint))

    def __delitem__(self, key: str) -> None:
        self._check()
        super().__delitem__(key)

    def __ior__(self, other: Any) -> ReadOnlyDict:  # type: ignore[override,misc]
        self.update(other)
        return self

    def pop(self, key: str, *default: Any) -> Any:
        self._check()
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, Any]:
        self._check()
        return super().popitem()

    def clear(self) -> None:
        self._check()
        super().clear()

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._check()
        for key, value in dict(*args, **kwargs).items():
            super().__setitem__(key, _guard(value, self._hint))

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self._check()
            super().__setitem__(key, _guard(default, self._hint))
        return self[key]


def _rebuild_list(items: list[Any], hint: str) -> ReadOnlyList[Any]:
    return ReadOnlyList(items, hint=hint)


def _rebuild_dict(items: dict[str, Any], hint: str) -> ReadOnlyDict:
    return ReadOnlyDict(items, hint=hint)


_HINTS: dict[tuple[str, str], str] = {}


def _hint_for(cls: type[_Part], name: str) -> str:
    """The read-only message of ``cls.name`` (made once per field: parts are built in bulk
    on every undo and redo)."""
    key = (cls.__qualname__, name)
    hint = _HINTS.get(key)
    if hint is None:
        how = cls._EDIT_WITH.get(name) or cls._EDIT_WITH.get("*", "the journey's methods")
        hint = _HINTS[key] = (
            f"{cls.__name__}.{name} is read-only: the journey owns its parts, so edits are "
            f"undoable and observed. Use {how} (or dataclasses.replace(...) for a "
            "free-standing copy)."
        )
    return hint


class _Part:
    """Base of the journey's parts: a field is set once (when made), then only by the journey.

    ``_EDIT_WITH`` maps a field to the journey method that changes it (``"*"``: any other).
    """

    _EDIT_WITH: ClassVar[dict[str, str]] = {}
    #: The fields that hold lists or dicts (made read-only by :meth:`_build`).
    _CONTAINERS: ClassVar[tuple[str, ...]] = ()

    def _hint(self, name: str) -> str:
        return _hint_for(type(self), name)

    #: The list fields whose items are parts themselves (nothing inside them to wrap).
    _PART_LISTS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def _build(cls, **fields: Any) -> Self:
        """A part from all its fields at once (the journey's snapshots: no per-field checks,
        lists and dicts still made read-only)."""
        part = object.__new__(cls)
        for name in cls._CONTAINERS:
            if name in fields:
                fields[name] = part._guarded(name, fields[name])
        part.__dict__.update(fields)
        return part

    def _guarded(self, name: str, value: Any) -> Any:
        if name in self._PART_LISTS and type(value) is list:
            return ReadOnlyList(value, hint=self._hint(name), parts=True)
        return _guard(value, self._hint(name))

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.__dict__ and not _EDITING.get():  # set once when made, then refused
            raise ReadOnlyError(self._hint(name))
        if isinstance(value, list | dict):
            value = self._guarded(name, value)
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        _refuse(self._hint(name))
        object.__delattr__(self, name)


#: The channels a touchpoint can use (the order is the order of the legend).
CHANNELS: tuple[str, ...] = (
    "web",
    "mobile app",
    "social",
    "email",
    "phone",
    "chat",
    "in store",
    "in person",
    "print",
    "other",
)

#: The purchase phase of a touchpoint (optional).
PHASES: tuple[str, ...] = ("pre-purchase", "purchase", "post-purchase")

#: A journey maps the current state or a future (designed) state.
STATES: tuple[str, ...] = ("current", "future")

LANE_KINDS: tuple[str, ...] = ("text", "touchpoints")


@dataclass
class Persona(_Part):
    """Who walks the journey.

    ``segment`` filters the evidence to this persona, e.g. ``{"Class": "Business"}`` or
    ``{"Class": ["Business", "Eco Plus"]}``.

    Usage: ``journey.add_persona("Frequent flyer", goals=["Arrive rested"])``
    """

    id: str
    name: str
    description: str = ""
    goals: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    segment: dict[str, Any] = field(default_factory=dict)

    _CONTAINERS: ClassVar[tuple[str, ...]] = ("goals", "needs", "segment")
    _EDIT_WITH: ClassVar[dict[str, str]] = {
        "*": "journey.update_persona(persona, name=..., description=..., goals=..., needs=..., "
        "segment=...)"
    }


@dataclass
class Lane(_Part):
    """A row of the map (actions, thoughts and feelings, touchpoints, backstage, …).

    ``kind`` is ``"text"`` (a cell of text items per stage) or ``"touchpoints"`` (the row
    that shows each stage's touchpoint cards).
    """

    id: str
    name: str
    kind: str = "text"

    _EDIT_WITH: ClassVar[dict[str, str]] = {
        "name": "journey.rename_lane(lane, name)",
        "*": "journey.add_lane / rename_lane / move_lane / remove_lane",
    }


@dataclass
class Touchpoint(_Part):
    """Where the customer meets the service.

    Usage: ``journey.add_touchpoint("Purchase", "Checkout", channel="web", phase="purchase")``
    """

    id: str
    name: str
    channel: str = "other"
    phase: str | None = None
    owner: str = ""
    description: str = ""

    _EDIT_WITH: ClassVar[dict[str, str]] = {
        "name": "journey.rename_touchpoint(touchpoint, name)",
        "*": "journey.update_touchpoint(touchpoint, name=..., channel=..., phase=..., "
        "owner=..., description=...)",
    }

    @classmethod
    def _from_data(
        cls,
        rows: Iterable[Mapping[str, Any]],
        *,
        complete: bool = False,
        reuse: Mapping[str, Touchpoint] | None = None,
    ) -> list[Touchpoint]:
        """Touchpoints from their plain data (``Journey.to_dict``'s), in bulk: a snapshot of
        thousands of touchpoints is restored on every undo and redo.

        ``complete=True``: each row holds exactly the six fields (the journey's own
        snapshots); otherwise missing fields take their defaults. ``reuse``: the journey's
        current touchpoints by id; one whose fields equal its row is kept as it is (same
        object, nothing allocated), so an undo touches only what it changes."""
        new = object.__new__
        out: list[Touchpoint] = []
        for row in rows:
            if complete:
                same = reuse.get(row["id"]) if reuse else None
                if same is not None and same.__dict__ == row:
                    out.append(same)
                    continue
                part = new(cls)
                part.__dict__.update(row)
            else:
                part = new(cls)
                part.__dict__.update(
                    id=row["id"],
                    name=row["name"],
                    channel=row.get("channel", "other"),
                    phase=row.get("phase"),
                    owner=row.get("owner", ""),
                    description=row.get("description", ""),
                )
            out.append(part)
        return out


@dataclass
class Stage(_Part):
    """A column of the map: an ordered step of the journey with its touchpoints and lane cells.

    ``key`` is the template's language-neutral id of the stage (``"awareness"``), or None for
    a stage the researcher named.
    """

    id: str
    name: str
    description: str = ""
    key: str | None = None
    touchpoints: list[Touchpoint] = field(default_factory=list)
    lanes: dict[str, list[str]] = field(default_factory=dict)

    _CONTAINERS: ClassVar[tuple[str, ...]] = ("touchpoints", "lanes")
    _PART_LISTS: ClassVar[tuple[str, ...]] = ("touchpoints",)
    _EDIT_WITH: ClassVar[dict[str, str]] = {
        "name": "journey.rename_stage(stage, name)",
        "touchpoints": "journey.add_touchpoint / move_touchpoint / remove_touchpoint",
        "lanes": "journey.set_lane(stage, lane, items) or journey.add_lane_item(...)",
        "*": "journey.update_stage(stage, name=..., description=...)",
    }


@dataclass
class Opportunity(_Part):
    """Something to improve, ranked by impact and effort (both 1–5).

    A quick win has impact ≥ 4 and effort ≤ 2.

    Usage: ``journey.add_opportunity("One-page checkout", touchpoints=["Checkout"], impact=5,
    effort=2)``
    """

    id: str
    text: str
    touchpoints: list[str] = field(default_factory=list)
    impact: int = 3
    effort: int = 3
    notes: str = ""

    _CONTAINERS: ClassVar[tuple[str, ...]] = ("touchpoints",)
    _EDIT_WITH: ClassVar[dict[str, str]] = {
        "*": "journey.update_opportunity(opportunity, text=..., touchpoints=..., impact=..., "
        "effort=..., notes=...)"
    }

    @property
    def quick_win(self) -> bool:
        """True when impact ≥ 4 and effort ≤ 2."""
        return self.impact >= 4 and self.effort <= 2


@dataclass(frozen=True)
class JourneyChange:
    """One change of a journey, delivered to ``journey.observe`` callbacks.

    ``kind`` names the edit (``"stage_added"``, ``"touchpoint_moved"``, ``"undo"`` …), ``ids``
    the stage/touchpoint/lane/opportunity ids it touched, ``detail`` anything else (old and new
    names, positions, for undo/redo the kind of the change undone).
    """

    kind: str
    ids: tuple[str, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Removal:
    """What a removal took away, returned by ``remove_stage`` / ``remove_touchpoint``.

    ``evidence_rows`` counts the evidence rows tagged to the removed stage or touchpoints (from
    every :class:`~cjm_widgets.Evidence` linked to this journey). Those tags are kept, not
    lost: move them with ``evidence.move_tags(...)`` or bring the stage back with ``undo()``.
    """

    stage_ids: tuple[str, ...]
    touchpoint_ids: tuple[str, ...]
    evidence_rows: int = 0
