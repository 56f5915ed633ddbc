"""A marimo app over the demo: the evidence tagger and the live emotion curve.

Run it with ``marimo run tests/browser/hosts/marimo_app.py``. The widgets are made and shown
in one cell (a cell that showed them from another cell would re-run on every change). Tags
change the evidence in Python, not the widget's value in marimo's eyes, so a button re-runs
the cell that reads the evidence.
"""

import marimo

app = marimo.App(width="full")  # the tagger needs more than the default column


@app.cell
def _():
    import marimo as mo

    import cjm_widgets as cjm

    demo = cjm.datasets.demo()
    journey, ev = demo.journey, demo.evidence()
    tagger = mo.ui.anywidget(cjm.EvidenceTagger(journey, ev))
    curve = mo.ui.anywidget(cjm.EmotionCurve(journey, ev, by="household"))
    mo.vstack([curve, tagger])
    return ev, mo


@app.cell
def _(mo):
    check = mo.ui.button(value=0, on_click=lambda n: n + 1, label="Read the evidence")
    mo.hstack([check])  # the last expression is what the cell shows
    return (check,)


@app.cell
def _(check, ev, mo):
    mo.md(
        f"Read {check.value} times. Rows with an emotion, read in Python: "
        f"{int(ev.frame['emotion'].notna().sum())}"
    )
    return


if __name__ == "__main__":
    app.run()
