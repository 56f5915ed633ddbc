"""Every notebook in notebooks/ runs top to bottom under nbclient, as a user would run it."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def execute(name: str, workdir: Path) -> nbformat.NotebookNode:
    """Run a copy of the notebook in ``workdir`` with this interpreter's kernel."""
    source = NOTEBOOKS / name
    target = workdir / name
    shutil.copy(source, target)
    nb = nbformat.read(target, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()
    return nb


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


@pytest.fixture(scope="module", autouse=True)
def _kernel_uses_this_python():
    """nbclient starts the 'python3' kernelspec; make sure it is this interpreter's."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    argv0 = Path(spec.argv[0])
    bare = argv0.parent == Path(".")  # jupyter_client runs a bare "python" as sys.executable
    if not bare and argv0.resolve() != Path(sys.executable).resolve():
        pytest.fail(
            f"The python3 kernel runs {argv0}, not the test interpreter {sys.executable}; "
            "install ipykernel into this environment (pip install -e '.[dev]')."
        )


def test_quickstart_runs_and_shows_the_map(tmp_path):
    nb = execute("quickstart.ipynb", tmp_path)
    errors = [o for o in outputs(nb) if o.output_type == "error"]
    assert not errors, errors
    html = [o["data"]["text/html"] for o in outputs(nb) if "text/html" in o.get("data", {})]
    maps = [h for h in html if "cjm-map" in h]
    assert maps, "the quickstart shows no journey map"
    assert any("Basket and payment" in h and "Checkout" in h for h in maps)
    assert (tmp_path / "grocery.journey.json").exists()
    # the evidence step tagged interview quotes and saved the tags
    tags = json.loads((tmp_path / "grocery.tags.json").read_text(encoding="utf-8"))
    assert "Every evening slot was full" in json.dumps(html)  # the tagged quote is shown
    assert tags  # a real tags file, written by the notebook
    # the emotion curve is drawn offline as SVG, one line per household type
    svgs = [o["data"]["image/svg+xml"] for o in outputs(nb) if "image/svg+xml" in o.get("data", {})]
    assert any("Delivery slot picker" in svg and "Family" in svg for svg in svgs)
    # pain points rank the slot picker first, with the tagged quote behind it
    pain = next(h for h in html if "severity" in h and "quotes" in h)
    assert pain.index("Delivery slot picker") < pain.index("Basket and payment")
    assert "Every evening slot was full" in pain
    # the opportunity matrix is drawn too, with the opportunity added in step 2
    assert any("Impact" in svg and "delivery fee" in svg for svg in svgs)
    widget = "application/vnd.jupyter.widget-view+json"
    views = [o for o in outputs(nb) if widget in o.get("data", {})]
    assert views, "the quickstart shows no JourneyEditor"
    assert any("cjm-map" in o["data"].get("text/html", "") for o in views)  # static fallback
    # the Finnish map really is in Finnish
    assert any("Ensimmäinen verkkokauppatilaus" in h for h in maps)
