"""Bar charts as server-rendered SVG (no JavaScript, no chart library; docs/adr/0030).

`bar_chart()` returns the geometry a template draws (`templates/insights/includes/bars.svg.html`);
the template escapes every label, and the data table beside the chart carries the same numbers
for screen readers and for printing.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 220
VALUE_WIDTH = 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    y: int
    x: int
    width: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_x: int
    label_anchor: str
    value_anchor: str
    max_value: float


def _short(label: str, limit: int = 32) -> str:
    """A label that fits the label column (the table beside the chart has it whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(title: str, items: list[tuple[str, float | None, str]], *, rtl: bool = False) -> Chart:
    """Horizontal bars, one per `(label, value, displayed value)`; None draws no bar. Right to
    left (`rtl`): labels on the right and bars growing leftwards. The SVG's own direction stays
    LTR, so coordinates and anchors mean the same in both; the text itself is shaped by bidi."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = max([value for _label, value, _display in items if value is not None] or [0]) or 1
    bars = []
    for index, (label, value, display) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = round(plot * (value or 0) / top) if value else 0
        x = WIDTH - LABEL_WIDTH - width if rtl else LABEL_WIDTH
        value_x = x - 4 if rtl else x + width + 4
        bars.append(Bar(_short(str(label)), value or 0, display, y, x, width, y + BAR_HEIGHT // 2 + 5, value_x))
    height = GAP + len(items) * (BAR_HEIGHT + GAP)
    label_x = WIDTH - LABEL_WIDTH + 6 if rtl else LABEL_WIDTH - 6
    return Chart(
        str(title),
        bars,
        WIDTH,
        max(height, 2 * GAP),
        label_x,
        "start" if rtl else "end",
        "end" if rtl else "start",
        top,
    )
