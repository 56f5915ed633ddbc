"""Exports (issue 6): the offline HTML report, Markdown, Mermaid and Excel.

What a person who receives the file checks: the map and the curve are there, the quotes and
the numbers match the analysis, the methods say where the numbers come from, nothing loads
from the network or runs, and user text shows literally everywhere.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from needs import module

import cjm_widgets as cjm
from cjm_widgets.model.markdown import md_text
from cjm_widgets.model.mermaid import emotion_to_score, score_to_emotion

XSS_TP = "Pay <script>window.__cjm_pwned('tp')</script> | now"
XSS_QUOTE = "<img src=x onerror=\"window.__cjm_pwned('quote')\"> it failed & I gave up"
EMPTY_TP = "Loyalty app"


@pytest.fixture(scope="module")
def study():
    """The demo journey and evidence, with hand tags: three fee quotes (pain), two quotes on
    a touchpoint with a hostile name (n = 2 < min_n), one touchpoint without evidence."""
    demo = cjm.datasets.demo()
    journey, ev = demo.journey, demo.evidence()
    journey.add_touchpoint("Checkout", XSS_TP, channel="web")
    journey.add_touchpoint("Retention", EMPTY_TP, channel="mobile app")
    fee = ev.search("delivery fee")[:3]
    ev.tag(
        fee,
        journey=journey,
        touchpoint="Basket and payment",
        emotion=-2,
        labels=["pain point", "quote"],
        coder="AK",
    )
    role = ev.column("role").astype(str)
    other = [
        i
        for i in ev.search("slot")
        if i not in fee and role.iat[int(ev.rows_of([i])[0])] == "participant"
    ][:2]
    ev.tag(other, journey=journey, touchpoint=XSS_TP, emotion=-1, labels=["pain point"], coder="AK")
    return journey, ev, fee, other


class _Doc(HTMLParser):
    """Every start tag with its attributes, and the text outside <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.text.append(data)


def _parse(text: str) -> _Doc:
    doc = _Doc()
    doc.feed(text)
    return doc


@pytest.fixture(scope="module")
def report(study, tmp_path_factory):
    journey, ev, _, _ = study
    path = tmp_path_factory.mktemp("report") / "report.html"
    out = cjm.export.html_report(journey, ev, path, by="household")
    return out.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ HTML report
def test_report_has_map_curve_compare_pains_opportunities_coverage(study, report):
    journey, ev, fee, _ = study
    doc = _parse(report)
    tags = [t for t, _ in doc.tags]
    text = " ".join(" ".join(doc.text).split())
    # the map: the same table as in the notebook, every stage a column header
    assert ("table", {"class": "cjm-grid"}) in doc.tags
    for stage in journey.stages:
        assert html.escape(stage.name) in report
    # charts as inline SVG, labelled
    labels = [a.get("aria-label") for t, a in doc.tags if t == "svg"]
    lane = [x for x in labels if x.startswith("Emotion in ")]  # the map's emotion lane
    assert lane == [f"Emotion in {html.escape(s.name)}" for s in journey.stages]
    labels = [x for x in labels if x not in lane]
    assert labels == [
        "Emotion curve",
        "Single compared with Family",
        "Opportunity matrix",
        "Evidence coverage",
    ]
    assert tags.count("svg") == 4 + len(journey.stages)  # charts + the emotion lane
    # the curve table holds the analysis numbers (by household)
    curve = cjm.emotion_curve(journey, ev, by="household")
    row = curve[(curve["touchpoint"] == "Delivery slot picker") & (curve["series"] == "Family")]
    assert f"{row['mean'].iloc[0]:+.2f}" in text
    assert f"n = {int(row['n'].iloc[0]):,}" in text
    # pain points with their quotes, attributed to participant and evidence id
    for ident in fee:
        quote = ev.column("text").iat[int(ev.rows_of([ident])[0])]
        assert " ".join(quote.split()) in text
        assert f"({ident})" in text
    # opportunities and quick wins
    for opp in journey.opportunities:
        assert opp.text in text
    assert "Quick wins" in text
    # print CSS with page breaks and no dark backgrounds
    assert "@media print" in report and "break-before: page" in report


def test_report_methods_name_sources_scales_ci_and_unsupported_points(study, report):
    _, ev, _, other = study
    text = " ".join(" ".join(_parse(report).text).split())
    methods = text[text.index("Methods Sources") :]
    sources = ev.column("source").astype(str).value_counts()
    assert f"interview {sources['interview']:,}" in methods
    assert f"survey {sources['survey']:,}" in methods
    assert "emotion = −2 + 4 · (rating − 1) / (5 − 1)" in methods  # the 1–5 survey items
    assert "q_checkout_ease" in methods and "1–5" in methods
    assert "t(0.975, n − 1) · sd / √n" in methods
    # the hostile touchpoint has 2 rows < min_n 5: listed as unsupported, per series
    unsupported = methods[methods.index("Unsupported points") :]
    assert XSS_TP in unsupported
    assert EMPTY_TP in unsupported  # no evidence at all: an assumption
    households = ev.column("household").astype(str)
    rows = ev.rows_of(other)
    expected = {h: int((households.iloc[rows] == h).sum()) for h in ("Family", "Single")}
    for household, n in expected.items():
        if n:
            assert f"{XSS_TP} {household} {n}" in unsupported


def test_report_is_offline_and_escapes_user_text(report):
    doc = _parse(report)
    assert "script" not in {t for t, _ in doc.tags}
    assert "img" not in {t for t, _ in doc.tags}
    for tag, attrs in doc.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "src" not in attrs, (tag, attrs)
        for name in ("href", "xlink:href", "action", "data"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
    assert (
        "http://" not in report
        and "https://" not in report
        and "url(" not in report.replace("url(#", "")
    )
    assert "<!--cjm-svg-" not in report  # every queued chart is in place
    csp = [a["content"] for t, a in doc.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and csp[0].startswith("default-src 'none'")
    # the payloads are shown as text: in the map, the tables and the SVG axis labels
    assert html.escape(XSS_TP, quote=False) in report
    curve = report.index('id="curve"')  # the curve chart (the map's lane SVGs come first)
    svg = report[report.index("<svg", curve) : report.index("</svg>", curve)]
    assert "&lt;script&gt;" in svg
    assert len(report.encode()) < 2_000_000


def test_report_without_by_has_no_comparison_and_rejects_unknown_by(study, tmp_path):
    journey, ev, _, _ = study
    text = cjm.export.report_html(journey, ev, title="Grocery <b>findings</b>")
    assert 'id="compare"' not in text
    assert "<title>Grocery &lt;b&gt;findings&lt;/b&gt;</title>" in text
    with pytest.raises(cjm.EvidenceError, match="household"):
        cjm.export.html_report(journey, ev, tmp_path / "r.html", by="houshold")
    assert not (tmp_path / "r.html").exists()


def test_report_of_a_bare_journey_and_untagged_evidence():
    import pandas as pd

    ev = cjm.Evidence.from_frame(pd.DataFrame({"text": ["a", "b"]}), source="review")
    text = cjm.export.report_html(cjm.Journey(title="Empty"), ev)
    assert "The journey has no stages yet." in text and "<svg" not in text
    text = cjm.export.report_html(cjm.Journey.from_template("current_state"), ev)
    assert "No evidence is tagged yet" in text
    assert "2 evidence rows are not tagged" in text


def test_report_quote_payload_in_text_is_escaped(tmp_path):
    demo = cjm.datasets.demo()
    journey = demo.journey
    ev = cjm.Evidence.from_frame(
        __import__("pandas").DataFrame({"text": [XSS_QUOTE, "fine", "slow"], "who": list("abc")}),
        source="review",
        participant="who",
    )
    ev.tag(
        ev.frame["evidence_id"].tolist(),
        journey=journey,
        touchpoint="Courier at the door",
        emotion=-2,
        labels=["pain point"],
    )
    text = cjm.export.report_html(journey, ev)
    doc = _parse(text)
    assert "img" not in {t for t, _ in doc.tags}
    assert html.escape(XSS_QUOTE, quote=True) in text
    assert XSS_QUOTE in " ".join(doc.text)  # a person reads the quote as written


# ------------------------------------------------------------------------------ Markdown
def _cells(line: str) -> list[str]:
    return re.split(r"(?<!\\)\|", line.strip().strip("|"))


def test_journey_markdown_table_survives_hostile_names(study):
    journey, _, _, _ = study
    hostile = journey.copy()
    hostile.add_touchpoint("Awareness", "# Heading\n| cell | <b>bold</b> [x](y)", channel="web")
    hostile.set_lane("Awareness", "actions", ["> quoted", "1. listed", "- bullet"])
    text = hostile.to_markdown()
    lines = text.splitlines()
    table = [ln for ln in lines if ln.startswith("| ")]
    assert len(table) == len(hostile.lanes) + 2
    widths = {len(_cells(ln)) for ln in table}
    assert widths == {len(hostile.stages) + 1}
    assert not any(ln.startswith(("# Heading", ">", "1. ", "- bullet")) for ln in lines)
    assert "<b>" not in text and "&lt;b&gt;bold&lt;/b&gt;" in text
    mistune = module("mistune")
    rendered = mistune.create_markdown(plugins=["table"])(text)
    assert "<b>" not in rendered and "<a " not in rendered and "<blockquote>" not in rendered
    assert rendered.count("<tr>") == len(hostile.lanes) + 1
    header = rendered[rendered.index("<thead>") : rendered.index("</thead>")]
    assert len(re.findall(r"<th[ >]", header)) == len(hostile.stages) + 1


def test_markdown_findings_match_the_analysis(study):
    journey, ev, _, _ = study
    text = cjm.export.to_markdown(journey, ev)
    assert text.startswith(journey.to_markdown().rstrip())
    findings = text[text.index("## Findings") :]
    curve = cjm.emotion_curve(journey, ev)
    lowest = curve[curve["supported"]].sort_values("mean").iloc[0]  # n >= min_n
    first_row = [ln for ln in findings.splitlines() if ln.startswith("| ")][2]
    assert first_row.startswith(
        f"| {lowest['touchpoint']} | {lowest['stage']} | {lowest['mean']:+.2f}"
    )
    pains = cjm.pain_points(journey, ev)
    assert f"1. **{md_text(pains['touchpoint'].iloc[0])}**" in findings
    quoted = [ln for ln in findings.splitlines() if ln.lstrip().startswith("> ")]
    assert quoted and all("<" not in ln for ln in quoted)
    wins = [o.text for o in journey.opportunities if o.quick_win]
    quick = findings[findings.index("### Quick wins") :]
    assert [ln for ln in quick.splitlines() if ln.startswith("- ")] and all(
        w.replace("(", "(") in quick for w in wins
    )


# ------------------------------------------------------------------------------ Mermaid
def test_score_mapping_is_linear_and_rounds_half_up():
    assert [emotion_to_score(e) for e in (-2, -1, 0, 1, 2)] == [0, 1, 3, 4, 5]
    assert emotion_to_score(float("nan")) == 3 and emotion_to_score(None) == 3
    assert [score_to_emotion(s) for s in (0, 5)] == [-2.0, 2.0]
    assert all(emotion_to_score(score_to_emotion(s)) == s for s in range(6))


def test_mermaid_round_trip_keeps_structure_and_scores(study):
    journey, _, _, _ = study
    plain = journey.copy()
    plain.remove_touchpoint(XSS_TP)
    plain.add_touchpoint("Awareness", "section break", channel="web")  # reads like a keyword
    text = plain.to_mermaid()
    assert text.splitlines()[0] == "journey"
    back = cjm.Journey.from_mermaid(text)
    assert back.title == plain.title
    assert [s.name for s in back.stages] == [s.name for s in plain.stages]
    assert [[t.name for t in s.touchpoints] for s in back.stages] == [
        [t.name for t in s.touchpoints] for s in plain.stages
    ]
    assert [p.name for p in back.personas] == [p.name for p in plain.personas]
    assert back.to_mermaid() == text
    scored = back.to_mermaid({back.touchpoints[0].id: -2.0})
    again = cjm.Journey.from_mermaid(scored)
    assert again.metadata["mermaid_scores"][again.touchpoints[0].id] == 0
    assert again.to_mermaid() == scored


def test_mermaid_strips_characters_it_cannot_hold(study):
    journey, _, _, _ = study
    text = journey.to_mermaid()
    line = next(ln for ln in text.splitlines() if "Pay" in ln)
    assert line.count(":") == 2  # Mermaid text is data for Mermaid: not HTML-escaped
    back = cjm.Journey.from_mermaid(text)
    assert [t.name for t in back.touchpoints] == [t.name for t in journey.touchpoints]
    odd = cjm.Journey(title="A#B;C")
    odd.add_stage("Buy: now")
    odd.add_touchpoint("Buy: now", "Pay #1; card\nor cash", channel="web")
    odd.add_persona("Anna, the buyer")
    out = odd.to_mermaid()
    assert out == (
        "journey\n  title A B C\n  section Buy now\n    Pay 1 card or cash: 3: Anna the buyer\n"
    )
    assert [t.name for t in cjm.Journey.from_mermaid(out).touchpoints] == ["Pay 1 card or cash"]


def test_mermaid_scores_from_evidence_one_diagram_per_series(study):
    journey, ev, _, _ = study
    text = cjm.export.to_mermaid(journey, ev)
    curve = cjm.emotion_curve(journey, ev)
    back = cjm.Journey.from_mermaid(text)
    scores = back.metadata["mermaid_scores"]
    for tp_new, tp in zip(back.touchpoints, journey.touchpoints, strict=True):
        row = curve[curve["touchpoint_id"] == tp.id]
        mean = float(row["mean"].iloc[0]) if len(row) and row["n"].iloc[0] else None
        assert scores[tp_new.id] == emotion_to_score(mean), tp.name
    diagrams = cjm.export.to_mermaid(journey, ev, by="household")
    assert isinstance(diagrams, list) and len(diagrams) == 2
    assert [d.splitlines()[1] for d in diagrams] == [
        f"  title {journey.title} (Family)",
        f"  title {journey.title} (Single)",
    ]
    by_curve = cjm.emotion_curve(journey, ev, by="household")
    family = by_curve[
        (by_curve["series"] == "Family") & (by_curve["touchpoint"] == "Delivery slot picker")
    ]
    line = next(ln for ln in diagrams[0].splitlines() if "Delivery slot picker" in ln)
    assert line.split(":")[1].strip() == str(emotion_to_score(float(family["mean"].iloc[0])))


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("graph TD\n  A-->B\n", 1, "starts with 'journey'"),
        ("journey\n  title T\n  Task: 3: Me\n", 3, "before any 'section'"),
        ("journey\n  section A\n  Task 3\n", 3, "expected a task"),
        ("journey\n  section A\n  Task: 7: Me\n", 3, "from 0 to 5"),
        ("journey\n  section A\n  Task: x: Me\n", 3, "from 0 to 5"),
        ("journey\n%% c\n  section A\n  section a\n", 4, "appears twice"),
        ("journey\n  section A\n  T: 3\n  t: 2\n", 4, "appears twice"),
        ("journey\n  section A\n  T: 3: Me: You\n", 3, "too many ':'"),
        ("```mermaid\njourney\n  section A\n", 3, "not closed"),
    ],
)
def test_mermaid_errors_name_the_line(text, line, message):
    with pytest.raises(cjm.JourneyError, match=rf"^Line {line}: .*{re.escape(message)}"):
        cjm.Journey.from_mermaid(text)


def test_mermaid_ignores_comments_and_accepts_a_fence():
    text = (
        "```mermaid\n%% exported from a wiki\njourney\n  title Trip\n  %% the first part\n"
        "  section Book\n    Search: 5: Ana, Bo\n  section Fly\n    Board: 1: Ana\n```\n"
    )
    journey = cjm.Journey.from_mermaid(text)
    assert journey.title == "Trip"
    assert [(s.name, [t.name for t in s.touchpoints]) for s in journey.stages] == [
        ("Book", ["Search"]),
        ("Fly", ["Board"]),
    ]
    assert [p.name for p in journey.personas] == ["Ana", "Bo"]
    assert list(journey.metadata["mermaid_scores"].values()) == [5, 1]
    assert not journey.can_undo


# ------------------------------------------------------------------------------ Excel
def test_excel_sheets_read_back(study, tmp_path):
    from openpyxl import load_workbook

    journey, ev, fee, _ = study
    path = cjm.export.to_excel(journey, ev, tmp_path / "study.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "map",
        "touchpoints",
        "evidence",
        "curve",
        "pain points",
        "opportunities",
    ]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1])
        assert ws.column_dimensions["A"].width >= 8
    frame = journey.to_frame()
    ws = wb["map"]
    assert [c.value for c in ws[1]] == ["Lane", *frame.columns]
    touchpoints_row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Touchpoints")
    assert touchpoints_row[3] == frame.loc["Touchpoints", "Checkout"]
    ws = wb["evidence"]
    assert ws.max_row == len(ev) + 1
    head = [c.value for c in ws[1]]
    rows = {r[head.index("evidence_id")]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    tagged = rows[fee[0]]
    assert tagged[head.index("touchpoint")] == "Basket and payment"
    assert tagged[head.index("emotion")] == -2
    assert tagged[head.index("labels")] == "pain point; quote"
    pains = cjm.pain_points(journey, ev)
    ws = wb["pain points"]
    head = [c.value for c in ws[1]]
    first = [c.value for c in ws[2]]
    assert first[head.index("touchpoint")] == pains["touchpoint"].iloc[0]
    assert first[head.index("score")] == pytest.approx(pains["score"].iloc[0])


def test_excel_never_writes_formulas(tmp_path):
    import pandas as pd
    from openpyxl import load_workbook

    journey = cjm.Journey(title="=1+1")
    journey.add_stage("@SUM(A1)")
    journey.add_touchpoint("@SUM(A1)", '=HYPERLINK("http://x","y")', channel="web")
    frame = pd.DataFrame({"text": ["+cmd|' /C calc'!A0", "-2+3", "plain", "\tTAB=1"]})
    ev = cjm.Evidence.from_frame(frame, source="review")
    ev.tag(
        ev.frame["evidence_id"].tolist(),
        journey=journey,
        touchpoint=journey.touchpoints[0].id,
        emotion=-1,
    )
    path = cjm.export.to_excel(journey, ev, tmp_path / "x.xlsx")
    wb = load_workbook(path)
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                values.append(cell.value)
    assert '\'=HYPERLINK("http://x","y")' in values
    assert "'+cmd|' /C calc'!A0" in values and "'-2+3" in values and "'\tTAB=1" in values
    assert "plain" in values and "'@SUM(A1)" in values
    with pytest.raises(cjm.CJMError, match=r"\.xlsx"):
        cjm.export.to_excel(journey, ev, tmp_path / "x.csv")


def test_excel_without_evidence_has_the_map(tmp_path):
    from openpyxl import load_workbook

    journey = cjm.datasets.demo().journey
    wb = load_workbook(cjm.export.to_excel(journey, None, tmp_path / "map.xlsx"))
    assert wb.sheetnames == ["map", "touchpoints", "opportunities"]
    assert wb["opportunities"].max_row == len(journey.opportunities) + 1
    assert np.isclose(wb["touchpoints"].max_row, len(journey.touchpoints) + 1)
