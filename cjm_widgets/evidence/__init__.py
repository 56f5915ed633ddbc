"""The evidence layer: read transcripts, surveys and reviews into one table and tag it.

Usage::

    import cjm_widgets as cjm
    ev = cjm.Evidence.from_survey("survey.csv", items={"q1": "Checkout"}, journey=journey)
    ev.tag(ev.search("delivery fee"), touchpoint="Checkout", emotion=-1, labels="pain point")
"""

from cjm_widgets.evidence.readers import RawEvidence
from cjm_widgets.evidence.store import Evidence
from cjm_widgets.evidence.tags import EvidenceChange, TagArrays, TagSlice

__all__ = ["Evidence", "EvidenceChange", "RawEvidence", "TagArrays", "TagSlice"]
