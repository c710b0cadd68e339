"""Forecast accuracy by method: MASE per indicator and pooled interval coverage (`backtest_chart`)."""

from __future__ import annotations

from dgm.labels import t
from dgm.lang import pick
from dgm.present import style
from dgm.present.charts.figure import add_title, canvas, mix, styled
from dgm.present.style import GREY, OKABE_ITO
from dgm.words import METHODS


@styled
def backtest_chart(backtests, *, indicators=None, lang: str = "zh", size="full"):
    """Backtest accuracy by forecasting method: MASE per indicator and pooled interval coverage.

    ``backtests``: `dgm.engine.backtest.backtest_all()` (indicator, method, mase, smape, coverage80,
    coverage95, n_forecasts). Left: MASE (1 = as good as the naive forecast; dots are indicators,
    bar the median). Right: share of outcomes inside the 80 % and 95 % intervals, pooled over
    indicators weighted by the number of forecasts, against the nominal coverage.
    """
    import numpy as np
    from matplotlib.lines import Line2D

    bt = backtests.copy()
    methods = sorted(
        bt["method"].astype(str).unique(),
        key=lambda m: (m == "ensemble", list(METHODS).index(m) if m in METHODS else 99),
    )
    mlabel = [pick(*METHODS.get(m, (m, m)), lang, "\n") for m in methods]
    height = 1.2 + 0.3 * len(methods) * (1.5 if lang == "both" else 1)
    foot = t("backtest_note", lang, "\n")
    fig, gs = canvas(size, foot, height=height, ncols=2, width_ratios=[1.25, 1], wspace=0.05)
    ax1 = fig.add_subplot(gs[0, 0])
    ax2 = fig.add_subplot(gs[0, 1], sharey=ax1)
    rng = np.random.default_rng(0)
    for i, m in enumerate(methods):
        sub = bt[bt["method"].astype(str) == m]
        v = sub["mase"].astype(float).dropna()
        jitter = rng.uniform(-0.18, 0.18, len(v))
        colour = OKABE_ITO["vermillion"] if m == "ensemble" else style.OBSERVED
        ax1.plot(
            v.values, i + jitter, ls="none", marker="o", ms=3, color=mix(colour, 0.55), zorder=2
        )
        if len(v):
            med = float(np.median(v))
            ax1.plot([med, med], [i - 0.32, i + 0.32], color=colour, lw=2.2, zorder=3)
        w = sub["n_forecasts"].astype(float)
        for q, col, marker in ((80, "coverage80", "o"), (95, "coverage95", "s")):
            c = sub[col].astype(float)
            ok = c.notna() & w.gt(0)
            if ok.any():
                pooled = 100 * float((c[ok] * w[ok]).sum() / w[ok].sum())
                ax2.plot(
                    [pooled],
                    [i + (-0.15 if q == 80 else 0.15)],
                    marker=marker,
                    ms=4.5,
                    ls="none",
                    color=OKABE_ITO["blue"] if q == 80 else OKABE_ITO["orange"],
                    zorder=3,
                )
    ax1.axvline(1, color="#666666", lw=0.8, ls=":")
    ax1.text(
        1, -0.75, " " + t("naive", lang), fontsize=style.BASE_FONT_PT - 1.5, color=GREY, va="bottom"
    )
    ax1.set_yticks(range(len(methods)), mlabel)
    ax1.set_ylim(len(methods) - 0.5, -0.9)
    ax1.set_xlabel(t("mase", lang, sep="\n"))
    ax1.set_xlim(left=0)
    for ax in (ax1, ax2):
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
    for q, colour in ((80, OKABE_ITO["blue"]), (95, OKABE_ITO["orange"])):
        ax2.axvline(q, color=colour, lw=0.8, ls=":")
    ax2.set_xlim(0, 100)
    ax2.set_xlabel(t("interval_coverage", lang, "\n"))
    ax2.tick_params(axis="y", labelleft=False, length=0)
    ax2.legend(
        [
            Line2D([], [], ls="none", marker="o", ms=4.5, color=OKABE_ITO["blue"]),
            Line2D([], [], ls="none", marker="s", ms=4.5, color=OKABE_ITO["orange"]),
            Line2D([], [], ls=":", color="#666666"),
        ],
        [
            t("interval80", lang),
            t("interval95", lang),
            t("nominal", lang),
        ],
        loc="lower left",
        fontsize=style.BASE_FONT_PT - 1.5,
    )
    add_title(fig, t("backtest_title", lang, sep="\n"))
    return fig
