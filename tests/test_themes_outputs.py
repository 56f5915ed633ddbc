"""What a reader sees of themes outside the live board: the report's Themes section (quotes
with their source, escaped; touchpoints; mean emotion with n) and the AffinityBoard's static
snapshot (themes and their cards) that nbconvert and GitHub show."""

from __future__ import annotations

import pandas as pd
from test_themes import E, planted

import cjm_widgets as cjm
from cjm_widgets.analysis.theme_model import Themes


def test_report_themes_section_lists_touchpoints_emotion_with_n_and_escaped_sourced_quotes(
    tmp_path,
):
    journey, ev, _ = planted()
    board = Themes(ev, journey, rows="all")
    fee = board.theme_of(E("fee0"))
    board.rename(fee, "Fees & <extras>")
    page = cjm.export.report_html(journey, ev, themes=board)
    part = page[page.index('id="themes"') : page.index("</section>", page.index('id="themes"'))]
    stats = board.summary().set_index("theme_id").loc[fee]
    row = part[part.index("Fees &amp; &lt;extras&gt;") :].split("</tr>")[0]
    assert "Checkout" in row  # the theme's touchpoint
    assert f"n={stats['emotion_n']}" in row and f"{stats['emotion_mean']:+.2f}" in row
    quote = ev.frame.set_index("evidence_id").loc[board.theme(fee)["ids"][0]]
    assert f"<small>— {quote['participant']} · review" in part  # the quote's source
    assert "<extras>" not in part


def test_affinity_board_snapshot_shows_each_theme_with_its_cards_escaped():
    rows = [f"delivery fee <b>surcharge</b> {i}" for i in range(8)] + [
        f"evening slot window {i}" for i in range(8)
    ]
    ev = cjm.Evidence.from_frame(pd.DataFrame({"text": rows}))
    journey = cjm.Journey("J")
    board = cjm.AffinityBoard(journey, ev, rows="all", n_themes=2, min_size=1)
    try:
        bundle = board._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        html = data["text/html"]
        assert html.count('class="cjm-ab-static-theme"') == 2
        for col in board.columns:
            assert f"({col['size']} quotes;" in html
        assert "delivery fee &lt;b&gt;surcharge&lt;/b&gt; 0" in html and "<b>" not in html
        assert "evening slot window 0" in html
        assert "… and 3 more" in html  # 8 cards a theme, 5 shown
    finally:
        board.close()
