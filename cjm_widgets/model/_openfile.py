"""Keeping one observable object saved in one file: the common part of ``Journey.open``
(:class:`~cjm_widgets.model.open.JourneyFile`) and ``Evidence.open_tags``
(:class:`~cjm_widgets.evidence.tags_open.TagsFile`).

A :class:`FileBinding` observes its object and writes the file through
:class:`~cjm_widgets._debounce.DebouncedSave` (atomically, at most ``delay`` seconds behind);
a failed write becomes a warning and ``last_error`` (editing goes on). Each subclass keeps its
own registry of open files (resolved path → binding), so opening the same path again in the
same kernel finds the binding (:meth:`FileBinding.find`), and tells whether the file still
holds what it last wrote (:meth:`FileBinding.holds_file`: the bytes, or for large files
:attr:`FileBinding.by_stamp` the size and modification time).

Usage::

    class JourneyFile(FileBinding["Journey"]):
        what = "journey"
        def _save_to(self, path): self.target.save(path)

    binding = JourneyFile(journey, path.resolve()).register()
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from cjm_widgets._debounce import DebouncedSave
from cjm_widgets.errors import CJMError

__all__ = ["FileBinding", "Observable", "check_json_name", "file_stamp"]


class Observable(Protocol):
    """An object whose changes can be observed (a Journey, an Evidence)."""

    def observe(self, callback: Any) -> Any: ...

    def unobserve(self, callback: Any) -> None: ...


_Obj = TypeVar("_Obj", bound=Observable)


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(modification time in ns, size) of ``path``, or None when it cannot be read."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def check_json_name(
    path: str | os.PathLike[str], *, opener: str, example: str, error: type[Exception]
) -> Path:
    """``path`` as a Path when it names a ``.json`` file (not a folder); else ``error`` saying
    so, with ``example`` as the way out.

    Usage: ``check_json_name(p, opener="Journey.open", example="x.journey.json",
    error=JourneyError)``
    """
    target = Path(os.fspath(path))
    if target.suffix.lower() != ".json":
        raise error(f"{opener} needs a .json file name (e.g. {example!r}), got {str(path)!r}.")
    if target.is_dir():
        raise error(f"{target} is a folder; give a file name, e.g. {target / example}.")
    return target


class FileBinding(Generic[_Obj]):
    """Keeps ``target`` saved in ``path`` (a resolved path) from now on (see module doc).

    Subclasses set :attr:`what` (for messages) and implement :meth:`_save_to`.

    Usage: ``binding = JourneyFile(journey, path.resolve()).register()``
    """

    what: ClassVar[str] = "object"
    #: Compare the file by size and modification time instead of its bytes (large files).
    by_stamp: ClassVar[bool] = False
    _open: ClassVar[dict[Path, Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._open = {}  # one registry per kind of file

    def __init__(self, target: _Obj, path: Path, *, delay: float = 0.5) -> None:
        self.target = target
        self.path = path
        self.last_error: str | None = None
        self._written: bytes | None = None
        self._stamp: tuple[int, int] | None = None
        self._saver = DebouncedSave(self._write, delay=delay)
        target.observe(self._saver.changed)

    # ------------------------------------------------------------------ registry
    def register(self) -> FileBinding[_Obj]:
        """Make this the binding that writes :attr:`path` (see :meth:`find`); returns it."""
        type(self)._open[self.path] = self
        return self

    @classmethod
    def find(cls, target_or_path: object) -> Self | None:
        """The open binding of this kind for an object or a path, or None."""
        found: Self | None
        if isinstance(target_or_path, str | os.PathLike):
            found = cls._open.get(Path(target_or_path).resolve())
            return found
        for binding in cls._open.values():
            if binding.target is target_or_path:
                found = binding
                return found
        return None

    def hand_over(self) -> None:
        """Stop keeping the file, for a new object opening the same path (Run All): write
        what is pending first when the file still holds what this binding wrote; when it
        was changed or removed from outside, stop without saving (the file wins)."""
        self.close(save=self.holds_file())

    def create(self, error: type[Exception], way_out: str) -> None:
        """Write the file for the first time and register this binding; when it cannot be
        written, stop and raise ``error`` with the reason and ``way_out``."""
        if not self.save():
            self.close(save=False)
            raise error(f"{self.last_error}. {way_out}")
        self.register()

    # ------------------------------------------------------------------ saving
    @property
    def saves(self) -> int:
        """How many times the file was written."""
        return self._saver.saves

    @property
    def closed(self) -> bool:
        """True once the object no longer writes to the file."""
        return self._saver.closed

    def save(self) -> bool:
        """Write the file now; True when it was written."""
        return self._saver.run()

    def flush(self) -> None:
        """Write the file now if anything changed since the last write."""
        self._saver.flush()

    def close(self, *, save: bool = True) -> None:
        """Write what is pending (unless ``save=False``) and stop saving the object."""
        self._saver.close(save=save)
        self.target.unobserve(self._saver.changed)
        if type(self)._open.get(self.path) is self:
            del type(self)._open[self.path]

    def remember_file(self) -> None:
        """Note what the file holds now (after this binding wrote or read it)."""
        if self.by_stamp:
            self._stamp = file_stamp(self.path)
        else:
            try:
                self._written = self.path.read_bytes()
            except OSError:
                self._written = None

    def holds_file(self) -> bool:
        """True when the file still holds what this binding last wrote or read."""
        if self.by_stamp:
            return self._stamp is not None and file_stamp(self.path) == self._stamp
        try:
            return self._written is not None and self.path.read_bytes() == self._written
        except OSError:
            return False

    def _save_to(self, path: Path) -> None:
        raise NotImplementedError  # pragma: no cover - every subclass writes its own file

    def _write(self) -> bool:
        try:
            self._save_to(self.path)
        except (OSError, CJMError) as exc:  # disk full, no permission, a refused value: say so
            self.last_error = f"Could not save the {self.what} to {self.path}: {exc}"
            warnings.warn(self.last_error, RuntimeWarning, stacklevel=3)
            return False
        self.remember_file()
        self.last_error = None
        return True

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"{self.saves} saves"
        return f"{type(self).__name__}({str(self.path)!r}, {state})"
