"""One file-backed journey, opened idempotently: the top cell of a notebook does the same
thing on the first run and on every later Run All.

Usage::

    journey = cjm.Journey.open("work/grocery.journey.json", "current_state",
                               stages="seven_stage", title="First grocery order")

What :func:`open_journey` does:

- **The file does not exist:** the journey is made from the template arguments (exactly as
  :meth:`Journey.from_template <cjm_widgets.Journey.from_template>`) and saved there (missing
  folders are created). The arguments are remembered in ``journey.metadata["opened_with"]``.
- **The file exists:** it is loaded, and **the file wins**. The template arguments are still
  checked (a typo is an error either way), but they change nothing. When they differ from
  the ones the file was created with (or, for a file made otherwise, from its title,
  template, language, state or scope), one warning says which differ and how to apply them.
  The file then remembers the new arguments, so the warning is said once.
- **From then on** every edit of the journey — from Python, from the board
  (:class:`~cjm_widgets.JourneyEditor`, the Workspace), undo and redo — is saved to that file,
  atomically, at most ``delay`` seconds after the change (see
  :class:`~cjm_widgets._debounce.DebouncedSave`).
- **Opening the same path again in the same kernel** (Run All twice) returns the same
  journey object when the file still holds what it last wrote (its pending edits are saved
  first). When the file was changed or deleted from outside meanwhile, the old object stops
  writing to it (without saving) and the file is loaded, or created, afresh.

:func:`journey_file` gives the :class:`JourneyFile` that keeps a journey saved, to
:meth:`~JourneyFile.flush` or :meth:`~JourneyFile.close` it.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cjm_widgets.errors import JourneyError
from cjm_widgets.model._openfile import FileBinding, check_json_name

if TYPE_CHECKING:
    from cjm_widgets.model.journey import Journey

__all__ = ["OPENED_WITH", "JourneyFile", "journey_file", "open_journey"]

#: The metadata key under which a journey file remembers the arguments it was opened with.
OPENED_WITH = "opened_with"

_FIELDS = ("title", "template", "language", "state", "scope")  # compared without a record


class JourneyFile(FileBinding["Journey"]):
    """Keeps ``journey`` saved in ``path``: every change is written atomically, at most
    ``delay`` seconds later (at once after a quiet spell). Made by :func:`open_journey`; the
    saving itself is :class:`~cjm_widgets.model._openfile.FileBinding`'s.

    Usage: ``journey_file(journey).flush()``
    """

    what = "journey"

    @property
    def journey(self) -> Journey:
        """The journey kept saved."""
        return self.target

    def _save_to(self, path: Path) -> None:
        self.target.save(path)


def journey_file(journey_or_path: Journey | str | os.PathLike[str]) -> JourneyFile | None:
    """The :class:`JourneyFile` keeping a journey (or a path) saved, or None.

    Usage: ``cjm.model.open.journey_file(journey).flush()``
    """
    return JourneyFile.find(journey_or_path)


def open_journey(
    cls: type[Journey],
    path: str | os.PathLike[str],
    template: str = "current_state",
    stages: str | Sequence[str] | None = None,
    language: str = "en",
    *,
    delay: float = 0.5,
    **fields: Any,
) -> Journey:
    """Load the journey in ``path`` or create it there from the template; keep it saved.

    See the module docs for what happens in each case. Arguments after ``path`` are those of
    :meth:`Journey.from_template`; ``delay`` (seconds, ≤ 1) bounds how far the file lags.

    Usage: ``cjm.Journey.open("work/x.journey.json", stages="five_stage", title="Checkout")``
    """
    target = check_json_name(
        path, opener="Journey.open", example="grocery.journey.json", error=JourneyError
    )
    # the arguments are checked on every run, so a typo never hides behind an existing file
    fresh = cls.from_template(template, stages=stages, language=language, **fields)
    args = _plain({"template": template, "stages": stages, "language": language, **fields})
    key = target.resolve()
    old = journey_file(key)
    if old is not None and old.holds_file() and isinstance(old.journey, cls):
        old.flush()
        _say_if_different(old.journey, fresh, args, target, old)
        return old.journey
    if old is not None:  # changed or removed from outside: the file wins over the object
        old.close(save=False)
    if target.exists():
        journey = cls.load(target)
        binding = JourneyFile(journey, key, delay=delay)
        binding.register()
        binding.remember_file()
        _say_if_different(journey, fresh, args, target, binding)
        return journey
    key.parent.mkdir(parents=True, exist_ok=True)
    fresh._metadata[OPENED_WITH] = args  # before any observer: part of the created journey
    JourneyFile(fresh, key, delay=delay).create(
        JourneyError, "Nothing was created; fix the path or folder."
    )
    return fresh


def _say_if_different(
    journey: Journey, fresh: Journey, args: dict[str, Any], target: Path, binding: JourneyFile
) -> None:
    """One warning naming the template arguments that the file did not take."""
    recorded = journey.metadata.get(OPENED_WITH)
    if isinstance(recorded, Mapping):
        keys = sorted(set(recorded) | set(args))
        differing = [
            (k, recorded.get(k), args.get(k)) for k in keys if recorded.get(k) != args.get(k)
        ]
        basis = "the arguments it was created with"
    else:
        differing = [
            (k, getattr(journey, k), getattr(fresh, k))
            for k in _FIELDS
            if getattr(journey, k) != getattr(fresh, k)
        ]
        basis = "what the file holds"
    if not differing:
        return
    listed = "; ".join(f"{k}: {new!r} (file: {was!r})" for k, was, new in differing)
    warnings.warn(
        f"{target} exists, so Journey.open loaded it and the file wins: these template "
        f"arguments differ from {basis} and were not applied — {listed}. To apply them, edit "
        "the journey (e.g. journey.update(title=...), or on the board), or move the file away "
        "to create it afresh from the arguments. (Said once: the file now remembers them.)",
        UserWarning,
        stacklevel=4,
    )
    journey._metadata[OPENED_WITH] = args  # remembered without an undo step or change event
    binding.save()


def _plain(value: Any) -> Any:
    """JSON-ready copy of template arguments (personas may be dataclasses, stages tuples)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
