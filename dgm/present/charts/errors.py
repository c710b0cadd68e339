"""Backtest records → the distribution of forecast errors by horizon and method, drawn with
seaborn in the house style (`error_chart`).

The error is scaled: (outcome − median forecast) ÷ the forecast's MASE scale, the in-sample mean
absolute yearly change of its training data at the origin (natural units of the indicator), so
errors of indicators in 亿元, % and counts pool; above 0 the outcome came out higher than the
forecast, and its absolute value is the absolute scaled error whose mean is the MASE.
"""

from __future__ import annotations

from dgm.labels import source_ids, source_note, t
from dgm.lang import pick
from dgm.present import style
from dgm.present.charts.figure import add_title, canvas, legend, styled
from dgm.words import METHODS

SHOWN = ("naive_drift", "theta", "ensemble")  # the benchmark, the field's standard, dgm's
COLOURS = {  # one colour per method shown (Okabe–Ito); the ensemble as in backtest_chart
    "naive_drift": style.OKABE_ITO["sky_blue"],
    "theta": style.OKABE_ITO["green"],
    "ensemble": style.OKABE_ITO["vermillion"],
}
MEDIAN = "error_chart_median"  # gid of each box's median line


def scaled_errors(records, methods=SHOWN):
    """One row per forecast of `methods` in dgm.engine.backtest.backtest_records(): indicator, method,
    origin, h (years after the origin), vintage and scaled_error (see the module)."""
    recs = records[records["method"].isin(methods)]
    error = (recs["actual"] - recs["forecast"]) / recs["scale_abs"]
    keep = recs[["indicator", "method", "origin", "h", "vintage"]]
    return keep.assign(h=keep["h"].astype(int), scaled_error=error.astype(float))


@styled
def error_chart(records, *, methods=SHOWN, outcomes=None, sources=None, lang="zh", size="full"):
    """Box plots of the scaled forecast errors (see the module) by horizon, one colour per method.

    ``records``: `dgm.engine.backtest.backtest_records()` (one vintage); ``outcomes``: the figures they
    were scored against (`dgm.engine.backtest.outcome_figures`), whose documents the footnote names from
    ``sources``.
    Boxes hold the middle half of the errors, the line is the median (gid MEDIAN), whiskers reach
    the last error within 1.5 box lengths, dots are the errors beyond.
    """
    import warnings

    import seaborn as sns

    errors = scaled_errors(records, methods)
    shown = [m for m in methods if m in set(errors["method"])]
    horizons = sorted(errors["h"].unique())
    (vintage,) = errors["vintage"].unique()
    names = {m: pick(*METHODS.get(m, (m, m)), lang, " · ") for m in shown}
    data = errors.assign(method=errors["method"].map(names))
    notes = [  # the vintage's words in each language of the note
        t(
            "error_note",
            one,
            vintage=t(f"vintage_{vintage}", one),
            n=len(errors),
            k=errors["indicator"].nunique(),
        )
        for one in ("zh", "en")
    ]
    sourced = source_note(source_ids(outcomes), sources, lang)
    foot = "\n".join(filter(None, [pick(*notes, lang, "\n"), sourced]))
    with style.seaborn_theme():
        fig, gs = canvas(size, foot, theme=style.seaborn_theme)
        ax = fig.add_subplot(gs[0, 0])
        ax.axhline(0, color=style.GREY, lw=0.8, ls=":", zorder=1)
        with warnings.catch_warnings():  # seaborn 0.13.2 calls bxp(vert=…), deprecated in
            # Matplotlib 3.11; fixed in seaborn's main branch (mwaskom/seaborn#3820), not released
            warnings.filterwarnings("ignore", "vert: bool was deprecated", DeprecationWarning)
            sns.boxplot(
                data=data,
                x="h",
                y="scaled_error",
                hue="method",
                order=horizons,
                hue_order=[names[m] for m in shown],
                palette={names[m]: COLOURS.get(m, style.GREY) for m in shown},
                width=0.75,
                fliersize=2,
                linewidth=0.7,
                medianprops={"gid": MEDIAN, "linewidth": 1.4},
                ax=ax,
            )
        ax.set_xlabel(t("horizon", lang))
        ax.set_ylabel(t("scaled_error", lang, sep="\n"))
        handles, labels = ax.get_legend_handles_labels()
        legend(ax, list(zip(handles, labels, strict=True)), ncol=len(shown), below="above")
        add_title(fig, t("error_title", lang, sep="\n"))
    return fig
