"""Which lane items were generated from evidence (``cjm.fill_lanes``) and are still unedited.

Usage::

    from cjm_widgets.model.generated import generated_items
    generated_items(journey)["s3"]["pain_points"]   # {item text: {"evidence": [...], ...}}

``fill_lanes`` records each item it writes in ``journey.metadata["cjm_generated"]`` (stage id
→ lane id → item text → ``{"evidence": [ids], "touchpoint": id, "how": str}``). An item counts
as generated while a cell still holds that exact text: once the researcher edits it, it is
theirs. The model layer only reads the record (it knows nothing of evidence).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from cjm_widgets.model.journey import Journey

__all__ = ["GENERATED_KEY", "generated_items"]

#: Where the record of generated items lives in ``journey.metadata``.
GENERATED_KEY = "cjm_generated"


def generated_items(journey: Journey) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
    """The generated items still unedited: stage id → lane id → item text → record.

    Usage: ``generated_items(journey).get(stage.id, {}).get("pain_points", {})``
    """
    record = journey.metadata.get(GENERATED_KEY) or {}
    out: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    if not isinstance(record, dict):
        return out
    for stage in journey.stages:
        lanes = record.get(stage.id)
        if not isinstance(lanes, dict):
            continue
        for lane_id, items in lanes.items():
            present = set(stage.lanes.get(lane_id, []))
            if not isinstance(items, dict):
                continue
            kept = {t: rec for t, rec in items.items() if t in present and isinstance(rec, dict)}
            if kept:
                out.setdefault(stage.id, {})[lane_id] = kept
    return out
