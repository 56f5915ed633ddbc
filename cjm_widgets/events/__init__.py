"""Behavioural event logs (case, activity, time, channel) as lazy relations on an engine:
embedded DuckDB by default, Spark or another SQL engine through Ibis.

This layer sits beside ``evidence`` and imports only the model; the analyses of events
(reach, funnel, flows, contacts) live in ``cjm_widgets.analysis.behaviour``.

Usage: ``events = cjm.Events("log.csv.gz", case="case_id", activity="activity", time="ts")``
"""

from cjm_widgets.events.errors import EventsError
from cjm_widgets.events.log import Events

__all__ = ["Events", "EventsError"]
