"""SVG charts of a goal's evaluation (matplotlib, no Django).

The chart is decoration for sighted readers: the page shows the same numbers in a table
beneath it, and the SVG carries a <title> and a <desc> for screen readers.
"""

from __future__ import annotations

import functools
import io
import re
from xml.sax.saxutils import escape

from retning.goals.engine import Evaluation

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by line style
# and markers too, not by colour alone.
OBSERVED = "#0b4f8a"
TARGET = "#1b1b1b"
PROJECTION = "#a03c00"


@functools.cache
def _pyplot():
    """matplotlib, set up for SVG on first use: importing it takes a second, which every
    command and web worker would otherwise pay at start-up."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, and selectable
    matplotlib.rcParams["svg.hashsalt"] = "retning"  # stable ids: the same chart, the same bytes
    import matplotlib.pyplot as plt

    return plt


def _thousands(decimal_comma: bool):
    from matplotlib.ticker import FuncFormatter

    def fmt(value, _pos):
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
        if decimal_comma:
            text = text.replace(",", "\u2009").replace(".", ",")
        return text.replace("-", "\u2212")

    return FuncFormatter(fmt)


def goal_chart_svg(
    evaluation: Evaluation,
    *,
    title: str,
    description: str,
    labels: dict[str, str],
    decimal_comma: bool = True,
) -> str:
    """An SVG line chart: observed values, the target path and the projection.

    `labels` names the series in the page's language: "observed", "target", "projection",
    and "unit" for the y axis.
    """
    from matplotlib.ticker import MaxNLocator

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 3.6), dpi=100)
    observed = [(p.year, p.value) for p in evaluation.observations if p.value is not None]
    if observed:
        xs, ys = zip(*observed, strict=True)
        ax.plot(xs, ys, color=OBSERVED, marker="o", linewidth=2, label=labels["observed"])
    if evaluation.path:
        xs, ys = zip(*evaluation.path, strict=True)
        ax.plot(xs, ys, color=TARGET, linestyle="--", linewidth=1.5, label=labels["target"])
    if evaluation.projection is not None and evaluation.latest_year and evaluation.end_year:
        ax.plot(
            [evaluation.latest_year, evaluation.end_year],
            [evaluation.latest_value, evaluation.projection],
            color=PROJECTION,
            linestyle=":",
            linewidth=2,
            marker="s",
            label=labels["projection"],
        )
    ax.set_ylabel(labels.get("unit", ""))
    ax.yaxis.set_major_formatter(_thousands(decimal_comma))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color="#d0d4da", linewidth=0.8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False, loc="best")
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    accessible = (
        '<svg role="img" aria-labelledby="chart-title chart-desc">'
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(description)}</desc>'
    )
    # keep matplotlib's size and viewBox attributes, put the title and description first
    opening = re.match(r"<svg[^>]*>", svg).group(0)
    # drop the fixed size so the chart scales with the page (the viewBox stays)
    attributes = re.sub(r'\s(width|height)="[^"]*"', "", opening[len("<svg") : -1])
    svg = accessible.replace("<svg ", "<svg" + attributes + " ", 1) + svg[len(opening) :]
    return without_css(svg)


_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')


def _attributes(declarations: str) -> str:
    pairs = (d.split(":", 1) for d in declarations.split(";") if ":" in d)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def without_css(svg: str) -> str:
    """The same drawing with SVG presentation attributes instead of CSS: matplotlib writes
    `style` attributes and a `<style>` element (`*{…}`, inherited by every element), which
    the site's Content Security Policy does not allow inline. The properties it uses (fill,
    stroke…, font-size, font-family, text-anchor) all exist as attributes."""
    inherited = "".join(
        _attributes(rule)
        for block in _STYLE_ELEMENT.findall(svg)
        for rule in re.findall(r"\*\s*\{([^}]*)\}", block)
    )
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(lambda m: _attributes(m.group(1)), svg)
    return svg.replace("<svg", "<svg" + inherited, 1)
