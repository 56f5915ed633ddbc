"""Evidence tags kept in one file, opened idempotently (the tags' part of ``Journey.open``).

Usage::

    journey = cjm.Journey.open("work/grocery.journey.json", stages="seven_stage")
    ev = cjm.Evidence.concat([interviews, survey]).open_tags("work/grocery.tags.json")

What :func:`open_tags` does, right after the evidence is built and before any cell uses it:

- **The file exists:** its tags are loaded into the evidence (as :meth:`Evidence.load_tags
  <cjm_widgets.Evidence.load_tags>` does: one undoable step; tags of rows not in this
  evidence are kept aside and reported). A file that is not a tags file raises
  :class:`~cjm_widgets.errors.SchemaError` and is left untouched.
- **It does not exist:** it is written now (missing folders are created), with the tags the
  evidence has.
- **From then on** every tag change — ``ev.tag``, the tagger's faces and buttons, undo,
  redo — is written to the file atomically, at most ``delay`` seconds later. Tagging rows
  with the tag they already have changes nothing and writes nothing.
- **Run All in the same kernel** builds a new evidence object and opens the same file: the
  previous object's pending tags are written first, then it stops writing, and the new one
  loads the file. Opening the same evidence and file again changes nothing. When the file
  was changed or removed from outside meanwhile, the previous object stops without saving.

:func:`tags_file` gives the :class:`TagsFile` keeping an evidence's tags saved.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cjm_widgets._debounce import DebouncedSave
from cjm_widgets.errors import EvidenceError

if TYPE_CHECKING:
    from cjm_widgets.evidence.store import Evidence

__all__ = ["TagsFile", "open_tags", "tags_file"]

_OPEN: dict[Path, TagsFile] = {}  # resolved path -> the binding that writes it


class TagsFile:
    """Keeps ``evidence``'s tags saved in ``path`` (made by :func:`open_tags`).

    ``loaded`` is what loading the file reported (``applied``, ``orphans`` …), or None when
    the file was created.

    Usage: ``tags_file(ev).flush()``
    """

    def __init__(self, evidence: Evidence, path: Path, *, delay: float = 0.5) -> None:
        self.evidence = evidence
        self.path = path
        self.loaded: dict[str, Any] | None = None
        self.last_error: str | None = None
        self._stamp: tuple[int, int] | None = None
        self._saver = DebouncedSave(self._write, delay=delay)
        evidence.observe(self._saver.changed)

    @property
    def saves(self) -> int:
        """How many times the file was written."""
        return self._saver.saves

    @property
    def closed(self) -> bool:
        """True once the evidence no longer writes to the file."""
        return self._saver.closed

    def save(self) -> bool:
        """Write the file now; True when it was written."""
        return self._saver.run()

    def flush(self) -> None:
        """Write the file now if any tag changed since the last write."""
        self._saver.flush()

    def close(self, *, save: bool = True) -> None:
        """Write what is pending (unless ``save=False``) and stop saving these tags."""
        self._saver.close(save=save)
        self.evidence.unobserve(self._saver.changed)
        if _OPEN.get(self.path) is self:
            del _OPEN[self.path]

    def holds_file(self) -> bool:
        """True when the file is still the one this binding last wrote or read (same size and
        modification time; the file can be large, so it is not read again)."""
        return self._stamp is not None and _stamp(self.path) == self._stamp

    def _write(self) -> bool:
        try:
            self.evidence.save_tags(self.path)
        except OSError as exc:  # disk full, no permission, a folder in the way: keep tagging
            self.last_error = f"Could not save the tags to {self.path}: {exc}"
            warnings.warn(self.last_error, RuntimeWarning, stacklevel=3)
            return False
        self._stamp = _stamp(self.path)
        self.last_error = None
        return True

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"{self.saves} saves"
        return f"TagsFile({str(self.path)!r}, {state})"


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def tags_file(evidence_or_path: Evidence | str | os.PathLike[str]) -> TagsFile | None:
    """The :class:`TagsFile` keeping an evidence's tags (or a path) saved, or None.

    Usage: ``cjm_widgets.evidence.tags_open.tags_file(ev).flush()``
    """
    if isinstance(evidence_or_path, str | os.PathLike):
        return _OPEN.get(Path(evidence_or_path).resolve())
    for binding in _OPEN.values():
        if binding.evidence is evidence_or_path:
            return binding
    return None


def open_tags(evidence: Evidence, path: str | os.PathLike[str], *, delay: float = 0.5) -> Evidence:
    """Load ``evidence``'s tags from ``path`` (or create the file), then keep them saved there.

    See the module docs. Returns ``evidence``, so it chains after building the evidence.

    Usage: ``ev = cjm.Evidence.concat([a, b]).open_tags("work/x.tags.json")``
    """
    target = Path(os.fspath(path))
    if target.suffix.lower() != ".json":
        raise EvidenceError(
            f"open_tags needs a .json file name (e.g. 'grocery.tags.json'), got {str(path)!r}."
        )
    if target.is_dir():
        raise EvidenceError(f"{target} is a folder; give a file name, e.g. {target / 'x.json'}.")
    key = target.resolve()
    old = _OPEN.get(key)
    if old is not None and old.evidence is evidence:  # the same cell, run again
        old.flush()
        return evidence
    other = tags_file(evidence)
    if other is not None:
        raise EvidenceError(
            f"This evidence already keeps its tags in {other.path}; one evidence keeps one "
            f"tags file. Use that file, or call tags_file(ev).close() first."
        )
    if old is not None:  # Run All: the previous evidence object hands over the file
        if old.holds_file():
            old.close()  # writes its pending tags first
        else:
            old.close(save=False)  # changed or removed from outside: the file wins
    loaded = evidence.load_tags(key) if key.exists() else None  # raises, untouched, when bad
    if loaded is None:
        key.parent.mkdir(parents=True, exist_ok=True)
    binding = TagsFile(evidence, key, delay=delay)
    binding.loaded = loaded
    if loaded is None:
        if not binding.save():
            binding.close(save=False)
            raise EvidenceError(f"{binding.last_error}. Fix the path or folder.")
    else:
        binding._stamp = _stamp(key)
    _OPEN[key] = binding
    return evidence
