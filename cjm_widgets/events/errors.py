"""The error an event log raises on purpose: it names the column, what was found and the way out.

Usage: ``except cjm.EventsError as err: print(err)``
"""

from __future__ import annotations

from cjm_widgets.errors import CJMError

__all__ = ["EventsError"]


class EventsError(CJMError, ValueError):
    """An event log is unusable as given (missing column, empty log, null cases, unparseable
    times, an activity mapped to an unknown touchpoint); nothing was changed."""
