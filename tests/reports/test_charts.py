"""Chart data for the SVG partial: a common scale, colours with words, a text alternative."""

from collections import Counter

import pytest
from django.template.loader import render_to_string

from actions.models import Status
from reports.charts import MAX_LABEL, WIDTH, describe_counts, status_chart


def test_counts_are_described_in_report_order_with_and():
    counts = Counter({Status.NOT_STARTED: 2, Status.COMPLETED: 3, Status.DELAYED: 1})
    assert describe_counts(counts) == "3 completed, 1 delayed and 2 not started"
    assert describe_counts(Counter({Status.ON_TRACK: 1})) == "1 on track"
    assert describe_counts(Counter()) == "none"


def test_bars_share_one_scale_and_segments_follow_each_other():
    chart = status_chart(
        [
            ("Safeguarding", Counter({Status.COMPLETED: 6, Status.ON_TRACK: 6})),
            ("Engagement", Counter({Status.DELAYED: 3})),
        ],
        title="Actions by status",
    )
    long, short = chart.bars
    assert long.total == 12 and short.total == 3
    assert sum(s.width for s in long.segments) == pytest.approx(WIDTH - 40)
    assert short.segments[0].width == pytest.approx((WIDTH - 40) / 4)
    first, second = long.segments
    assert second.x == pytest.approx(first.x + first.width)
    assert chart.columns == [
        ("completed", "Completed"),
        ("on_track", "On track"),
        ("delayed", "Delayed"),
    ]
    assert chart.rows[1] == ("Engagement", [0, 0, 3], 3)
    assert [item.label for item in chart.legend] == ["Completed", "On track", "Delayed"]
    assert chart.description == ("Safeguarding: 6 completed and 6 on track. Engagement: 3 delayed.")


def test_long_labels_are_shortened_in_the_picture_only():
    label = "A priority with a very long name " * 5
    chart = status_chart([(label, Counter({Status.ON_TRACK: 1}))], title="t")
    assert len(chart.bars[0].short_label) == MAX_LABEL
    assert chart.bars[0].short_label.endswith("…")
    assert chart.rows[0][0] == label


def test_a_chart_without_drawn_labels_still_names_its_rows_in_words():
    chart = status_chart(
        [("Engagement", Counter({Status.AT_RISK: 1}))], title="t", draw_labels=False
    )
    assert chart.bars[0].short_label == ""
    assert chart.bars[0].y == 0
    assert chart.description == "Engagement: 1 at risk."


def test_the_svg_uses_presentation_attributes_and_has_its_words():
    chart = status_chart(
        [("Engagement", Counter({Status.AT_RISK: 2, Status.NOT_STARTED: 1}))],
        title="Actions by status",
    )
    svg = render_to_string(
        "_partials/chart_stacked_bar.html", {"chart": chart, "chart_id": "c", "show_table": True}
    )
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Actions by status</title>' in svg
    assert 'fill="#ffdd00"' in svg  # at risk
    assert "<style" not in svg and "style=" not in svg
    assert '<th scope="row"' in svg and '<th scope="col"' in svg
