"""Data coverage: the indicator × year grid of the kind of figure the build chose (`coverage_chart`)."""

from __future__ import annotations

from dgm.data.coverage import LETTER
from dgm.labels import row_label, t
from dgm.lang import pick
from dgm.present import style
from dgm.present.charts.figure import add_title, canvas, mix, styled
from dgm.present.style import OKABE_ITO
from dgm.words import COVERAGE_LABELS

COLOURS = {  # cell code → colour
    "exact": OKABE_ITO["blue"],
    "approx": OKABE_ITO["sky_blue"],
    "estimate": OKABE_ITO["green"],
    "derived": OKABE_ITO["purple"],
    "bound": OKABE_ITO["orange"],
    "plan": OKABE_ITO["yellow"],
    "missing": "#FFFFFF",
}
# cell code → (letter, zh, en, colour); the letters are the terminal table's
COVERAGE = {c: (LETTER[c], *COVERAGE_LABELS[c], colour) for c, colour in COLOURS.items()}


@styled
def coverage_chart(matrix, indicators=None, *, sources=None, lang: str = "zh", size="full"):
    """Indicator × year grid of the kind of figure the build chose (letter and colour per cell).

    ``matrix``: `dgm.data.coverage.coverage_matrix()` (index indicator ids, columns years, cells
    exact/approx/estimate/derived/bound/plan/missing); ``indicators``: the catalogue (labels).
    """
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    codes = list(COVERAGE)
    labels_by_id = {}
    if indicators is not None:
        for r in indicators.to_dict("records"):
            labels_by_id[str(r["id"])] = row_label(r, lang, sep=" / ")
    n, m = matrix.shape
    grid = np.array(
        [
            [codes.index(str(c)) if str(c) in codes else codes.index("missing") for c in row]
            for row in matrix.to_numpy()
        ]
    )
    row_h = 0.16 if lang != "both" else 0.2
    n_src = len(sources) if sources is not None else None
    extra = ""
    if n_src:
        extra = pick(
            f"资料来源：dgm 数据集所收录的 {n_src} 份文件（data/raw/sources.csv）。",
            f"Sources: the {n_src} documents in dgm's dataset (data/raw/sources.csv).",
            lang,
            "\n",
        )
    foot = t("coverage_note", lang, "\n") + ("\n" + extra if extra else "")
    fig, gs = canvas(size, foot, height=0.9 + row_h * n)
    ax = fig.add_subplot(gs[0])
    cmap = ListedColormap(
        [mix(COVERAGE[c][3], 0.85) if c != "missing" else "#FFFFFF" for c in codes]
    )
    ax.pcolormesh(
        np.arange(m + 1) - 0.5,
        np.arange(n + 1) - 0.5,
        grid,
        cmap=cmap,
        vmin=-0.5,
        vmax=len(codes) - 0.5,
        edgecolors="#DDDDDD",
        linewidth=0.4,
    )
    for i in range(n):
        for j in range(m):
            code = codes[grid[i, j]]
            dark = code in ("exact", "derived", "estimate")
            ax.text(
                j,
                i,
                COVERAGE[code][0],
                ha="center",
                va="center",
                fontsize=style.BASE_FONT_PT - 2.5,
                color="white" if dark else ("#999999" if code == "missing" else "#111111"),
            )
    ax.set_xticks(range(m), [str(c) for c in matrix.columns], rotation=90)
    ax.set_yticks(
        range(n),
        [labels_by_id.get(str(i), str(i)) for i in matrix.index],
        fontsize=style.BASE_FONT_PT - 2,
    )
    ax.tick_params(axis="x", labelsize=style.BASE_FONT_PT - 2, length=0)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(n - 0.5, -0.5)
    ax.grid(False)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.xaxis.tick_top()
    handles = [
        Patch(
            facecolor=mix(COVERAGE[c][3], 0.85) if c != "missing" else "white",
            edgecolor="#999999",
            lw=0.4,
            label=f"{COVERAGE[c][0]} {pick(COVERAGE[c][1], COVERAGE[c][2], lang, ' ')}",
        )
        for c in codes
    ]
    # Right-aligned under the grid and at most as wide as the figure: a legend centred under
    # the grid overhangs it, and constrained layout then narrowed the grid on every run (with
    # bilingual row labels, to nothing).
    ax.legend(
        handles=handles,
        loc="upper right",
        bbox_to_anchor=(1.0, 0.0),
        ncol=4,
        fontsize=style.BASE_FONT_PT - 1.5,
        handlelength=1.2,
        columnspacing=1.0,
    )
    add_title(fig, t("coverage_title", lang, sep="\n"))
    return fig
