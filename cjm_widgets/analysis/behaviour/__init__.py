"""Journey analytics from event logs: what customers *do* at each touchpoint, computed in the
engine where the log lives (DuckDB, Spark, ...) and returned as small pandas frames.

- :func:`reach`: cases and events per touchpoint or stage
- :func:`funnel`: cases reaching each stage in journey order, drop-off, time to get there
- :func:`flows` and :func:`variants`: directly-follows transitions and the common paths
- :func:`contacts`: repeat contacts on a channel and channel switches
- :func:`compare_periods`: before vs after a change, with :func:`cjm.compare`'s statistics

Each takes ``by=`` (channel, a segment, or ``"period"`` with ``change=``) and shows n and 95%
Wilson intervals on every proportion.

Usage: ``cjm.funnel(journey, events.map_to(journey, mapping))``
"""

from cjm_widgets.analysis.behaviour.contacts import contacts
from cjm_widgets.analysis.behaviour.flows import flows, variants
from cjm_widgets.analysis.behaviour.funnel import funnel
from cjm_widgets.analysis.behaviour.periods import compare_periods
from cjm_widgets.analysis.behaviour.reach import reach

__all__ = ["compare_periods", "contacts", "flows", "funnel", "reach", "variants"]
