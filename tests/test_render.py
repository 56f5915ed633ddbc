"""The static map: ``Journey._repr_html_`` (structure, escaping, languages, CSS), ``to_frame``."""

from __future__ import annotations

import html
import importlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import cjm_widgets as cjm
from cjm_widgets.model import render
from cjm_widgets.model.render import CHANNEL_STYLE, journey_frame, journey_html

ALLOWED_TAGS = {
    "style", "div", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "span",
    "strong", "em", "small", "h2", "h3", "p", "caption", "abbr",
}  # fmt: skip
VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "source", "wbr"}

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</style><script>alert(1)</script>",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
]


# ---------------------------------------------------------------- a tiny DOM
class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if cls is not None and cls not in node.classes:
                continue
            if any(node.attrs.get(k) != v for k, v in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}>"
        return found[0]


class Collector(HTMLParser):
    """Builds the tree and records every tag, attribute and the raw style text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.styles: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID_TAGS:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        assert node is not self.root, f"unbalanced </{tag}>"
        self.current = node.parent

    def handle_data(self, data):
        if self.current.tag == "style":
            self.styles.append(data)
        self.current.children.append(data)

    def handle_comment(self, data):
        self.comments.append(data)


def parse(markup: str) -> Collector:
    collector = Collector()
    collector.feed(markup)
    collector.close()
    assert collector.current is collector.root, "unclosed elements"
    return collector


def norm(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- journeys
@pytest.fixture
def journey() -> cjm.Journey:
    j = cjm.Journey(title="First grocery order", scope="From the ad to the first delivery")
    for name, desc in [
        ("Discover", "Hears of the service"),
        ("Order", "Fills the basket"),
        ("Delivery", ""),
    ]:
        j.add_stage(name, description=desc)
    j.add_touchpoint(
        "Order",
        "Checkout",
        channel="web",
        phase="purchase",
        owner="E-commerce",
        description="Fee shown late",
    )
    j.add_touchpoint("Order", "Slot picker", channel="mobile app")
    j.add_touchpoint("Delivery", "Courier call", channel="phone", phase="post-purchase")
    j.set_lane("Discover", "actions", ["Sees an ad", "Asks a friend"])
    j.set_lane("Order", "pain_points", ["Delivery fee shown late"])
    j.add_persona(
        "Busy parent",
        description="Orders on the phone in the evening",
        goals=["Order in 5 minutes"],
        needs=["Clear fees"],
        segment={"Class": "Business"},
    )
    j.add_persona("Senior shopper", description="Prefers the phone")
    j.add_opportunity("Show fees up front", ["Checkout"], impact=5, effort=1, notes="Top ask")
    j.add_opportunity("Faster slot picker", ["Slot picker"], impact=3, effort=4)
    return j


def every_channel_journey() -> cjm.Journey:
    j = cjm.Journey(title="Channels")
    j.add_stage("All")
    for channel in cjm.CHANNELS:
        j.add_touchpoint("All", f"Via {channel}", channel=channel)
    return j


def ui_labels(language: str) -> dict[str, str]:
    return render._labels(language)[0]


# ---------------------------------------------------------------- structure
def test_header_shows_title_state_scope_and_personas(journey):
    doc = parse(journey._repr_html_()).root
    root = doc.find("div", cls="cjm-map")
    assert root.attrs["lang"] == "en"
    assert norm(root.find("h2").text()) == "First grocery order"
    assert norm(root.find(cls="cjm-state").text()) == "Current state"
    assert "From the ad to the first delivery" in root.find(cls="cjm-scope").text()
    personas = root.find_all(cls="cjm-persona")
    assert len(personas) == 2
    main, other = personas
    assert "cjm-persona-main" in main.classes and "cjm-persona-other" in other.classes
    text = norm(main.text())
    for part in ("Persona", "Busy parent", "Orders on the phone", "Goals", "Order in 5 minutes"):
        assert part in text
    assert "Needs" in text and "Clear fees" in text
    assert "Class: Business" in text
    assert "Senior shopper" in other.text() and "Prefers the phone" in other.text()

    journey.state = "future"
    doc = parse(journey._repr_html_()).root
    assert norm(doc.find(cls="cjm-state").text()) == "Future state"


def test_table_has_stage_columns_and_lane_rows_in_order(journey):
    doc = parse(journey._repr_html_()).root
    table = doc.find("table")
    cols = table.find("thead").find_all("th", scope="col")
    assert [norm(th.find(cls="cjm-sname").text()) for th in cols] == [
        "Discover",
        "Order",
        "Delivery",
    ]
    assert norm(cols[0].find("small").text()) == "Hears of the service"
    assert not cols[2].find_all("small"), "a stage without description has no subtitle"
    rows = table.find("tbody").find_all("tr")
    assert [norm(r.find("th", scope="row").text()) for r in rows] == [
        lane.name for lane in journey.lanes
    ]
    for row in rows:
        assert len(row.find_all("td")) == len(journey.stages)
    # text lanes list their items; empty cells show a faint dash
    actions = rows[[ln.id for ln in journey.lanes].index("actions")]
    first, second, _ = actions.find_all("td")
    assert [norm(li.text()) for li in first.find_all("li")] == ["Sees an ad", "Asks a friend"]
    assert second.find(cls="cjm-empty").text() == "\u2013"


def test_touchpoint_cards_show_channel_phase_and_owner(journey):
    doc = parse(journey._repr_html_()).root
    rows = doc.find("tbody").find_all("tr")
    tp_row = rows[[ln.kind for ln in journey.lanes].index("touchpoints")]
    discover, order, delivery = tp_row.find_all("td")
    assert discover.find(cls="cjm-empty").attrs["title"] == ui_labels("en")["no_touchpoints"]
    cards = order.find_all(cls="cjm-card")
    assert [norm(c.find(cls="cjm-tp").text()) for c in cards] == ["Checkout", "Slot picker"]
    checkout = cards[0]
    badge = checkout.find(cls="cjm-badge")
    assert badge.attrs["title"] == "Web" and badge.attrs["aria-label"] == "Web"
    assert badge.text() == CHANNEL_STYLE["web"][1]
    assert "cjm-ch-web" in badge.classes
    assert norm(checkout.find(cls="cjm-phase").text()) == "Purchase"
    assert norm(checkout.find(cls="cjm-owner").text()) == "Owner E-commerce"
    assert "Fee shown late" in checkout.text()
    slot = cards[1]
    assert slot.find(cls="cjm-badge").attrs["title"] == "Mobile app"
    assert not slot.find_all(cls="cjm-meta"), "no phase and no owner: no meta line"
    courier = delivery.find(cls="cjm-card")
    assert norm(courier.find(cls="cjm-phase").text()) == "Post-purchase"


def test_every_channel_has_its_own_badge_and_legend_entry():
    doc = parse(every_channel_journey()._repr_html_()).root
    cards = doc.find_all(cls="cjm-card")
    assert len(cards) == len(cjm.CHANNELS)
    symbols, classes, titles = set(), set(), set()
    for card, channel in zip(cards, cjm.CHANNELS, strict=True):
        badge = card.find(cls="cjm-badge")
        symbols.add(badge.text())
        classes.add(next(c for c in badge.classes if c.startswith("cjm-ch-")))
        titles.add(badge.attrs["title"])
        assert badge.attrs["aria-label"] == badge.attrs["title"]
        assert 1 <= len(badge.text().replace("\ufe0e", "")) <= 3, channel
    n = len(cjm.CHANNELS)
    assert len(symbols) == n and len(classes) == n and len(titles) == n
    assert set(CHANNEL_STYLE) == set(cjm.CHANNELS)
    legend = doc.find(cls="cjm-legend")
    assert len(legend.find_all(cls="cjm-badge")) == n


def test_legend_lists_only_the_channels_in_use(journey):
    legend = parse(journey._repr_html_()).root.find(cls="cjm-legend")
    assert [b.attrs["title"] for b in legend.find_all(cls="cjm-badge")] == [
        "Web",
        "Mobile app",
        "Phone",
    ]


def test_opportunities_below_the_table_with_impact_effort_and_quick_win(journey):
    markup = journey._repr_html_()
    assert markup.index("</table>") < markup.index('class="cjm-opps"')
    doc = parse(markup).root
    section = doc.find(cls="cjm-opps")
    assert norm(section.find("h3").text()) == "Opportunities"
    items = section.find_all("li", cls="cjm-opp")
    assert len(items) == 2
    quick, slow = items
    assert "cjm-quick" in quick.classes and "cjm-quick" not in slow.classes
    assert "Quick win" in quick.find(cls="cjm-qw").text()
    assert not slow.find_all(cls="cjm-qw")
    assert "5/5" in quick.find(cls="cjm-impact").text()
    assert "1/5" in quick.find(cls="cjm-effort").text()
    assert "Checkout" in quick.find(cls="cjm-links").text()
    assert "Top ask" in quick.find(cls="cjm-notes").text()


def test_no_opportunities_no_section():
    j = cjm.Journey(title="Plain")
    j.add_stage("One")
    assert 'class="cjm-opps"' not in j._repr_html_()


def test_empty_journey_explains_what_to_do():
    j = cjm.Journey(title="Nothing yet")
    markup = j._repr_html_()
    doc = parse(markup).root
    assert not doc.find_all("table")
    message = norm(doc.find(cls="cjm-nostages").text())
    assert "no stages" in message
    assert "add_stage" in message and "from_template" in message
    assert norm(doc.find("h2").text()) == "Nothing yet"


def test_service_blueprint_marks_the_line_of_visibility():
    lanes = [
        {"id": "frontstage", "name": "Frontstage"},
        {"id": "backstage", "name": "Backstage"},
    ]
    j = cjm.Journey(title="Blueprint", lanes=lanes)
    j.add_stage("One")
    rows = parse(j._repr_html_()).root.find("tbody").find_all("tr")
    assert "cjm-visibility" not in rows[0].classes
    assert "cjm-visibility" in rows[1].classes


def test_output_is_deterministic(journey):
    first = journey._repr_html_()
    assert journey._repr_html_() == first
    assert journey.copy()._repr_html_() == first
    assert cjm.Journey.from_dict(journey.to_dict(), validate=False)._repr_html_() == first


# ---------------------------------------------------------------- escaping
def hostile_journey(payload: str) -> cjm.Journey:
    lanes = [
        {"id": "notes", "name": f"Lane {payload}"},
        {"id": "tps", "name": f"Touchpoints {payload}", "kind": "touchpoints"},
    ]
    j = cjm.Journey(title=payload, scope=payload, lanes=lanes)
    j.add_persona(
        payload,
        description=payload,
        goals=[payload],
        needs=[payload],
        segment={payload: [payload, f"{payload}2"]},
    )
    j.add_persona(f"{payload} other", description=payload)
    j.add_stage(payload, description=payload)
    j.add_stage(f"{payload} 2", description=payload)
    j.add_touchpoint(payload, payload, channel="web", owner=payload, description=payload)
    j.set_lane(payload, "notes", [payload, f"more {payload}"])
    j.add_opportunity(payload, [payload], impact=5, effort=1, notes=payload)
    return j


@pytest.mark.parametrize("payload", PAYLOADS)
def test_user_text_is_escaped_everywhere(payload):
    j = hostile_journey(payload)
    markup = j._repr_html_()
    collector = parse(markup)

    assert set(collector.tags) <= ALLOWED_TAGS, set(collector.tags) - ALLOWED_TAGS
    assert collector.tags.count("style") == 1
    assert markup.count("<style") == 1 and markup.count("</style>") == 1
    assert "".join(collector.styles) == render._STYLE[len("<style>") : -len("</style>")]
    assert not collector.comments
    for name, value in collector.attrs:
        assert not name.lower().startswith("on"), name
        assert name in {"class", "title", "aria-label", "aria-hidden", "role", "scope", "lang"}
        assert "javascript:" not in (value or "").lower(), (name, value)
    for name, value in collector.attrs:
        if name in {"class", "role", "scope", "aria-hidden", "lang"}:
            assert payload not in (value or ""), (name, value)

    # the payload is shown as text (escaped in the markup), in every field
    escaped = html.escape(payload, quote=True)
    if escaped != payload:
        assert payload not in markup
    text = collector.root.text()
    expected_places = (
        1  # title
        + 1  # caption (screen readers)
        + 1  # scope
        + 2 * 2  # persona name, description
        + 2  # goals, needs
        + 1  # segment column
        + 2  # segment values
        + 2  # stage name, description
        + 1  # second stage description (and its name)
        + 1  # second stage name
        + 2  # lane names
        + 3  # touchpoint name, owner, description
        + 2  # lane items
        + 3  # opportunity text, notes, linked touchpoint name
    )
    assert text.count(payload) >= expected_places - 1


@pytest.mark.parametrize("payload", PAYLOADS[:3])
def test_hostile_channel_and_ui_labels_are_escaped(payload, monkeypatch):
    """Labels come from template files; they are escaped like user text."""
    templates = importlib.import_module("cjm_widgets.model.templates")

    def fake_labels(language):
        return {
            "ui": {"owner": payload, "no_touchpoints": payload, "quick_win": payload},
            "channels": {"web": payload},
            "phases": {"purchase": payload},
        }

    render._labels.cache_clear()
    monkeypatch.setattr(templates, "labels", fake_labels)
    try:
        j = cjm.Journey(title="Labels")
        j.add_stage("A")
        j.add_stage("B")
        j.add_touchpoint("A", "Checkout", channel="web", phase="purchase", owner="Shop")
        j.add_opportunity("Quick", ["Checkout"], impact=5, effort=1)
        markup = j._repr_html_()
    finally:
        render._labels.cache_clear()
    collector = parse(markup)
    assert set(collector.tags) <= ALLOWED_TAGS
    assert not any(name.startswith("on") for name, _ in collector.attrs)
    assert collector.root.text().count(payload) >= 4  # owner, phase, legend, quick win
    badge = collector.root.find(cls="cjm-card").find(cls="cjm-badge")
    assert badge.attrs["title"] == payload and badge.attrs["aria-label"] == payload


# ---------------------------------------------------------------- languages
def test_finnish_template_shows_finnish_ui_labels():
    from cjm_widgets.model.templates import labels

    fi = labels("fi")["ui"]
    j = cjm.Journey.from_template("current_state", stages="seven_stage", language="fi")
    j.add_persona("Kiireinen vanhempi", goals=["Tilaus viidessä minuutissa"])
    j.add_touchpoint(j.stages[2], "Kassa", channel="web", phase="purchase", owner="Verkkokauppa")
    j.add_opportunity("Näytä toimitusmaksu heti", ["Kassa"], impact=5, effort=1)
    doc = parse(j._repr_html_()).root
    assert doc.find(cls="cjm-map").attrs["lang"] == "fi"
    assert norm(doc.find(cls="cjm-state").text()) == norm(fi["current_state"])
    assert fi["current_state"] != "Current state"
    persona = doc.find(cls="cjm-persona")
    assert norm(fi["persona"]) in norm(persona.text())
    assert norm(fi["goals"]) in norm(persona.text())
    card = doc.find(cls="cjm-card")
    assert norm(fi["owner"]) in norm(card.find(cls="cjm-owner").text())
    channel_fi = labels("fi")["channels"]["web"]
    assert card.find(cls="cjm-badge").attrs["title"] == channel_fi
    phase_fi = labels("fi")["phases"]["purchase"]
    assert norm(card.find(cls="cjm-phase").text()) == norm(phase_fi)
    opps = doc.find(cls="cjm-opps")
    assert norm(opps.find("h3").text()) == norm(fi["opportunities"])
    assert norm(fi["quick_win"]) in norm(opps.text())
    # stage and lane names come from the journey (already Finnish)
    cols = doc.find("thead").find_all("th", scope="col")
    assert [norm(c.find(cls="cjm-sname").text()) for c in cols] == [s.name for s in j.stages]
    rows = doc.find("tbody").find_all("th", scope="row")
    assert [norm(r.text()) for r in rows] == [lane.name for lane in j.lanes]


def test_missing_ui_labels_fall_back_to_english(monkeypatch):
    templates = importlib.import_module("cjm_widgets.model.templates")

    def partial_labels(language):
        if language == "xx":
            return {"ui": {"persona": "Persoona"}}
        raise cjm.JourneyError(f"unknown language {language}")

    render._labels.cache_clear()
    monkeypatch.setattr(templates, "labels", partial_labels)
    try:
        j = cjm.Journey(title="Fallback", language="xx", scope="Somewhere")
        j.add_persona("Someone")
        j.add_stage("A")
        ui = ui_labels("xx")
        markup = j._repr_html_()
    finally:
        render._labels.cache_clear()
    assert ui["persona"] == "Persoona" and ui["scope"] == "Scope"
    doc = parse(markup).root
    assert "Persoona" in doc.find(cls="cjm-persona").text()
    assert "Scope" in doc.find(cls="cjm-scope").text()
    assert norm(doc.find(cls="cjm-state").text()) == "Current state"


@pytest.mark.parametrize("language", ["en", "fi", "sv", "pl", "ms"])
def test_every_language_has_every_ui_label(language):
    from cjm_widgets.model.templates import labels

    ui = labels(language)["ui"]
    missing = sorted(set(render._UI_EN) - set(ui) - {"segment", "no_stages"})
    assert not missing, f"{language}: {missing}"


# ---------------------------------------------------------------- CSS
def _style(markup: str) -> str:
    styles = parse(markup).styles
    assert len(styles) == 1
    return styles[0]


def _selectors(css: str) -> list[str]:
    """Every selector of every rule, also inside @media blocks."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    selectors: list[str] = []
    prelude, depth_stack = "", []
    for char in css:
        if char == "{":
            head = prelude.strip()
            if head.startswith("@"):
                assert head.startswith("@media"), f"unexpected at-rule {head!r}"
                depth_stack.append("at")
            else:
                selectors.extend(s.strip() for s in head.split(","))
                depth_stack.append("rule")
            prelude = ""
        elif char == "}":
            depth_stack.pop()
            prelude = ""
        elif char == ";" and depth_stack and depth_stack[-1] == "rule":
            prelude = ""
        else:
            prelude += char
    assert not depth_stack, "unbalanced braces"
    return selectors


def test_every_css_selector_is_scoped_under_cjm_map(journey):
    selectors = _selectors(_style(journey._repr_html_()))
    assert len(selectors) > 50
    unscoped = [s for s in selectors if not re.match(r"^\.cjm-map(?![\w-])", s)]
    assert not unscoped, unscoped


def test_css_follows_jupyterlab_theme_variables_with_fallbacks(journey):
    css = _style(journey._repr_html_())
    used = re.findall(r"var\(\s*(--jp-[\w-]+)\s*([,)])", css)
    assert used
    without_fallback = sorted({name for name, sep in used if sep != ","})
    assert not without_fallback, without_fallback
    names = {name for name, _ in used}
    for wanted in (
        "--jp-layout-color0",
        "--jp-layout-color1",
        "--jp-layout-color2",
        "--jp-ui-font-color1",
        "--jp-border-color2",
        "--jp-brand-color1",
        "--jp-content-font-family",
    ):
        assert wanted in names
    # wide maps scroll in their own box, stage columns keep a readable width, print is light
    assert re.search(r"\.cjm-scroll \{[^}]*overflow-x: auto", css)
    assert re.search(r"th\.cjm-stage \{[^}]*min-width: \d", css)
    assert "@media print" in css


def test_no_script_urls_or_remote_resources(journey):
    for j in (journey, hostile_journey("x"), every_channel_journey(), cjm.Journey()):
        markup = j._repr_html_()
        lowered = markup.lower()
        assert not re.search(r"https?:", lowered)
        for needle in ("<script", "url(", "@import", "javascript:", "//"):
            assert needle not in lowered, needle
        assert "expression(" not in lowered


def test_module_source_has_no_urls():
    source = Path(render.__file__).read_text(encoding="utf-8")
    assert not re.search(r"https?://", source)


# ---------------------------------------------------------------- DataFrame
def test_to_frame_is_the_map_as_a_table(journey):
    frame = journey.to_frame()
    assert frame.shape == (len(journey.lanes), 3)
    assert frame.index.name == "lane" and frame.columns.name == "stage"
    assert list(frame.columns) == ["Discover", "Order", "Delivery"]
    assert list(frame.index) == [lane.name for lane in journey.lanes]
    assert frame.loc["Actions", "Discover"] == "Sees an ad\nAsks a friend"
    assert frame.loc["Actions", "Order"] == ""
    assert frame.loc["Touchpoints", "Order"] == "Checkout\nSlot picker"
    assert frame.loc["Touchpoints", "Discover"] == ""
    assert frame.loc["Pain points", "Order"] == "Delivery fee shown late"
    assert frame.attrs["stage_ids"] == [s.id for s in journey.stages]
    assert frame.attrs["lane_ids"] == [lane.id for lane in journey.lanes]
    for stage in journey.stages:
        for lane in journey.lanes:
            assert frame.loc[lane.name, stage.name] == "\n".join(journey.cell(stage, lane))


def test_to_frame_of_an_empty_journey():
    j = cjm.Journey()
    frame = journey_frame(j)
    assert frame.shape == (len(j.lanes), 0)
    assert frame.attrs["stage_ids"] == []
    assert list(frame.index) == [lane.name for lane in j.lanes]


def test_to_frame_keeps_markup_as_plain_text():
    j = hostile_journey(PAYLOADS[0])
    frame = j.to_frame()
    assert frame.loc[f"Lane {PAYLOADS[0]}", PAYLOADS[0]] == f"{PAYLOADS[0]}\nmore {PAYLOADS[0]}"


# ---------------------------------------------------------------- speed
def big_journey() -> cjm.Journey:
    lanes = [{"id": f"l{i}", "name": f"Lane {i}"} for i in range(7)]
    lanes.insert(2, {"id": "tps", "name": "Touchpoints", "kind": "touchpoints"})
    j = cjm.Journey(title="Big", lanes=lanes)
    with j.batch():
        for s in range(40):
            j.add_stage(f"Stage {s}", description=f"What happens in stage {s}")
        for t in range(200):
            j.add_touchpoint(
                f"Stage {t % 40}",
                f"Touchpoint {t}",
                channel=cjm.CHANNELS[t % len(cjm.CHANNELS)],
                phase=cjm.PHASES[t % 3],
                owner=f"Team {t % 5}",
            )
        for s in range(40):
            for i in range(7):
                j.set_lane(f"Stage {s}", f"l{i}", [f"Item {s}.{i}.a", f"Item {s}.{i}.b"])
    return j


def test_a_big_map_renders_whole():
    # how fast it renders is measured in benchmarks/bench_report.py, not here
    j = big_journey()
    assert len(j.stages) == 40 and len(j.touchpoints) == 200 and len(j.lanes) == 8
    markup = journey_html(j)
    assert markup.count('scope="col"') == 40
    assert markup.count('class="cjm-card ') == 200
    frame = journey_frame(j)
    assert frame.shape[1] == 40 and "Stage 39" in frame.columns
