"""Debounced, atomic autosave of a journey and its evidence tags.

Usage::

    saver = Autosave(journey, ev, "project.journey.json")   # tags go to project.tags.json
    ev.tag(...)            # saved within `delay` seconds
    saver.close()          # saves what is pending, stops observing

How it stays at most ``delay`` behind without ever saving half an edit: see
:class:`cjm_widgets._debounce.DebouncedSave` (shared with ``Journey.open`` and
``ev.open_tags``). Each file is written to a temporary file, fsynced and renamed, so a
crash leaves the previous complete file, never a truncated one.

Resuming: when the files already exist (the notebook is run again after a crash or a restart),
Autosave first restores the journey and the tags from them, as one undoable step each
(``journey.undo()`` and ``ev.undo()`` bring back what the notebook built), instead of
overwriting them. A file that is not a valid journey or tags file stops Autosave with an
:class:`~cjm_widgets.errors.AutosaveError` naming the file and the JSON path, and the files are
left untouched. ``resume=False`` starts afresh and overwrites them.
"""

from __future__ import annotations

import contextlib
import traceback
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cjm_widgets._debounce import DebouncedSave
from cjm_widgets.errors import AutosaveError, CJMError
from cjm_widgets.evidence.tags import parse_tags_file
from cjm_widgets.evidence.tags_open import tags_file
from cjm_widgets.model.open import journey_file

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["Autosave", "tags_path_for"]


def tags_path_for(journey_path: Path) -> Path:
    """``project.journey.json`` → ``project.tags.json``; ``x.json`` → ``x.tags.json``.

    Usage: ``tags_path_for(Path("grocery.journey.json"))``
    """
    name = journey_path.name
    if name.endswith(".journey.json"):
        return journey_path.with_name(name[: -len(".journey.json")] + ".tags.json")
    stem = name[:-5] if name.endswith(".json") else name
    return journey_path.with_name(stem + ".tags.json")


class Autosave:
    """Save ``journey`` to ``path`` and ``evidence``'s tags beside it after every change.

    ``delay`` (seconds, ≤ 1) bounds how far the files lag behind the last change while the
    kernel is idle or busy with widget actions. ``on_status(text, ok)`` hears each save (an
    error it raises is warned with its traceback and kept in ``callback_error``).
    With ``resume`` (the default) existing files are restored first (see the module docs);
    :attr:`restored` then says what was restored.
    """

    def __init__(
        self,
        journey: Journey,
        evidence: Evidence,
        path: str | Path,
        *,
        delay: float = 0.5,
        tags_path: str | Path | None = None,
        on_status: Callable[[str, bool], None] | None = None,
        resume: bool = True,
    ) -> None:
        if not 0 < delay <= 1:
            raise ValueError(f"autosave delay must be in (0, 1] seconds, got {delay!r}.")
        self.journey, self.evidence = journey, evidence
        self.path = Path(path)
        if self.path.suffix.lower() != ".json":
            raise ValueError(
                f"autosave needs a .json path for the journey (e.g. 'project.journey.json'), "
                f"got {str(path)!r}."
            )
        self.tags_path = Path(tags_path) if tags_path else tags_path_for(self.path)
        self.delay = delay
        self.on_status = on_status
        self.last_error: str | None = None
        self.callback_error: str | None = None
        self.restored: str | None = None
        if resume:
            self.restored = self._resume()
        self._remove_stale_temp_files()
        self._saver = DebouncedSave(self._write, delay=delay)
        self.save()  # the files exist (and match) from the start
        journey.observe(self._saver.changed)
        evidence.observe(self._saver.changed)

    # ------------------------------------------------------------------ public
    @property
    def saves(self) -> int:
        """How many times both files were written."""
        return self._saver.saves

    def save(self) -> bool:
        """Write both files now (atomically); True when both were written."""
        return self._saver.run()

    def _write(self) -> bool:
        try:
            self.journey.save(self.path)
            self.evidence.save_tags(self.tags_path)
        except (OSError, CJMError) as exc:  # keep tagging; say so where the person looks
            # (a disk, permission or validation problem; any other error is a bug and raises)
            self.last_error = f"Autosave failed: {exc}"
            warnings.warn(self.last_error, RuntimeWarning, stacklevel=2)
            self._status(self.last_error, False)
            return False
        self.last_error = None
        self._status(
            f"Saved {datetime.now().strftime('%H:%M:%S')} to {self.path.name} and "
            f"{self.tags_path.name}",
            True,
        )
        return True

    def flush(self) -> None:
        """Save now if anything changed since the last save."""
        self._saver.flush()

    def close(self) -> None:
        """Save what is pending and stop observing."""
        if self._saver.closed:
            return
        self.journey.unobserve(self._saver.changed)
        self.evidence.unobserve(self._saver.changed)
        self._saver.close()

    # ------------------------------------------------------------------ internals
    def _resume(self) -> str | None:
        """Restore the journey and tags from existing files; all or nothing. Returns what was
        restored (None when there was nothing to restore)."""
        has_journey, has_tags = self.path.exists(), self.tags_path.exists()
        # files that Journey.open / ev.open_tags already loaded and keep saved: nothing to do
        kept = journey_file(self.journey)
        if kept is not None and kept.path == self.path.resolve():
            has_journey = False
        kept_tags = tags_file(self.evidence)
        if kept_tags is not None and kept_tags.path == self.tags_path.resolve():
            has_tags = False
        if not has_journey and not has_tags:
            return None
        journey, evidence = self.journey, self.evidence
        try:
            saved = type(journey).load(self.path) if has_journey else None
        except CJMError as exc:
            raise self._refusal(exc, self.path) from exc
        if has_tags:  # check the tags file before changing anything
            try:
                parse_tags_file(self.tags_path.read_text(encoding="utf-8-sig"), str(self.tags_path))
            except (CJMError, UnicodeDecodeError) as exc:
                raise self._refusal(exc, self.tags_path) from exc
        replaced = saved is not None and saved.to_dict() != journey.to_dict()
        if saved is not None and replaced:
            journey.replace(saved)
        n_tags = 0
        if has_tags:
            try:
                report = evidence.load_tags(self.tags_path)  # warns about orphan tags itself
            except CJMError as exc:
                if replaced:
                    journey.undo()  # nothing half-restored
                raise self._refusal(exc, self.tags_path) from exc
            n_tags = int(report["applied"])
        names = [p.name for p, ok in ((self.path, replaced), (self.tags_path, has_tags)) if ok]
        if not names:
            return None
        newest = self.path if has_journey else self.tags_path
        when = datetime.fromtimestamp(newest.stat().st_mtime)
        return (
            f"Restored from {' and '.join(names)} (saved {when:%Y-%m-%d %H:%M:%S})"
            + (f", {n_tags:,} tags" if has_tags else "")
            + ". journey.undo() / ev.undo() go back to what the notebook built."
        )

    def _refusal(self, exc: Exception, file: Path) -> AutosaveError:
        return AutosaveError(
            f"{exc}\nAutosave did not start and left {file} untouched. Fix the file, move it "
            "away to start afresh, or pass another autosave path (resume=False overwrites it).",
            file=str(file),
            path=getattr(exc, "path", None),
        )

    def _remove_stale_temp_files(self) -> None:
        """Temporary files a killed save left beside the targets (never the targets)."""
        for target in (self.path, self.tags_path):
            for stale in target.parent.glob(f".{target.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    stale.unlink()

    def _status(self, text: str, ok: bool) -> None:
        """Tell ``on_status``. An error in that callback (the caller's code) does not stop the
        save, but is never hidden: it is warned with its traceback and kept in
        :attr:`callback_error` (the traceback text)."""
        if self.on_status is None:
            return
        try:
            self.on_status(text, ok)
        except Exception as exc:  # the user's callback: report it, keep saving
            self.callback_error = "".join(
                traceback.format_exception(type(exc), exc, exc.__traceback__)
            )
            warnings.warn(
                f"Autosave's on_status callback raised {type(exc).__name__}: {exc} (the files "
                f"were {'saved' if ok else 'not saved'}; status {text!r}).\n"
                f"{self.callback_error}",
                RuntimeWarning,
                stacklevel=2,
            )
