"""Charts as plain data for the SVG partials (templates/_partials/chart_*.html, and the
dashboard's reports/dashboard_charts.html).

The same partial draws a chart on a web page and in a PDF, so everything it needs is worked
out here: positions, widths, colours (as SVG presentation attributes, which the strict Content
Security Policy allows and WeasyPrint reads) and the words that say what the chart shows. The
words are always next to the picture, so the pictures themselves are decoration.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

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


# The dashboard's own charts: RAG bars, progress bars, targets and sparklines.

#: Fill of each RAG rating: GOV.UK green, orange and red; grey for "no rating yet".
RAG_COLOURS = {"green": "#00703c", "amber": "#f47738", "red": "#d4351c", "none": "#b1b4b6"}
BLUE = "#1d70b8"
GREY = "#b1b4b6"
LIGHT_GREY = "#f3f2f1"
BLACK = "#0b0c0c"


@dataclass
class RagBar:
    label: str
    count: int
    y: float
    width: float
    fill: str
    text_y: float

    @property
    def text_x(self) -> float:
        return round(self.width + 6, 2)


@dataclass
class RagChart:
    """Horizontal bars on a common scale, a label to the left of each."""

    bars: list[RagBar]
    width: int
    height: float
    label_width: int
    bar_height: int


def rag_chart(rows: list[tuple[str, str, int]], *, width: int = 360) -> RagChart:
    """A bar per RAG rating (key, label, count)."""
    label_width, bar_height, gap = 110, 22, 8
    room = width - label_width - 40
    longest = max((count for _, _, count in rows), default=0) or 1
    bars = []
    for i, (key, label, count) in enumerate(rows):
        y = i * (bar_height + gap)
        width_ = round(room * count / longest, 2)
        bars.append(RagBar(label, count, y, width_, RAG_COLOURS[key], y + bar_height / 2 + 5))
    height = len(rows) * (bar_height + gap) - gap if rows else 0
    return RagChart(bars, width, height, label_width, bar_height)


@dataclass
class ProgressBar:
    """How much of a whole is done: a filled part on a track."""

    width: int
    height: int
    done_width: float


def progress_bar(done: int, of: int, *, width: int = 300, height: int = 16) -> ProgressBar:
    share = done / of if of else 0
    return ProgressBar(width, height, round(width * share, 2))


@dataclass
class TargetBar:
    """A reading against its target: the bar is the reading, the mark is the target."""

    width: int
    height: int
    value_width: float | None
    target_x: float
    baseline_x: float | None


def target_bar(baseline, target, value, *, width: int = 120, height: int = 14) -> TargetBar:
    """The reading drawn on a scale that reaches a fifth past the larger of target and reading.

    Where the target is below the baseline (a reduction), the scale still starts at 0: the
    bar shows the size of the reading and the mark where it should get to.
    """
    top = max(Decimal(target), Decimal(value or 0), Decimal(baseline or 0)) * Decimal("1.2")
    top = top or Decimal(1)

    def x(number) -> float:
        return round(float(Decimal(number) / top) * width, 2)

    return TargetBar(
        width=width,
        height=height,
        value_width=None if value is None else x(value),
        target_x=x(target),
        baseline_x=None if baseline is None else x(baseline),
    )


@dataclass
class Point:
    x: float
    y: float


@dataclass
class Sparkline:
    """An indicator's values over time, with its target as a dashed line."""

    width: int
    height: int
    points: list[Point]
    target_y: float | None

    @property
    def path(self) -> str:
        """The `points` attribute of the polyline joining the values."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None


def sparkline(values: list[Decimal], target: Decimal | None, *, width=160, height=40) -> Sparkline:
    """Values spaced evenly left to right (periods differ in length), scaled to their range
    and the target's, with a margin so that the dots are whole."""
    margin = 5
    numbers = list(values) + ([target] if target is not None else [])
    if not numbers:
        return Sparkline(width, height, [], None)
    low, high = min(numbers), max(numbers)
    span = (high - low) or abs(high) or Decimal(1)
    low -= span / 10
    span *= Decimal("1.2")

    def y(number) -> float:
        return round(height - margin - float((number - low) / span) * (height - 2 * margin), 1)

    step = (width - 2 * margin) / (len(values) - 1) if len(values) > 1 else 0
    points = [
        Point(round(margin + i * step if len(values) > 1 else width / 2, 1), y(v))
        for i, v in enumerate(values)
    ]
    return Sparkline(width, height, points, None if target is None else y(target))
