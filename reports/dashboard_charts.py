"""The dashboard's own charts as plain data for its SVG partials (reports/dashboard_charts.html).

Like reports/charts.py (whose stacked status bars the dashboard reuses), everything the
pictures need is worked out here: positions, sizes and colours as SVG presentation
attributes, which the strict Content Security Policy allows and WeasyPrint reads. The words
are always next to the picture, so the pictures themselves are decoration.
"""

from dataclasses import dataclass
from decimal import Decimal

#: Fill of each RAG rating: GOV.UK green, orange and red; grey for "no rating yet".
RAG_COLOURS = {"green": "#00703c", "amber": "#f47738", "red": "#d4351c", "none": "#b1b4b6"}
BLUE = "#1d70b8"
GREY = "#b1b4b6"
LIGHT_GREY = "#f3f2f1"
BLACK = "#0b0c0c"


@dataclass
class Bar:
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
class BarChart:
    """Horizontal bars on a common scale, a label to the left of each."""

    bars: list[Bar]
    width: int
    height: float
    label_width: int
    bar_height: int


def rag_chart(rows: list[tuple[str, str, int]], *, width: int = 360) -> BarChart:
    """A bar per RAG rating (key, label, count)."""
    label_width, bar_height, gap = 110, 22, 8
    room = width - label_width - 40
    longest = max((count for _, _, count in rows), default=0) or 1
    bars = []
    for i, (key, label, count) in enumerate(rows):
        y = i * (bar_height + gap)
        width_ = round(room * count / longest, 2)
        bars.append(Bar(label, count, y, width_, RAG_COLOURS[key], y + bar_height / 2 + 5))
    height = len(rows) * (bar_height + gap) - gap if rows else 0
    return BarChart(bars, width, height, label_width, bar_height)


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
