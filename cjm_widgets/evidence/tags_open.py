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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cjm_widgets.errors import EvidenceError
from cjm_widgets.model._openfile import FileBinding, check_json_name

if TYPE_CHECKING:
    from cjm_widgets.evidence.store import Evidence

__all__ = ["TagsFile", "open_tags", "tags_file"]


class TagsFile(FileBinding["Evidence"]):
    """Keeps ``evidence``'s tags saved in ``path`` (made by :func:`open_tags`; the saving
    itself is :class:`~cjm_widgets.model._openfile.FileBinding`'s, by size and modification
    time since a tags file can be large).

    ``loaded`` is what loading the file reported (``applied``, ``orphans`` …), or None when
    the file was created.

    Usage: ``tags_file(ev).flush()``
    """

    what = "tags"
    by_stamp = True

    def __init__(self, evidence: Evidence, path: Path, *, delay: float = 0.5) -> None:
        super().__init__(evidence, path, delay=delay)
        self.loaded: dict[str, Any] | None = None

    @property
    def evidence(self) -> Evidence:
        """The evidence whose tags are kept saved."""
        return self.target

    def _save_to(self, path: Path) -> None:
        self.target.save_tags(path)


def tags_file(evidence_or_path: Evidence | str | os.PathLike[str]) -> TagsFile | None:
    """The :class:`TagsFile` keeping an evidence's tags (or a path) saved, or None.

    Usage: ``cjm_widgets.evidence.tags_open.tags_file(ev).flush()``
    """
    return TagsFile.find(evidence_or_path)


def open_tags(evidence: Evidence, path: str | os.PathLike[str], *, delay: float = 0.5) -> Evidence:
    """Load ``evidence``'s tags from ``path`` (or create the file), then keep them saved there.

    See the module docs. Returns ``evidence``, so it chains after building the evidence.

    Usage: ``ev = cjm.Evidence.concat([a, b]).open_tags("work/x.tags.json")``
    """
    target = check_json_name(
        path, opener="open_tags", example="grocery.tags.json", error=EvidenceError
    )
    key = target.resolve()
    old = TagsFile.find(key)
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
        old.hand_over()
    loaded = evidence.load_tags(key) if key.exists() else None  # raises, untouched, when bad
    binding = TagsFile(evidence, key, delay=delay)
    binding.loaded = loaded
    if loaded is None:
        key.parent.mkdir(parents=True, exist_ok=True)
        binding.create(EvidenceError, "Fix the path or folder.")
    else:
        binding.remember_file()
        binding.register()
    return evidence
