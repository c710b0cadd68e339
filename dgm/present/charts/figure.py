"""The house Figure of every chart: style applied at draw time, footnote strip, title, legend, axes.

dgm.present.style holds the look (palette, sizes, rcParams); this module builds figures in it. `styled`
wraps each chart function: it checks `lang`, draws inside the house style, places the goal labels
and turns every text into simplified characters.
"""

from __future__ import annotations

import functools

from dgm.labels import minus, t, wrap
from dgm.lang import LANGS
from dgm.present import style
from dgm.present.charts.label_placement import place_goal_labels
from dgm.present.style import GREY, SIZES, house_style

FOOT_LINE_PT = style.FOOTNOTE_PT * 1.35  # footnote line height
LEGEND_LABEL_CHARS = 34  # a legend label longer than this wraps onto further lines


@functools.cache
def _house_figure():
    """A Figure subclass that draws inside the house style (ticks are made at draw time); made
    once, after matplotlib is imported."""
    from matplotlib.figure import Figure

    class HouseFigure(Figure):
        """matplotlib Figure whose every draw (screen, savefig, notebook) uses dgm's house style."""

        theme = staticmethod(house_style)  # canvas(theme=...) sets another per figure

        def draw(self, renderer):
            with self.theme():
                return super().draw(renderer)

    return HouseFigure


def styled(func):
    """Run a chart function inside the house style (text objects take the CJK font at creation)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang", "zh")
        if lang not in LANGS:
            raise ValueError(f"lang must be 'zh', 'en' or 'both', got {lang!r}")
        with house_style():
            return place_goal_labels(simplified_texts(func(*args, **kwargs)))

    return wrapper


def simplified_texts(fig):
    """Every text of `fig` in simplified characters (labels come from the traditional policy
    copy): titles, legends, annotations, footnotes and fixed tick labels."""
    from matplotlib.text import Text
    from matplotlib.ticker import FixedFormatter, FuncFormatter

    from dgm.zh import simplified

    for text in fig.findobj(Text):
        text.set_text(simplified(text.get_text()))
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):  # tick labels are made again at each draw
            fmt = axis.get_major_formatter()
            if isinstance(fmt, FixedFormatter):
                fmt.seq = [simplified(x) for x in fmt.seq]
            elif isinstance(fmt, FuncFormatter):
                fmt.func = lambda x, pos=None, f=fmt.func: simplified(f(x, pos))
    return fig


def _foot_cols(width_in: float) -> int:
    """Footnote wrap width in columns (a CJK character = 2 columns = 1 em; Latin ≈ 0.55 em)."""
    return max(40, int(width_in * 72 / (style.FOOTNOTE_PT * 0.55) * 0.92))


def canvas(size="full", foot: str = "", height: float | None = None, theme=None, **grid):
    """(fig, gridspec): a constrained-layout figure with the footnote in a reserved bottom strip.

    The plot area is laid out by constrained layout inside the rectangle above the strip, so long
    footnotes never overlap tick labels or legends; the figure grows by the strip's height. It
    draws in `theme` (a context manager of dgm.present.style; default house_style), as it was built.
    """
    w, h = SIZES[size] if isinstance(size, str) else size
    h = height or h
    text = wrap(foot, _foot_cols(w)) if foot else ""
    n = text.count("\n") + 1 if text else 0
    foot_h = (n * FOOT_LINE_PT + 6) / 72 if n else 0.0
    total = h + foot_h
    fig = _house_figure()(figsize=(w, total), layout="constrained")
    if theme is not None:
        fig.theme = theme
    frac = foot_h / total
    fig.get_layout_engine().set(rect=(0, frac, 1, 1 - frac), h_pad=0.03, w_pad=0.03)
    if text:
        fig.text(
            0.008,
            frac - 2 / 72 / total,
            text,
            va="top",
            ha="left",
            fontsize=style.FOOTNOTE_PT,
            color="#444444",
            linespacing=1.3,
        )
        # fig.text is ignored by constrained layout (the strip is reserved above) but counted
        # by bbox_inches="tight", so saved files keep the footnote.
    return fig, fig.add_gridspec(grid.pop("nrows", 1), grid.pop("ncols", 1), **grid)


def add_title(fig, text: str) -> None:
    """Left-aligned figure title (it says what the chart shows), wrapped to the figure width."""
    pt = style.BASE_FONT_PT + 2
    text = wrap(text, int(fig.get_figwidth() * 72 / (pt * 0.55) * 0.95))
    fig.suptitle(text, x=0.005, ha="left", fontsize=style.BASE_FONT_PT + 2, fontweight="normal")


def legend(ax, handles, ncol=1, loc="upper left", below=False):
    """A frameless legend from (handle, label) pairs, duplicates removed; ``below`` the axes."""
    import textwrap

    seen, hs, ls = set(), [], []
    for h, label in handles:
        if label not in seen:
            seen.add(label)
            hs.append(h)
            # Long (bilingual) labels wrap, so a multi-column legend never outgrows an A4 figure.
            ls.append(
                "\n".join(textwrap.fill(part, LEGEND_LABEL_CHARS) for part in label.split("\n"))
            )
    if hs and below == "above":
        ax.legend(
            hs,
            ls,
            loc="lower left",
            bbox_to_anchor=(0, 1.01),
            ncol=ncol,
            handlelength=2.2,
            borderaxespad=0.0,
            columnspacing=1.5,
        )
    elif hs and below:
        ax.legend(
            hs,
            ls,
            loc="upper left",
            bbox_to_anchor=(0, -0.09),
            ncol=ncol,
            handlelength=2.2,
            borderaxespad=0.0,
            columnspacing=1.5,
        )
    elif hs:
        ax.legend(hs, ls, loc=loc, ncol=ncol, handlelength=2.2, borderaxespad=0.3)


def mix(colour: str, a: float) -> tuple:
    """``colour`` blended with white (a = 0 white, 1 full colour): opaque, prints as seen."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return (1 - a + a * r, 1 - a + a * g, 1 - a + a * b)


def no_data(ax, lang) -> None:
    """Say 'no data' in an empty panel rather than leaving it blank."""
    ax.text(
        0.5,
        0.5,
        t("not_assessable", lang),
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=GREY,
    )
    ax.set_xticks([])
    ax.set_yticks([])


def year_axis(ax) -> None:
    """Integer year ticks."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=9))


def value_axis(ax) -> None:
    """Thousands separators and U+2212 on the value axis; callers set the unit label."""
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: minus(f"{v:,.10g}")))


def value_axis_x(ax) -> None:
    """U+2212 on the x axis."""
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: minus(f"{v:,.10g}")))
