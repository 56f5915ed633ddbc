"""One line per measured figure, readable by people and collected by ``python -m benchmarks``.

Each benchmark script calls :func:`result` for every figure it measures; the line it prints
starts with ``@@ `` followed by JSON, and ``benchmarks/__main__.py`` gathers them into one table
(figure, measured, target, baseline measured in the same run, ratio, pass/fail).

Usage::

    result("Full emotion_curve by Class", full_ms, "ms", target=300,
           baseline=read_csv_ms, baseline_label="pandas.read_csv")
"""

from __future__ import annotations

import json
import platform
from typing import Any

MARK = "@@ "


def result(
    figure: str,
    value: float,
    unit: str,
    *,
    target: float | None = None,
    baseline: float | None = None,
    baseline_label: str | None = None,
    target_is_ratio: bool = False,
    higher_is_better: bool = False,
    note: str = "",
) -> dict[str, Any]:
    """Print (and return) one figure. ``target`` bounds ``value`` — or, with
    ``target_is_ratio``, bounds ``value / baseline``; lower is better unless
    ``higher_is_better``."""
    ratio = value / baseline if baseline not in (None, 0) else None
    checked = ratio if target_is_ratio else value
    if target is None or checked is None:
        ok = None
    elif higher_is_better:
        ok = bool(checked >= target)
    else:
        ok = bool(checked <= target)
    row = {
        "figure": figure,
        "value": value,
        "unit": unit,
        "target": target,
        "target_is_ratio": target_is_ratio,
        "higher_is_better": higher_is_better,
        "baseline": baseline,
        "baseline_label": baseline_label,
        "ratio": ratio,
        "ok": ok,
        "note": note,
    }
    print(MARK + json.dumps(row), flush=True)
    return row


def machine() -> str:
    """A one-line description of this machine for the table's heading."""
    import os

    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def table(rows: list[dict[str, Any]]) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| Figure | Measured | Target | Baseline (same run) | Ratio | Result |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        sign = "≥" if r.get("higher_is_better") else "≤"
        if r["target"] is None:
            target = "—"
        elif r.get("target_is_ratio"):
            target = f"{sign} {r['target']:g}× baseline"
        else:
            target = f"{sign} {_num(r['target'], r['unit'])}"
        base = "—"
        if r["baseline"] is not None:
            base = f"{r.get('baseline_label') or 'baseline'} {_num(r['baseline'], r['unit'])}"
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}×"
        verdict = {True: "pass", False: "**miss**", None: "—"}[r["ok"]]
        if r.get("note"):
            verdict += f" ({r['note']})"
        lines.append(
            f"| {r['figure']} | {_num(r['value'], r['unit'])} | {target} | {base} | {ratio} "
            f"| {verdict} |"
        )
    return "\n".join(lines)
