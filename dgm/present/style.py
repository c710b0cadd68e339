"""House style for dgm charts: fonts, Okabe–Ito palette, A4 sizes, rcParams applied in a context.

Importing this module touches no rcParams and does not import matplotlib; `house_style()` applies
the style inside a `with` block (chart functions call it), `seaborn_theme()` applies it through
seaborn's theme for seaborn's plots, `use_fonts()` applies it for a session.
Chart words are in dgm.words (put to use by dgm.labels); figures are built in this style by dgm.present.charts.figure.
"""

from __future__ import annotations

import contextlib

# Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
PALETTE = [
    OKABE_ITO[k]
    for k in ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "yellow", "black")
]
OBSERVED = OKABE_ITO["blue"]
PROJECTION = OKABE_ITO["blue"]
GOAL = OKABE_ITO["vermillion"]
GREY = "#6E6E6E"
LIGHT_GREY = "#D9D9D9"

# A4 is 210 mm wide; with 25 mm margins the text block is 160 mm = 6.3 in.
MM = 1 / 25.4
FULL_WIDTH = 160 * MM  # inches
HALF_WIDTH = 78 * MM
SIZES = {  # (width, height) in inches
    "full": (FULL_WIDTH, 100 * MM),
    "tall": (FULL_WIDTH, 150 * MM),
    "half": (HALF_WIDTH, 70 * MM),
}
BASE_FONT_PT = 8.5
FOOTNOTE_PT = 6.5


def rc(families: list[str]) -> dict:
    """rcParams of the house style for the given font.family list."""
    from cycler import cycler

    return {
        "font.family": families,
        "font.size": BASE_FONT_PT,
        "axes.titlesize": BASE_FONT_PT + 1.5,
        "axes.titlelocation": "left",
        "axes.labelsize": BASE_FONT_PT,
        "axes.unicode_minus": True,  # U+2212, present in the CJK font
        "svg.hashsalt": "dgm",  # stable SVG ids: the same figure gives the same file
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#333333",
        "axes.linewidth": 0.6,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#E3E3E3",
        "grid.linewidth": 0.5,
        "axes.axisbelow": True,
        "axes.prop_cycle": cycler(color=PALETTE),
        "xtick.labelsize": BASE_FONT_PT - 0.5,
        "ytick.labelsize": BASE_FONT_PT - 0.5,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "legend.fontsize": BASE_FONT_PT - 1,
        "legend.frameon": False,
        "lines.linewidth": 1.4,
        "figure.dpi": 100,
        "figure.facecolor": "white",
        "savefig.dpi": 300,
        "savefig.facecolor": "white",
        "pdf.fonttype": 42,  # embed TrueType (Type 42 / CIDFontType2), never Type 3
        "ps.fonttype": 42,
        "svg.fonttype": "path",  # SVG readers need not have the font
        "pdf.compression": 6,
    }


@contextlib.contextmanager
def house_style():
    """Context manager: register the CJK font and apply the house rcParams inside the block."""
    import matplotlib as mpl

    from dgm.present import fonts

    with mpl.rc_context(rc(fonts.font_families())):
        yield


@contextlib.contextmanager
def seaborn_theme():
    """Context manager: seaborn's theme (`ticks` style, `paper` context) with the house rcParams
    and palette over it, inside the block only (sns.set_theme within an rc_context)."""
    import matplotlib as mpl
    import seaborn as sns

    from dgm.present import fonts

    with mpl.rc_context():
        sns.set_theme(context="paper", style="ticks", palette=PALETTE, rc=rc(fonts.font_families()))
        yield


def use_fonts() -> list[str]:
    """Apply the house style for the rest of the session (opt-in, for notebooks' own plots)."""
    import matplotlib as mpl

    from dgm.present import fonts

    families = fonts.font_families()
    mpl.rcParams.update(rc(families))
    return families


__all__ = ["house_style", "seaborn_theme", "use_fonts", "OKABE_ITO", "PALETTE", "SIZES"]
