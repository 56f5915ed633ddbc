"""``jupyter nbconvert --to html`` of a notebook with cjm widgets: the snapshots, offline.

Usage: nothing to do. The package installs ``etc/jupyter/jupyter_nbconvert_config.json``,
which adds :class:`StaticSnapshots` to the HTML exporter; by hand::

    jupyter nbconvert --to html analysis.ipynb \\
        --HTMLExporter.preprocessors='["cjm_widgets.nbconvert.StaticSnapshots"]'

Each displayed cjm widget leaves two outputs in the notebook: its live view and, after it, a
static snapshot (``text/html``) that the kernel keeps current (see
``cjm_widgets/widgets/_snapshot.py``). A static page cannot run the widgets, and when widget
state was saved (JupyterLab's "save widget state", ``nbconvert --execute``) nbconvert's page
loads the widget runtime, require.js and MathJax from CDNs and draws nothing offline. This
preprocessor:

1. removes the live-view output of every cjm widget that has a snapshot after it (and, in
   notebooks saved before the snapshots moved to their own output, the widget view beside a
   cjm ``text/html`` snapshot), so the snapshot is what the page shows;
2. when no widget view is left in the notebook, drops the saved widget state (no widget
   runtime is loaded) and the require.js script tag, unless an output still has JavaScript;
3. drops the MathJax script tag when no markdown cell or output has mathematics.

Other widgets in the notebook are left as they are (and keep the widget runtime).
"""

from __future__ import annotations

import re
from typing import Any

from nbconvert.preprocessors import Preprocessor

__all__ = ["StaticSnapshots"]

#: Output metadata key the widgets write (cjm_widgets.widgets._snapshot.METADATA_KEY).
KEY = "cjm_widgets"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_MATH = re.compile(r"\$|\\\(|\\\[|\\begin\{")


def _mark(output: Any, what: str) -> bool:
    meta = output.get("metadata") or {}
    return bool(isinstance(meta.get(KEY), dict) and meta[KEY].get(what))


def _is_old_cjm_view(output: Any) -> bool:
    data = output.get("data") or {}
    return WIDGET_VIEW in data and 'class="cjm-' in str(data.get("text/html", ""))


class StaticSnapshots(Preprocessor):
    """Show cjm widgets as their snapshots and load nothing from the network for them.

    Usage: ``HTMLExporter(preprocessors=[StaticSnapshots])``
    """

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        views_left = False
        scripts_left = False
        math = False
        for cell in nb.cells:
            if cell.cell_type == "markdown" and _MATH.search(cell.source or ""):
                math = True
            if cell.cell_type != "code":
                continue
            kept = []
            outputs = list(cell.get("outputs", []))
            for i, output in enumerate(outputs):
                following = outputs[i + 1] if i + 1 < len(outputs) else None
                if _mark(output, "view") and following is not None and _mark(following, "snapshot"):
                    continue  # its snapshot follows
                if _is_old_cjm_view(output):
                    output.data = {k: v for k, v in output.data.items() if k != WIDGET_VIEW}
                data = output.get("data") or {}
                views_left = views_left or WIDGET_VIEW in data
                scripts_left = scripts_left or "application/javascript" in data
                math = math or "text/latex" in data
                kept.append(output)
            cell.outputs = kept
        if not views_left:
            nb.metadata.pop("widgets", None)
            if not scripts_left and "require_js_url" in resources:
                resources["require_js_url"] = ""
        if not math and "mathjax_url" in resources:
            resources["mathjax_url"] = ""
        return nb, resources
