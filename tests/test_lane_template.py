"""The static map's emotion lane comes from an autoescaping Jinja2 template
(model/templates/emotion_lane.html.j2): user text in every place it shows is escaped."""

from __future__ import annotations

from html.parser import HTMLParser

import cjm_widgets as cjm
from cjm_widgets.model.lane_html import emotion_lane_row, lane_css
from cjm_widgets.model.render import journey_html

SCRIPT = "<script>alert(1)</script>"


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(value or "" for _name, value in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def lane_of(journey: cjm.Journey, series: list[str]) -> dict:
    points = []
    for s in series:
        for tp in journey.touchpoints:
            points.append(
                {
                    "touchpoint_id": tp.id,
                    "touchpoint": tp.name,
                    "series": s,
                    "mean": -1.5,
                    "ci_low": -2.0,
                    "ci_high": -0.5,
                    "n": 9,
                    "n_participants": 4,
                    "supported": True,
                    "pain": True,
                }
            )
    return {"series": series, "points": points, "min_n": 5, "note": f"note {SCRIPT}"}


def test_user_text_in_the_lane_is_escaped_everywhere_it_shows() -> None:
    journey = cjm.Journey(title="Lane")
    journey.add_stage(f"Stage {SCRIPT}")
    journey.add_touchpoint(f"Stage {SCRIPT}", f"Pay {SCRIPT}")
    row = emotion_lane_row(journey.stages, lane_of(journey, [f"Family {SCRIPT}", "Single"]))
    assert "<script>" not in row and "&lt;script&gt;" in row
    parsed = Tags()
    parsed.feed(f"<table>{row}</table>")
    assert "script" not in parsed.tags
    shown = "".join(parsed.text)
    assert f"Family {SCRIPT}" in shown  # the series key, read back as text
    assert f"note {SCRIPT}" in shown
    # the stage name (the group's label, an attribute) and the touchpoint name (each point's
    # <title>: its tooltip and accessible name, text)
    assert f"Emotion in Stage {SCRIPT}" in parsed.attrs
    assert f"Pay {SCRIPT} · Family {SCRIPT}: mean emotion" in shown


def test_the_lane_draws_interval_ring_dot_and_n_on_the_scale() -> None:
    journey = cjm.Journey(title="Lane")
    journey.add_stage("Order")
    journey.add_touchpoint("Order", "Checkout")
    row = emotion_lane_row(journey.stages, lane_of(journey, ["all"]))
    parsed = Tags()
    parsed.feed(f"<table>{row}</table>")
    assert parsed.tags.count("circle") == 2  # the pain ring and the dot
    assert parsed.tags.count("line") == 3 + 1  # three grid lines and the interval bar
    assert "n 9" in "".join(parsed.text)
    # mean −1.5 on the −2…+2 scale: 8% at +2, 80% at −2 → 71% down the cell
    assert 'cy="71.00%"' in row


def test_the_map_carries_the_lane_and_its_css_once() -> None:
    journey = cjm.Journey(title="Lane")
    journey.add_stage("Order")
    journey.add_touchpoint("Order", "Checkout")
    html = journey_html(journey, lane=lane_of(journey, ["all"]))
    assert html.count(lane_css()) == 1 and "/*" not in lane_css()
    assert html.count('class="cjm-l-emotion"') == 1
