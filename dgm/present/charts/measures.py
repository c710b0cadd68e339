"""The policy's measures by programme and lead department, and by department (`measures_chart`)."""

from __future__ import annotations

from dgm.data.policy import departments
from dgm.labels import row_label, t, wrap
from dgm.lang import pick
from dgm.present import style
from dgm.present.charts.figure import add_title, canvas, styled
from dgm.present.style import PALETTE
from dgm.words import DEPARTMENTS_EN


def _dept_label(name: str, lang: str) -> str:
    """A department in lang (English from DEPARTMENTS_EN; the Chinese name when unknown)."""
    return pick(name, DEPARTMENTS_EN.get(name, name), lang, " · ")


@styled
def measures_chart(measures, *, lang: str = "zh", top: int = 12, size="full"):
    """The policy's measures by programme (bars split by lead department) and by department.

    ``measures``: measures.csv (programme_zh/en, departments; the first department named leads).
    Top: measures per programme, coloured by lead department (the 5 most frequent, others grey).
    Bottom: the ``top`` departments by the number of measures they take part in.
    """
    import pandas as pd
    from matplotlib.patches import Patch

    df = measures.copy()
    df["_depts"] = df["departments"].map(departments)
    df["_lead"] = df["_depts"].map(lambda d: d[0] if d else "—")
    prog_col = "programme_zh" if "programme_zh" in df else "programme"
    order = list(dict.fromkeys(df[prog_col].astype(str)))
    prog_label = {}
    for r in df.to_dict("records"):
        prog_label[str(r[prog_col])] = wrap(row_label(r, lang, prefix="programme", sep="\n"), 44)
    leads = df["_lead"].value_counts()
    main_leads = list(leads.index[:5])
    other = t("other_departments", lang, " · ")
    df["_lead_g"] = df["_lead"].where(df["_lead"].isin(main_leads), other)
    counts = pd.crosstab(df[prog_col].astype(str), df["_lead_g"]).reindex(order).fillna(0)
    cols = [c for c in main_leads if c in counts.columns] + (
        [other] if other in counts.columns else []
    )
    involve = pd.Series([d for ds in df["_depts"] for d in ds]).value_counts().head(top)
    k = 1.5 if lang == "both" else 1.0
    h1, h2 = 0.27 * len(order) * k + 0.9, 0.22 * len(involve) * k + 0.5
    foot = pick(
        t("goal_source", "zh")
        + "第三部分（重点工程）及第四部分；各措施所列第一个部门视为牵头部门。",
        t("goal_source", "en") + ", part 3 (programmes) and part 4; the first department "
        "listed for a measure is taken as its lead.",
        lang,
        "\n",
    )
    fig, gs = canvas(size, foot, height=h1 + h2 + 0.5, nrows=2, height_ratios=[h1, h2], hspace=0.08)
    ax1 = fig.add_subplot(gs[0, 0])
    ax2 = fig.add_subplot(gs[1, 0])
    left = pd.Series(0.0, index=counts.index)
    handles = []
    for i, c in enumerate(cols):
        colour = PALETTE[i] if c != other else "#BBBBBB"
        ax1.barh(
            range(len(order)),
            counts[c],
            left=left,
            color=colour,
            height=0.62,
            edgecolor="white",
            lw=0.5,
        )
        left += counts[c]
        handles.append(Patch(color=colour, label=_dept_label(c, lang) if c != other else other))
    for i, v in enumerate(left):
        ax1.text(v + 0.1, i, f"{int(v)}", va="center", fontsize=style.BASE_FONT_PT - 1)
    ax1.set_yticks(
        range(len(order)), [prog_label[p] for p in order], fontsize=style.BASE_FONT_PT - 1
    )
    ax1.set_ylim(len(order) - 0.5, -0.5)
    ax1.set_xlabel(t("measures_count", lang))
    ax1.set_xlim(0, float(left.max()) * 1.08 + 0.5)
    ax1.legend(
        handles=handles,
        title=t("lead_department", lang, " · "),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=style.BASE_FONT_PT - 1.5,
        title_fontsize=style.BASE_FONT_PT - 1,
        alignment="left",
    )
    ax1.set_title(
        t("measures_by_programme", lang, " · "),
        fontsize=style.BASE_FONT_PT,
        loc="left",
    )
    ax2.barh(range(len(involve)), involve.values, color=style.OBSERVED, height=0.62)
    for i, v in enumerate(involve.values):
        ax2.text(v + 0.2, i, f"{int(v)}", va="center", fontsize=style.BASE_FONT_PT - 1)
    ax2.set_yticks(
        range(len(involve)),
        [_dept_label(d, lang) for d in involve.index],
        fontsize=style.BASE_FONT_PT - 1,
    )
    ax2.set_ylim(len(involve) - 0.5, -0.5)
    ax2.set_xlim(0, float(involve.max()) * 1.08 + 1)
    ax2.set_xlabel(t("measures_involved", lang, " · "))
    ax2.set_title(
        pick(
            f"参与措施最多的{len(involve)}个部门",
            f"The {len(involve)} departments in most measures",
            lang,
            " · ",
        ),
        fontsize=style.BASE_FONT_PT,
        loc="left",
    )
    from matplotlib.ticker import MaxNLocator

    for ax in (ax1, ax2):
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    add_title(fig, t("measures_title", lang, sep="\n"))
    return fig
