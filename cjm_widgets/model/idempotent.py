"""Re-running a cell changes nothing the second time: idempotent adds and former names.

Usage::

    journey.add_touchpoint("Purchase", "Checkout", channel="web")   # adds t5
    journey.add_touchpoint("Purchase", "Checkout", channel="web")   # returns t5, no edit
    journey.add_touchpoint("Purchase", "Checkout", channel="app")   # JourneyError: channel
    journey.add_touchpoint("Purchase", "Checkout", channel="app", update=True)  # one edit

The rules, the same for ``add_stage``, ``add_touchpoint``, ``add_opportunity``,
``add_persona``, ``add_lane`` and ``add_lane_item``:

- An item is the same when its name (an opportunity's text; case and accents ignored) is the
  same in the same place (a touchpoint's stage, a lane item's cell). It is then returned as it
  is: no undo step, no change event, nothing saved.
- Each argument that the call gives (one that differs from its default) must match the item;
  the first that does not raises :class:`~cjm_widgets.errors.JourneyError` naming the field,
  both values and the way out: change the call, or pass ``update=True`` to set the call's
  values on the item (one undoable edit). Arguments left at their default never conflict, so
  a field edited on the board that the call does not set is kept.
- ``after`` / ``before`` / ``position`` place a *new* item only: an existing one stays where
  it is (the board may have moved it). A touchpoint moved to another stage since is still
  found by the call that added it to its first stage (``journey.metadata["moved_from"]``
  keeps the stages it left).
- A stage or touchpoint renamed since (on the board or from Python) is still found by its
  former name, so the cell that added it keeps returning it; a name in use now wins over a
  former name. Former names are kept in ``journey.metadata["former_names"]`` (id → names),
  saved with the journey, and used by every lookup (``journey.stage``,
  ``journey.touchpoint``, and so tags and survey mappings), with a warning naming the
  current name.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from cjm_widgets.errors import JourneyError
from cjm_widgets.model._names import _fold

if TYPE_CHECKING:
    from cjm_widgets.model._queries import JourneyQueries as Journey  # any journey class
    from cjm_widgets.model.entities import Stage, Touchpoint

__all__ = [
    "FORMER_NAMES",
    "MOVED_FROM",
    "already_renamed",
    "check_same",
    "find_stage",
    "find_touchpoint",
    "former_stage",
    "former_touchpoint",
    "record_move",
    "record_rename",
]

_T = TypeVar("_T")

#: The metadata key that keeps the former names of renamed stages and touchpoints.
FORMER_NAMES = "former_names"
#: The metadata key that keeps the stages a touchpoint was moved out of.
MOVED_FROM = "moved_from"


def record_rename(journey: Journey, item_id: str, old_name: str) -> None:
    """Remember ``old_name`` as a former name of ``item_id`` (inside the rename's edit, so
    undo and redo keep it consistent).

    Usage: ``record_rename(journey, "t7", "Check-in desk")``
    """
    record = journey._metadata.setdefault(FORMER_NAMES, {})
    names = [n for n in record.get(item_id, []) if _fold(n) != _fold(old_name)]
    record[item_id] = [*names, old_name]


def _former_ids(journey: Journey, ref: str) -> list[str]:
    record = journey._metadata.get(FORMER_NAMES)
    if not isinstance(record, Mapping):
        return []
    key = _fold(ref)
    return [i for i, names in record.items() if any(_fold(str(n)) == key for n in names or ())]


def _say_renamed(kind: str, ref: str, name: str, ident: str) -> None:
    warnings.warn(
        f"The {kind} {ref!r} has been renamed to {name!r} ({ident}); using it. Write "
        f"{name!r} (or {ident!r}) in your code to silence this.",
        UserWarning,
        stacklevel=4,
    )


def former_stage(journey: Journey, ref: str, *, quiet: bool = False) -> Stage | None:
    """The one stage that had the name ``ref`` before a rename, or None.

    Usage: ``former_stage(journey, "Purchase")``
    """
    ids = set(_former_ids(journey, ref))
    found = [st for st in journey._stages if st.id in ids]
    if len(found) != 1:
        return None
    if not quiet:
        _say_renamed("stage", ref, found[0].name, found[0].id)
    return found[0]


def former_touchpoint(
    journey: Journey, ref: str, stages: Sequence[Stage], *, quiet: bool = False
) -> Touchpoint | None:
    """The one touchpoint (of ``stages``) that had the name ``ref`` before a rename, or None.

    Usage: ``former_touchpoint(journey, "Check-in desk", journey.stages)``
    """
    ids = set(_former_ids(journey, ref))
    found = [tp for st in stages for tp in st.touchpoints if tp.id in ids]
    if len(found) != 1:
        return None
    if not quiet:
        _say_renamed("touchpoint", ref, found[0].name, found[0].id)
    return found[0]


def check_same(
    kind: str,
    name: str,
    item: _T,
    given: Mapping[str, tuple[Any, Any]],
    *,
    update: bool,
    apply_update: Callable[[dict[str, Any]], object],
    compare: Mapping[str, Callable[[Any], Any]] | None = None,
) -> _T:
    """Return ``item`` when every given argument matches it, else update it (``update``) or
    raise naming the first field that differs.

    ``given`` maps a field to ``(value from the call, its default)``; values equal to their
    default are not compared. ``compare`` normalises a field before comparing (e.g. touchpoint
    refs to ids, a channel alias to its name).

    Usage: ``check_same("stage", "Delivery", st, {"description": ("x", "")}, ...)``
    """
    compare = compare or {}
    differing: dict[str, Any] = {}
    for field, (value, default) in given.items():
        if value is default or value == default:
            continue
        norm = compare.get(field, lambda v: v)
        wanted, current = norm(value), getattr(item, field)
        if isinstance(current, list) and isinstance(wanted, list | tuple):
            wanted, current = sorted(wanted), sorted(current)  # links and goals: as sets
        if wanted != current:
            differing[field] = (value, current)
    if not differing:
        return item
    if update:
        apply_update({field: value for field, (value, _) in differing.items()})
        return item
    field, (value, current) = next(iter(differing.items()))
    more = f" (and {', '.join(list(differing)[1:])})" if len(differing) > 1 else ""
    ident = getattr(item, "id", "")
    raise JourneyError(
        f"The journey already has the {kind} {name!r} ({ident}) with {field}={current!r}; this "
        f"call gives {field}={value!r}{more}. Adding the same {kind} again returns it only when "
        f"the arguments match: change the call to {field}={current!r} (perhaps it was edited on "
        f"the board), or pass update=True to set {field}={value!r}."
    )


def find_stage(journey: Journey, name: str) -> Stage | None:
    """The stage named ``name`` now, else the one stage that had that name; None if neither.

    Usage: ``find_stage(journey, "Delivery")``
    """
    key = _fold(name)
    for st in journey._stages:
        if _fold(st.name) == key:
            return st
    return former_stage(journey, name, quiet=True)


def find_touchpoint(journey: Journey, stage: Stage, name: str) -> Touchpoint | None:
    """The touchpoint of ``stage`` named ``name`` now, else the one that had that name.

    Usage: ``find_touchpoint(journey, journey.stage("Purchase"), "Checkout")``
    """
    key = _fold(name)
    for tp in stage.touchpoints:
        if _fold(tp.name) == key:
            return tp
    found = former_touchpoint(journey, name, [stage], quiet=True)
    if found is not None:
        return found
    # moved out of this stage since (e.g. dragged on the board): the one that left it
    moved = journey._metadata.get(MOVED_FROM)
    if not isinstance(moved, Mapping):
        return None
    left = {i for i, stages in moved.items() if stage.id in (stages or ())}
    names = set(_former_ids(journey, name))
    found_all = [
        tp
        for st in journey._stages
        for tp in st.touchpoints
        if tp.id in left and (_fold(tp.name) == key or tp.id in names)
    ]
    return found_all[0] if len(found_all) == 1 else None


def record_move(journey: Journey, touchpoint_id: str, stage_id: str) -> None:
    """Remember that a touchpoint left ``stage_id`` (inside the move's edit), so the cell that
    added it there still finds it.

    Usage: ``record_move(journey, "t5", "s3")``
    """
    record = journey._metadata.setdefault(MOVED_FROM, {})
    record[touchpoint_id] = [*(s for s in record.get(touchpoint_id, []) if s != stage_id), stage_id]


def already_renamed(journey: Journey, kind: str, ref: object, name: str) -> Any:
    """The stage or touchpoint that a re-run ``rename_*(ref, name)`` already renamed: none is
    named ``ref`` now, and the one named ``name`` was once named ``ref``. None otherwise.

    Usage: ``already_renamed(journey, "stage", "Decision/Purchase", "Checkout")``
    """
    if not isinstance(ref, str):
        return None
    items = list(journey._stages) if kind == "stage" else list(journey.touchpoints)
    if any(item.id == ref or _fold(item.name) == _fold(ref) for item in items):
        return None
    before = set(_former_ids(journey, ref))
    found = [item for item in items if item.id in before and _fold(item.name) == _fold(name)]
    return found[0] if len(found) == 1 else None
