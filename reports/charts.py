"""Charts as plain data for the SVG partials in templates/_partials/chart_*.html.

The same partial draws a chart on a web page and in a PDF, so everything it needs is worked
out here: positions, widths, colours (as SVG presentation attributes, which the strict Content
Security Policy allows and WeasyPrint reads) and the words that say what the chart shows.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.text import get_text_list

from actions.models import Status

#: Statuses in the order a progress report counts them: finished first, stalled last.
STATUS_ORDER = [
    Status.COMPLETED,
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.DELAYED,
    Status.NOT_STARTED,
    Status.CARRIED_OVER,
    Status.WITHDRAWN,
]

#: Fill and text colour of each status: GOV.UK palette, dark enough for white figures on it.
STATUS_COLOURS = {
    Status.COMPLETED: ("#005a30", "#ffffff"),
    Status.ON_TRACK: ("#00703c", "#ffffff"),
    Status.AT_RISK: ("#ffdd00", "#0b0c0c"),
    Status.DELAYED: ("#d4351c", "#ffffff"),
    Status.NOT_STARTED: ("#b1b4b6", "#0b0c0c"),
    Status.CARRIED_OVER: ("#4c2c92", "#ffffff"),
    Status.WITHDRAWN: ("#505a5f", "#ffffff"),
}

WIDTH = 640
LABEL_HEIGHT = 20
BAR_HEIGHT = 24
ROW_GAP = 14
LEGEND_ROW = 22
#: A count is written inside its segment only where it fits.
MIN_WIDTH_FOR_COUNT = 18
#: Longer labels are shortened in the picture; the text alternative has them whole.
MAX_LABEL = 80


@dataclass
class Segment:
    key: str
    label: str
    count: int
    x: float
    width: float
    fill: str
    text_fill: str

    @property
    def shows_count(self) -> bool:
        return self.width >= MIN_WIDTH_FOR_COUNT

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2


@dataclass
class Bar:
    label: str
    short_label: str
    total: int
    label_y: float
    y: float
    segments: list[Segment]
    end_x: float

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2 + 5


@dataclass
class LegendItem:
    label: str
    fill: str
    x: float
    y: float

    @property
    def swatch_y(self) -> float:
        return self.y - 11

    @property
    def text_x(self) -> float:
        return self.x + 20


@dataclass
class StackedBarChart:
    """Horizontal bars, one per row, split by status; on a common scale."""

    title: str
    description: str
    bars: list[Bar]
    legend: list[LegendItem]
    width: int
    height: float
    columns: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, list[int], int]] = field(default_factory=list)
    bar_height: int = BAR_HEIGHT


def describe_counts(counts: Counter, *, empty: str = "none") -> str:
    """ "3 completed, 5 on track and 1 delayed": the non-zero statuses, in report order."""
    parts = [f"{counts[s]} {s.label.lower()}" for s in STATUS_ORDER if counts.get(s)]
    return get_text_list(parts, "and") if parts else empty


def status_chart(
    rows: list[tuple[str, Counter]], *, title: str, draw_labels: bool = True
) -> StackedBarChart:
    """A stacked bar per row (label, Counter of statuses), all on the scale of the longest.

    Without `draw_labels` the bars carry no label in the picture (a chart of one priority,
    under its own heading); the words that describe the chart still name them.
    """
    used = [s for s in STATUS_ORDER if any(counts.get(s) for _, counts in rows)]
    longest = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    room = WIDTH - 40  # space at the end of the longest bar for its total
    bars = []
    y = 0.0
    for label, counts in rows:
        label_height = LABEL_HEIGHT if draw_labels else 0
        label_y = y + label_height - 6
        bar_y = y + label_height
        x = 0.0
        segments = []
        for status in used:
            count = counts.get(status, 0)
            if not count:
                continue
            width = room * count / longest
            fill, text_fill = STATUS_COLOURS[status]
            segments.append(Segment(status.value, status.label, count, x, width, fill, text_fill))
            x += width
        short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"
        short = short if draw_labels else ""
        total = sum(counts.values())
        bars.append(Bar(label, short, total, label_y, bar_y, segments, x + 6))
        y = bar_y + BAR_HEIGHT + ROW_GAP
    legend = []
    legend_x = 0.0
    legend_y = y + 10
    for status in used:
        item_width = 26 + 7.2 * len(status.label)
        if legend_x + item_width > WIDTH:
            legend_x = 0.0
            legend_y += LEGEND_ROW
        legend.append(LegendItem(status.label, STATUS_COLOURS[status][0], legend_x, legend_y))
        legend_x += item_width + 12
    height = legend_y + LEGEND_ROW if legend else y
    sentences = [f"{label}: {describe_counts(counts)}." for label, counts in rows]
    return StackedBarChart(
        title=title,
        description=" ".join(sentences),
        bars=bars,
        legend=legend,
        width=WIDTH,
        height=height,
        columns=[(s.value, s.label) for s in used],
        rows=[
            (label, [counts.get(s, 0) for s in used], sum(counts.values()))
            for label, counts in rows
        ],
    )
