"""Every notebook in notebooks/ runs top to bottom under nbclient, as a user would run it."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from needs import real_data

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


def snapshots(nb: nbformat.NotebookNode) -> list[str]:
    """The HTML of the static snapshot outputs printed after each widget output."""
    return [
        o["data"]["text/html"]
        for o in outputs(nb)
        if o.get("metadata", {}).get("cjm_widgets", {}).get("snapshot")
    ]


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
    assert (tmp_path / "cjm-work" / "grocery.journey.json").exists()  # Journey.open made it
    # the evidence step tagged interview quotes, and open_tags kept them in the tags file
    tags = json.loads((tmp_path / "cjm-work" / "grocery.tags.json").read_text(encoding="utf-8"))
    assert "Every evening slot was full" in json.dumps(html)  # the tagged quote is shown
    assert tags["tags"]  # a real tags file, written by the notebook
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
    # each widget output is followed by its static snapshot (for viewers without widgets)
    snaps = snapshots(nb)
    assert any("cjm-map" in h for h in snaps)
    # the Workspace shows, with a static map + curve for viewers without widgets
    assert any("cjm-ws-static" in h for h in snaps)
    # the report step wrote one offline file with the map and the curve
    report = (tmp_path / "cjm-work" / "grocery_report.html").read_text(encoding="utf-8")
    assert "cjm-map" in report and "<svg" in report and "Delivery slot picker" in report
    # the Finnish map really is in Finnish
    assert any("Ensimmäinen verkkokauppatilaus" in h for h in maps)
    static_html_export(nb)


@pytest.mark.slow
def test_quickstart_run_all_twice_and_after_a_restart_changes_nothing(tmp_path):
    """Run All, Run All again in the same kernel, then restart and Run All: no error, one
    copy of each opportunity and touchpoint, the same journey and tags files byte for byte,
    and no "renamed" or "file wins" warning (the cells match what the files hold)."""
    target = tmp_path / "quickstart.ipynb"
    shutil.copy(NOTEBOOKS / "quickstart.ipynb", target)
    journey_file = tmp_path / "cjm-work" / "grocery.journey.json"
    tags_file = tmp_path / "cjm-work" / "grocery.tags.json"

    def run_all(client: NotebookClient, nb: nbformat.NotebookNode) -> list[dict]:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        return outputs(nb)

    nb = nbformat.read(target, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    files = []
    with client.setup_kernel():
        for _ in range(2):  # Run All, then Run All again in the same kernel
            outs = run_all(client, nb)
            assert not [o for o in outs if o.output_type == "error"]
            files.append((journey_file.read_bytes(), tags_file.read_bytes()))
            said = " ".join(o.get("text", "") for o in outs if o.get("name") == "stderr")
            assert "renamed" not in said and "file wins" not in said, said
    restarted = execute("quickstart.ipynb", tmp_path)  # a new kernel: restart + Run All
    assert not [o for o in outputs(restarted) if o.output_type == "error"]
    files.append((journey_file.read_bytes(), tags_file.read_bytes()))
    assert files[0] == files[1] == files[2]
    saved = json.loads(files[2][0])
    texts = [o["text"] for o in saved["opportunities"]]
    assert texts == ["Show the delivery fee on the product page"]
    names = [tp["name"] for st in saved["stages"] for tp in st["touchpoints"]]
    assert len(names) == len(set(names)) and "Loyalty points" in names
    assert [st["name"] for st in saved["stages"]].count("Checkout") == 1
    tags = json.loads(files[2][1])["tags"]
    assert len(tags) > 0


def static_html_export(nb: nbformat.NotebookNode) -> None:
    """``jupyter nbconvert --to html`` of the executed quickstart shows the map and the curve.

    Twice: as exported (widget state saved: the page would load the widget runtime from a CDN)
    and as a static viewer without widget JavaScript sees it (GitHub, nbviewer, an offline
    reader): then every widget output falls back to its text/html snapshot.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter()
    html, _ = exporter.from_notebook_node(nb)
    assert '<table class="cjm-grid">' in html  # the map, as a table
    assert "<svg" in html and "Delivery slot picker" in html  # the curve as SVG
    bare = nbformat.reads(nbformat.writes(nb), as_version=4)
    bare.metadata.pop("widgets", None)  # no widget state: what a JS-less viewer has
    html, _ = exporter.from_notebook_node(bare)
    assert html.count("cjm-ws-static") >= 1  # the Workspace: map + curve snapshot
    snapshot = html[html.index("cjm-ws-static") :]
    assert "cjm-map" in snapshot[:200_000] and "<svg" in snapshot[:400_000]


# ----------------------------------------------------------------- notebooks on real data
# Each notebook states findings in its markdown. The tests below append one probe cell that
# prints the figures behind those findings as JSON, then check both that the figures still
# hold and that the prose states them, so the text cannot silently go stale.


def execute_with_probe(name: str, workdir: Path, probe: str) -> tuple[nbformat.NotebookNode, dict]:
    """Run the notebook plus a last cell printing ``probe`` (a JSON-able expression)."""
    source = NOTEBOOKS / name
    nb = nbformat.read(source, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(f"import json as _json\nprint(_json.dumps({probe}))"))
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    ).execute()
    probe_cell = nb.cells.pop()
    facts = json.loads("".join(o["text"] for o in probe_cell.outputs if o.get("name") == "stdout"))
    return nb, facts


def prose(nb: nbformat.NotebookNode) -> str:
    """The markdown of the notebook, with every run of whitespace as one space."""
    return " ".join(
        " ".join(cell.source.split()) for cell in nb.cells if cell.cell_type == "markdown"
    )


def signed(x: float, digits: int = 2) -> str:
    """A number as the prose writes it: explicit sign, a real minus sign."""
    return f"{x:+.{digits}f}".replace("-", "\u2212")


def svgs_of(nb: nbformat.NotebookNode) -> list[str]:
    return [o["data"]["image/svg+xml"] for o in outputs(nb) if "image/svg+xml" in o.get("data", {})]


def html_of(nb: nbformat.NotebookNode) -> list[str]:
    return [o["data"]["text/html"] for o in outputs(nb) if "text/html" in o.get("data", {})]


def no_errors(nb: nbformat.NotebookNode) -> None:
    errors = [f"{o.ename}: {o.evalue}" for o in outputs(nb) if o.output_type == "error"]
    assert not errors, errors


AIRLINE_PROBE = """{
    "curve": {r.touchpoint: [r.mean, int(r.n), r.ci_high - r.mean] for r in curve.itertuples()},
    "cls": {r.touchpoint: [r.mean_a, r.mean_b, r.diff, r.p, r.hedges_g]
            for r in class_diff.itertuples()},
    "purpose": {r.touchpoint: [r.mean_a, r.mean_b] for r in purpose_diff.itertuples()},
    "cabin": {r.touchpoint: r.diff for r in cabin_diff.itertuples()},
    "business_share": pd.crosstab(survey["Class"], survey["Type of Travel"],
                                  normalize="index")["Business travel"].to_dict(),
    "pain": [[r.touchpoint, r.frequency, r.score] for r in pain.head(3).itertuples()],
    "persona": {t: persona_curve.set_index(["touchpoint", "series"])["mean"][t].to_dict()
                for t in ["Inflight wifi service", "Ease of Online booking", "Online boarding"]},
    "opps": [[r.text, int(r.evidence_n), bool(r.quick_win)] for r in opps.itertuples()],
}"""


@pytest.mark.data
@pytest.mark.slow
def test_airline_survey_notebook_findings_hold(tmp_path, monkeypatch):
    folder = real_data("airline_passenger_satisfaction_train.csv.gz").parent
    monkeypatch.setenv("CJM_DATA_DIR", str(folder))
    nb, f = execute_with_probe("airline_survey.ipynb", tmp_path, AIRLINE_PROBE)
    no_errors(nb)
    text = prose(nb)
    svgs = svgs_of(nb)
    # the map, the curves (overall, by class, by purpose), the comparison and the matrix
    assert any(
        "cjm-map" in h and "Online boarding" in h and "Baggage handling" in h for h in html_of(nb)
    )
    assert any("Inflight wifi service" in s and "Booking" in s and "Arrival" in s for s in svgs)
    assert any("Eco Plus" in s and "Business" in s for s in svgs)
    assert any("Personal Travel" in s and "Business travel" in s for s in svgs)
    assert any("Business − Eco" in s for s in svgs)
    assert any("Impact" in s and "Mobile boarding pass" in s for s in svgs)
    assert (tmp_path / "cjm-work" / "airline.journey.json").exists()  # kept by Journey.open

    curve = f["curve"]
    below = [t for t, (mean, _, _) in curve.items() if mean < 0]
    assert below == ["Ease of Online booking", "Gate location", "Inflight wifi service"]
    assert "Only three touchpoints fall below zero" in text
    ranked = sorted(curve, key=lambda t: curve[t][0])
    assert ranked[:3] == ["Inflight wifi service", "Ease of Online booking", "Gate location"]
    assert ranked[-2:] == ["Baggage handling", "Inflight service"]
    for t in [*ranked[:3], *ranked[-2:]]:
        assert signed(curve[t][0]) in text, t
    assert f"n = {curve['Inflight wifi service'][1]:,}" in text
    assert max(half for _, _, half in curve.values()) < 0.01  # "within ±0.01"

    cls = f["cls"]
    higher = sorted(t for t, (_, _, d, p, _) in cls.items() if d > 0 and p < 0.001)
    assert len(higher) == 12 and "12 of the 14 touchpoints higher than Economy" in text
    assert set(cls) - set(higher) == {"Gate location", "Departure/Arrival time convenient"}
    assert round(cls["Gate location"][3], 2) == 0.18 and "p = 0.18" in text
    eco, bus = cls["Departure/Arrival time convenient"][:2]
    assert eco > bus and f"Economy {signed(eco)}, Business {signed(bus)}" in text
    biggest = max(cls, key=lambda t: cls[t][2])
    assert biggest == "Online boarding"
    ob = cls["Online boarding"]
    assert f"({signed(ob[2])}; Business {signed(ob[1])}, Economy {signed(ob[0])};" in text
    assert f"g = {ob[4]:.2f}" in text
    assert sorted(cls, key=lambda t: -cls[t][2])[1] == "Seat comfort"
    assert signed(cls["Seat comfort"][2]) in text

    share = f["business_share"]
    assert f"{share['Business']:.0%} of Business class" in text
    assert f"against {share['Eco']:.0%} in Economy" in text
    personal, work = f["purpose"]["Departure/Arrival time convenient"]
    assert f"{signed(personal)} against {signed(work)}" in text
    for t in ["Inflight wifi service", "Ease of Online booking"]:
        assert signed(f["purpose"][t][0]) in text
    cabin = f["cabin"]
    top4 = sorted((t for t in cabin if cabin[t] > 0), key=lambda t: -cabin[t])[:4]
    assert top4 == ["Online boarding", "On-board service", "Checkin service", "Seat comfort"]
    for t in [*top4, "Departure/Arrival time convenient", "Inflight wifi service"]:
        assert signed(cabin[t]) in text, t
    assert cabin["Departure/Arrival time convenient"] > 0 > cabin["Inflight wifi service"]

    pain = f["pain"]
    assert [p[0] for p in pain] == [ranked[0], "Ease of Online booking", "Gate location"]
    for _, freq, score in pain:
        assert f"{freq:.0%}" in text and f"{score:.2f}" in text
    for t, means in f["persona"].items():
        assert f"{signed(means['Economy leisure traveller'])}" in text, t
        assert signed(means["All"]) in text, t

    opps = f["opps"]
    assert [o[2] for o in opps] == [True, True, False, False, False]
    assert opps[0][0].startswith("Shorter online booking")
    assert opps[1][0].startswith("Mobile boarding pass")
    assert f"({opps[0][1]:,} negative answers" in text and f"({opps[1][1]:,})" in text
    wifi = next(o for o in opps if o[0].startswith("Free, reliable wifi"))
    assert opps.index(wifi) == 3 and f"{wifi[1]:,} negative answers" in text


REVIEWS_PROBE = """{
    "curve": {f"{r.series}|{r.touchpoint}": [None if r.mean != r.mean else r.mean, int(r.n)]
              for r in curve.itertuples()},
    "p": {r.touchpoint: r.p for r in by_source.itertuples()},
    "rho": [rho, p_rho],
    "pain": [[r.touchpoint, r.score, int(r.n)] for r in pain.head(4).itertuples()],
    "baggage_ids": pain.set_index("touchpoint").loc["Baggage", "quote_ids"],
    "tagged_by_tagger": len(tagger.selected_ids),
}"""


@pytest.mark.data
@pytest.mark.slow
def test_reviews_to_journey_notebook_findings_hold(tmp_path, monkeypatch):
    folder = real_data("ba_reviews_airlinequality_markphamm.csv.gz").parent
    monkeypatch.setenv("CJM_DATA_DIR", str(folder))
    nb, f = execute_with_probe("reviews_to_journey.ipynb", tmp_path, REVIEWS_PROBE)
    no_errors(nb)
    text = prose(nb)
    html = html_of(nb)
    svgs = svgs_of(nb)
    assert any("cjm-map" in h and "Refunds and complaints" in h for h in html)
    # the tagger is shown, filtered to the untagged lost-luggage sentences it then tags
    widget = "application/vnd.jupyter.widget-view+json"
    views = [o for o in outputs(nb) if widget in o.get("data", {})]
    assert views, "the notebook shows no EvidenceTagger"
    # its snapshot shows it as last seen: after the tagging, the untagged filter matches none
    snapshot = snapshots(nb)[0]
    assert "Evidence tagger" in snapshot and "<script" not in snapshot.lower()
    printed = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    left = int(re.search(r"quotes tagged; (\d+) left untagged", printed).group(1))
    assert f"<strong>Evidence tagger</strong>: {left:,} of " in snapshot
    assert f["tagged_by_tagger"] > 0
    # quotes and ratings drawn side by side, then their difference
    assert any("Coded quotes" in s and "Aspect ratings" in s and "Baggage" in s for s in svgs)
    assert any("Coded quotes − Aspect ratings" in s for s in svgs)
    tags_path = tmp_path / "cjm-work" / "ba_reviews.tags.json"  # kept by open_tags
    tags = json.loads(tags_path.read_text(encoding="utf-8"))
    assert "researcher" in json.dumps(tags)

    curve = f["curve"]

    def point(series: str, touchpoint: str) -> tuple[float | None, int]:
        mean, n = curve[f"{series}|{touchpoint}"]
        return mean, n

    rated = [
        "Fare and value",
        "Check-in and ground staff",
        "Seat",
        "Cabin crew",
        "Food and drink",
        "Wifi",
    ]
    ratings = {t: point("Aspect ratings", t) for t in rated}
    quotes = {t: point("Coded quotes", t) for t in rated}
    above = [t for t in rated if ratings[t][0] > 0 and quotes[t][0] > 0]
    assert above == ["Cabin crew"]
    assert f"ratings {signed(ratings['Cabin crew'][0])}, n = {ratings['Cabin crew'][1]:,}" in text
    assert f"coded quotes {signed(quotes['Cabin crew'][0])}, n = {quotes['Cabin crew'][1]}" in text
    by_rating = sorted(rated, key=lambda t: ratings[t][0])
    assert by_rating[0] == "Wifi" and by_rating[1] == "Fare and value"
    assert f"({signed(ratings['Wifi'][0])}, n = {ratings['Wifi'][1]:,})" in text
    for t in ["Seat", "Check-in and ground staff"]:
        assert f["p"][t] <= 0.001
        assert signed(ratings[t][0]) in text and signed(quotes[t][0]) in text
    assert f"coded quotes at {signed(quotes['Seat'][0])}" in text
    fare_q = quotes["Fare and value"]
    assert f["p"]["Fare and value"] > 0.05 and f"p = {f['p']['Fare and value']:.2f}" in text
    assert f"({signed(fare_q[0])}, only {fare_q[1]} of them" in text
    assert signed(ratings["Fare and value"][0]) in text
    rho, p_rho = f["rho"]
    assert f"ρ = {rho:.2f}" in text and f"p = {p_rho:.2f}" in text and p_rho > 0.05

    pain = f["pain"]
    assert [p[0] for p in pain] == [
        "Baggage",
        "Refunds and complaints",
        "Wifi",
        "Delays and cancellations",
    ]
    for name, score, n in [pain[0], pain[1], pain[3]]:
        assert point("Aspect ratings", name)[1] == 0  # no star rating behind them
        assert f"(score {score:.2f}; {n:,} quotes" in text or f"({score:.2f}; {n:,} quotes" in text
    assert point("Aspect ratings", "Wifi")[1] > 0
    # the pain point table shows real baggage quotes
    assert f["baggage_ids"] and any(i.startswith("ba_reviews:") for i in f["baggage_ids"])


BLUEPRINT_PROBE = """{
    "pain": [[r.touchpoint, r.frequency, r.score] for r in pain.head(3).itertuples()],
    "changes": dict(zip(changes["touchpoint"], changes["change"])),
    "new_stages": new_stages,
    "future_curve": {r.touchpoint: [int(r.n), bool(r.supported)]
                     for r in future_curve.itertuples()},
    "current_opps": {r.text: int(r.evidence_n) for r in current_opps.itertuples()},
    "future_opps": {r.text: int(r.evidence_n) for r in future_opps.itertuples()},
    "slot_mean": float(current_curve.set_index("touchpoint").loc["Toimitusajan valinta", "mean"]),
}"""


def test_service_blueprint_notebook_compares_current_and_future(tmp_path):
    nb, f = execute_with_probe("service_blueprint.ipynb", tmp_path, BLUEPRINT_PROBE)
    no_errors(nb)
    text = prose(nb)
    maps = [h for h in html_of(nb) if "cjm-map" in h]
    # the blueprint in Finnish: its frontstage / backstage lanes and their contents
    blueprint = next(h for h in maps if "Ensimmäinen ruokaostos verkossa" in h)
    for label in [
        "Asiakasrajapinta",
        "Kulissien takana",
        "Tukiprosessit",
        "Fyysiset todisteet",
        "Toimitusmaksu näkyy vasta kassalla",
        "Keräilijä valitsee korvaavan tuotteen",
    ]:
        assert label in blueprint, label
    # the future state in Finnish, its new stage and the evidence quoted in its why-lane
    future = next(h for h in maps if "tavoitetila" in h)
    assert "Mitä haluamme muuttaa" in future and "Toimitusajan varaus" in future
    assert f"keskiarvo {f['slot_mean']:+.2f}" in future
    # one curve per state, the future one with the new touchpoint
    svgs = svgs_of(nb)
    assert sum("Toimitusajan valinta" in s for s in svgs) == 2
    assert any("Korvaavien hyväksyntä" in s for s in svgs)

    pain = f["pain"]
    assert [p[0] for p in pain] == [
        "Toimitusajan valinta",
        "Korvaavat tuotteet",
        "Ostoskori ja maksu",
    ]
    assert f"score {pain[0][2]:.2f}; {pain[0][1]:.0%} of its ratings" in text
    assert f"({pain[1][2]:.2f})" in text and f"({pain[2][2]:.2f})" in text

    assert f["new_stages"] == ["Toimitusajan varaus"]
    assert {t: c for t, c in f["changes"].items() if c != "kept"} == {
        "Toimitusajan valinta": "moved",
        "Korvaavat tuotteet": "removed",
        "Korvaavien hyväksyntä": "new",
    }
    # the new touchpoint is an assumption (no evidence); carried-over ones keep theirs
    assert f["future_curve"]["Korvaavien hyväksyntä"] == [0, False]
    assert f["future_curve"]["Toimitusajan valinta"][1] is True
    approval = "Asiakas hyväksyy korvaavat tuotteet sovelluksessa ennen keräilyä"
    assert f["future_opps"][approval] == 0
    assert f"its {f['current_opps'][approval]} negative ratings" in text
    future_file = tmp_path / "cjm-work" / "future.journey.json"  # kept by Journey.open
    assert json.loads(future_file.read_text("utf-8"))["state"] == "future"
    assert (tmp_path / "cjm-work" / "blueprint.journey.json").exists()


EVENTS_PROBE = """{
    "total": int(funnel["cases_total"].iloc[0]),
    "reached": funnel["reached"].tolist(),
    "left": funnel["left_after"].tolist(),
    "stages": funnel["stage"].tolist(),
    "unmapped": events.unmapped["activity"].tolist(),
}"""


@pytest.mark.data
@pytest.mark.slow
def test_event_journey_notebook_maps_the_permit_log(tmp_path, monkeypatch):
    path = real_data("wabo_receipt_permit_applications.csv.gz")
    monkeypatch.setenv("CJM_DATA_DIR", str(path.parent))
    nb, f = execute_with_probe("event_journey.ipynb", tmp_path, EVENTS_PROBE)
    no_errors(nb)
    assert f["total"] == 1434  # the data README's count of applications
    assert f["unmapped"] == []  # every activity has its touchpoint
    assert all(a >= b for a, b in zip(f["reached"], f["reached"][1:], strict=False))
    after = [r - left for r, left in zip(f["reached"], f["left"], strict=True)]
    assert after == [*f["reached"][1:], 0]
    i = max(range(len(f["left"]) - 1), key=lambda k: f["left"][k])
    stdout = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    assert f"Most applications stop after '{f['stages'][i]}': {f['left'][i]:,} of 1,434" in stdout
    svgs = svgs_of(nb)
    assert any("Application received" in s and "Put on hold" in s for s in svgs)
    assert "no emotion curve to draw" in prose(nb)  # said honestly: the log has no evidence


def test_coding_reviews_notebook_codes_suggests_checks_and_groups(tmp_path, monkeypatch):
    """coding_reviews.ipynb on the real BA reviews: hand tags, accepted suggestions, the
    model-vs-human agreement with n and an interval, themes on the board, a pain point from
    a theme, the curve without suggestions, and the report with its themes section."""
    folder = real_data("ba_reviews_airlinequality_markphamm.csv.gz").parent
    monkeypatch.setenv("CJM_DATA_DIR", str(folder))
    nb = execute("coding_reviews.ipynb", tmp_path)
    errors = [o for o in outputs(nb) if o.output_type == "error"]
    assert not errors, errors
    text = "".join(o.get("text", "") for o in outputs(nb) if o.output_type == "stream")
    assert "33 sentences coded by hand" in text
    accepted = re.search(r"accepted (\d+) of ([\d,]+) suggestions", text)
    assert accepted and int(accepted.group(1)) > 0
    found = re.search(
        r"touchpoint: model and anna agree on (\d+) of (\d+) sentences .*Wilson", text
    )
    assert found and 0 < int(found.group(2)) <= int(accepted.group(1))
    assert "weak evidence" in text  # a small n is said to be small
    assert "pain point added to" in text
    journey = json.loads((tmp_path / "cjm-work" / "coding.journey.json").read_text("utf-8"))
    assert "Flights delayed" in json.dumps(journey)  # the theme became a pain point
    snaps = snapshots(nb)
    assert any("cjm-ab-static" in h for h in snaps)  # the board's static snapshot
    report = (tmp_path / "cjm-work" / "coding_report.html").read_text(encoding="utf-8")
    assert '<section id="themes"' in report and "Flights delayed" in report
