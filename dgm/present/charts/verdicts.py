"""Verdict charts from assessment records: required versus observed yearly rates (`rate_chart`)
and the scorecard heat table (`scorecard_chart`)."""

from __future__ import annotations

from dgm.constants import STATUSES
from dgm.labels import COMPARISON, cell, fmt_value, row_label, source_note, t, wrap
from dgm.lang import pick
from dgm.present import style
from dgm.present.charts.figure import add_title, canvas, legend, mix, no_data, styled, value_axis_x
from dgm.present.style import GOAL, OKABE_ITO, SIZES
from dgm.words import EVIDENCE_LABELS, STATUS_LABELS

STATUS_COLOURS = {  # colour is never the only cue: the word is in the cell
    "met": OKABE_ITO["green"],
    "on_track": OKABE_ITO["green"],
    "acceleration_needed": OKABE_ITO["yellow"],
    "limited_progress": OKABE_ITO["orange"],
    "deterioration": OKABE_ITO["vermillion"],
    "not_met": OKABE_ITO["vermillion"],
    "insufficient_data": "#BBBBBB",
}
STATUS = {s: (*STATUS_LABELS[s], STATUS_COLOURS[s]) for s in STATUSES}  # status → (zh, en, colour)


def _records(assessment):
    """Assessment as a list of dicts (accepts a list of dicts or a DataFrame)."""
    if hasattr(assessment, "to_dict"):
        return assessment.to_dict("records")
    return list(assessment)


def _goal_rows(registry) -> dict:
    """Goal registry rows by id (accepts a DataFrame, a list of dicts or None)."""
    if registry is None:
        return {}
    rows = registry.to_dict("records") if hasattr(registry, "to_dict") else list(registry)
    return {str(r["id"]): r for r in rows}


@styled
def rate_chart(assessment, registry=None, *, sources=None, lang: str = "zh", size="full"):
    """Required versus observed compound yearly rate for every goal that has both (dumbbells).

    ``assessment``: `dgm.engine.assess` records (target_id, required_rate, observed_rate as fractions per
    year, rate_ratio, status); ``registry``: the goal registry (labels). Sorted by rate_ratio.
    """
    from matplotlib.lines import Line2D

    rows = _goal_rows(registry)
    recs = [
        r
        for r in _records(assessment)
        if cell(r, "required_rate") is not None and cell(r, "observed_rate") is not None
    ]
    recs.sort(key=lambda r: cell(r, "rate_ratio", 0.0))
    height = max(1.6, 0.32 * len(recs) * (1.6 if lang == "both" else 1) + 1.0)
    foot = source_note(
        [],
        sources,
        lang,
        extra=t("rate_note", lang, "\n"),
    )
    foot = t("goal_source", lang, sep=" / ") + "\n" + foot
    fig, gs = canvas(size, foot, height=height)
    ax = fig.add_subplot(gs[0])
    if not recs:
        no_data(ax, lang)
    for i, r in enumerate(recs):
        req, obs_ = 100 * float(r["required_rate"]), 100 * float(r["observed_rate"])
        ax.plot([obs_, req], [i, i], color="#BBBBBB", lw=2.2, zorder=1, solid_capstyle="butt")
        ax.plot([req], [i], marker="D", ms=5.5, mfc="white", mec=GOAL, mew=1.4, zorder=3)
        ax.plot([obs_], [i], marker="o", ms=5.5, color=style.OBSERVED, zorder=3)
    labels = [
        wrap(
            row_label(rows.get(str(r["target_id"]), {"id": r["target_id"]}), lang, sep="\n"),
            46,
        )
        for r in recs
    ]
    ax.set_yticks(range(len(recs)), labels)
    ax.set_ylim(len(recs) - 0.5, -0.5)
    ax.axvline(0, color="#666666", lw=0.6)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(t("per_year", lang))
    value_axis_x(ax)
    legend(
        ax,
        [
            (
                Line2D([], [], ls="none", marker="D", ms=5.5, mfc="white", mec=GOAL, mew=1.4),
                t("required_rate", lang),
            ),
            (
                Line2D([], [], ls="none", marker="o", ms=5.5, color=style.OBSERVED),
                t("observed_rate", lang),
            ),
        ],
        ncol=2,
        below="above",
    )
    add_title(fig, t("rate_title", lang, sep="\n"))
    return fig


def _cols_for(width_in: float, pt: float) -> int:
    """Wrap width in columns for a text box ``width_in`` wide at ``pt`` points (CJK = 2)."""
    return max(6, int(width_in * 72 / (pt * 0.55)))


@styled
def scorecard_chart(assessment, registry=None, *, sources=None, lang: str = "zh", size="full"):
    """Scorecard as a heat table: goal, goal value, latest figure, rates, P(goal met), status.

    Status cells are coloured by verdict (and say it in words); the P column is shaded by
    probability. ``assessment``: `dgm.engine.assess` records; ``registry``: the goal registry (labels, clause).
    Rows grow to fit wrapped labels, so the table suits A4 in all three languages.
    """
    from matplotlib.patches import Rectangle

    from dgm.present.readings import headline, latest_decimals

    rows = _goal_rows(registry)
    recs = _records(assessment)
    heads = [
        t("goal", lang, " · "),
        t("goal_value", lang, "\n"),
        t("latest", lang, "\n"),
        t("required_short", lang, "\n") + pick("\n(%)", "\n(% a year)", lang, ""),
        t("observed_short", lang, "\n") + pick("\n(%)", "\n(% a year)", lang, ""),
        t("p_met", lang, "\n"),
        t("status", lang, sep="\n"),
    ]
    widths = [0.35, 0.12, 0.13, 0.075, 0.075, 0.075, 0.175]
    w_in = (SIZES[size] if isinstance(size, str) else size)[0]
    fs = style.BASE_FONT_PT - (1.5 if lang == "both" else 0.5)
    table = []
    for r in recs:
        g = rows.get(str(r.get("target_id")), {})
        unit = cell(r, "unit") or cell(g, "unit")
        label = row_label(g or {"id": r.get("target_id")}, lang, sep="\n")
        label = wrap(label, _cols_for(widths[0] * w_in - 0.05, fs))
        tg = {
            **g,
            **{
                k: r[k]
                for k in ("target_value", "target_year", "comparison")
                if cell(r, k) is not None
            },
        }
        cmp_ = COMPARISON.get(str(cell(tg, "comparison", "")), "")
        goal = f"{cmp_}{fmt_value(cell(tg, 'target_value'), unit)}"
        if cell(tg, "target_year"):
            goal += f"\n({int(cell(tg, 'target_year'))})"
        lv, ly, lk = cell(r, "latest_value"), cell(r, "latest_year"), cell(r, "latest_kind")
        mark = {"lower_bound": "≥", "upper_bound": "≤", "approx": "~"}.get(str(lk), "")
        places = None if lv is None or ly is None else latest_decimals({**r, "unit": unit})
        latest = "–" if lv is None else f"{mark}{fmt_value(lv, unit, places)}"
        if lk == "estimate":
            latest += " e"
        if ly is not None and lv is not None:
            latest += f"\n({int(ly)})"
        req, obs_, p = cell(r, "required_rate"), cell(r, "observed_rate"), cell(r, "p_attain")
        status = str(cell(r, "status", "insufficient_data"))
        zh, en, colour = STATUS.get(status, (status, status, "#BBBBBB"))
        if (cell(r, "robustness") or {}).get("fragile"):
            zh, en = zh + " †", en + " †"
        tier = EVIDENCE_LABELS.get(str(cell(r, "evidence", "")))
        if tier:  # what the verdict rests on, under the status word
            zh, en = f"{zh}\n〔{tier[0]}〕", f"{en}\n[{tier[1]}]"
        cells = [
            label,
            goal,
            latest,
            "–" if req is None else fmt_value(100 * float(req), None, 1),
            "–" if obs_ is None else fmt_value(100 * float(obs_), None, 1),
            "–" if p is None else f"{100 * float(p):.0f}%",
            pick(zh, en, lang, "\n"),
        ]
        table.append((cells, p, colour))
    line = fs * 1.25 / 72  # inches per text line
    pad = 0.07
    heights = [max(c.count("\n") + 1 for c in cells) * line + pad for cells, _, _ in table]
    head_h = max(h.count("\n") + 1 for h in heads) * line + pad
    body_h = sum(heights) + head_h
    foot = source_note(
        [],
        sources,
        lang,
        extra=t("scorecard_note", lang, "\n") + "\n" + headline(recs, lang),
    )
    foot = t("goal_source", lang, sep=" / ") + "\n" + foot
    fig, gs = canvas(size, foot, height=body_h + 0.45)
    ax = fig.add_subplot(gs[0])
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(body_h, 0)
    xs = [sum(widths[:i]) for i in range(len(widths))]
    for x, head in zip(xs, heads, strict=True):
        ax.text(
            x + 0.006,
            head_h - pad / 2,
            head,
            ha="left",
            va="bottom",
            fontsize=fs,
            color="#222222",
            linespacing=1.15,
        )
    ax.plot([0, 1], [head_h, head_h], color="#333333", lw=0.8)
    y = head_h
    for i, ((cells, p, colour), h) in enumerate(zip(table, heights, strict=True)):
        if i % 2 == 1:
            ax.add_patch(Rectangle((0, y), 1, h, color="#F4F4F4", lw=0, zorder=0))
        if p is not None:
            ax.add_patch(
                Rectangle(
                    (xs[5], y + 0.02),
                    widths[5] - 0.004,
                    h - 0.04,
                    color=mix(style.OBSERVED, 0.1 + 0.6 * float(p)),
                    lw=0,
                    zorder=1,
                )
            )
        ax.add_patch(
            Rectangle(
                (xs[6], y + 0.02), widths[6], h - 0.04, color=mix(colour, 0.55), lw=0, zorder=1
            )
        )
        for j, (x, text) in enumerate(zip(xs, cells, strict=True)):
            dark = j == 5 and p is not None and float(p) > 0.6
            ax.text(
                x + 0.006,
                y + h / 2,
                text,
                ha="left",
                va="center",
                fontsize=fs,
                zorder=2,
                color="white" if dark else "#111111",
                linespacing=1.15,
            )
        y += h
    ax.plot([0, 1], [y, y], color="#333333", lw=0.6)
    add_title(fig, t("scorecard_title", lang, sep="\n"))
    return fig
