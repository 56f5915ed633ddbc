"""Error types raised by cjm-widgets.

Every error names the problem and the way out (the valid choices, the existing columns,
the JSON path of a bad field). Catch :class:`CJMError` to handle any of them::

    try:
        journey.rename_stage("Purchse", "Buy")
    except cjm.CJMError as err:
        print(err)
"""

from __future__ import annotations

__all__ = [
    "AutosaveError",
    "CJMError",
    "EvidenceError",
    "JourneyError",
    "NotFoundError",
    "ReadOnlyError",
    "ReaderError",
    "SchemaError",
    "TagError",
]


class CJMError(Exception):
    """Base class of every error cjm-widgets raises on purpose."""


class JourneyError(CJMError, ValueError):
    """A journey edit or field is invalid; the journey is left unchanged."""


class NotFoundError(JourneyError, KeyError):
    """A stage, touchpoint, lane, persona or opportunity name or id does not exist.

    The message lists the valid names so the caller can correct the call.
    """

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class ReadOnlyError(JourneyError, AttributeError):
    """A stage, touchpoint, lane, persona or opportunity was changed directly.

    The journey owns its parts: an edit goes through its methods (so it is validated, undoable
    and observed). The message names the method to use.
    """


class SchemaError(CJMError, ValueError):
    """A journey or tags file does not match its JSON schema.

    ``path`` is the JSON path of the bad field (e.g. ``$.stages[2].touchpoints[0].channel``)
    and ``file`` the file it came from, when known.
    """

    def __init__(self, message: str, *, path: str = "$", file: str | None = None) -> None:
        self.path = path
        self.file = file
        where = f"{file}: " if file else ""
        super().__init__(f"{where}{message} (at {path})")


class EvidenceError(CJMError, ValueError):
    """Evidence input is invalid (missing column, rating outside the scale, empty file)."""


class ReaderError(EvidenceError):
    """A file could not be read (undecodable, empty, unknown format); names the file."""


class TagError(EvidenceError):
    """A tag operation is invalid; nothing was tagged."""


class TagsMismatchError(EvidenceError):
    """A tags file was made on other evidence or another journey; nothing was loaded.

    The message names what differs and the way out (``ev.load_tags(path, rebind=True)``).
    """


class AutosaveError(CJMError):
    """Autosave could not resume from its files (a file is not a valid journey or tags file).

    Autosave then does not start, and the files are left exactly as they were. ``file`` and
    ``path`` (the JSON path of the bad field) come from the underlying error when known.
    """

    def __init__(self, message: str, *, file: str | None = None, path: str | None = None) -> None:
        self.file = file
        self.path = path
        super().__init__(message)
