"""`dgm gaps [--json] [--wide] [--goal ID] [--template FILE.xlsx] [--top N]`: the missing figures
that would settle each goal, ranked (dgm.engine.gaps), as terminal tables, JSON or a workbook to fill."""

from dgm.cli.options import add_json, add_wide, at_least

HELP = "the missing figures that would settle each goal, ranked; --template writes them to fill"


def add_arguments(p) -> None:
    """The flags of `dgm gaps`."""
    add_json(p)
    add_wide(p)
    p.add_argument("--goal", metavar="ID", help="one goal only (an id from `dgm targets`)")
    p.add_argument(
        "--template",
        metavar="FILE.xlsx",
        help="write the observations workbook pre-filled with the figures to look up",
    )
    p.add_argument(
        "--top", type=at_least(1), default=3, help="figures shown (and templated) per goal"
    )


def run(args) -> int:
    """`dgm gaps [--json] [--goal ID] [--template FILE.xlsx] [--top N]`."""
    import json
    import time

    from dgm.engine.gaps import (
        AROUND_GOAL,
        WHAT_IF_PATHS,
        find_gaps,
        headline,
        one_goal,
        template_rows,
    )
    from dgm.jsonsafe import plain

    t0 = time.perf_counter()
    goal = getattr(args, "goal", None)
    found = one_goal(goal) if goal else find_gaps()
    top = getattr(args, "top", 3)
    if getattr(args, "template", None):
        from dgm.data.importer import write_gaps_template

        rows = template_rows(found, top)
        path = write_gaps_template(args.template, rows)
        print(f"wrote {path}: {len(rows)} figures to look up (README sheet first)")
        return 0
    if getattr(args, "json", False):
        print(json.dumps(plain(found), ensure_ascii=False, indent=1))
        return 0
    print(_table(found, top, getattr(args, "wide", False)))
    head = "" if goal else headline(found)["text"] + "; "
    print(
        f"\n{head}low/mid/high: the forecast's 10/50/90 % quantiles, a derived figure's rounding "
        "interval, the neighbouring figures, the observed range or the "
        f"goal's threshold ± {100 * AROUND_GOAL:g} % (--json: values_from); P(goal met) from "
        f"{WHAT_IF_PATHS} simulated paths per what-if (projections); "
        f"{time.perf_counter() - t0:.1f} s"
    )
    return 0


def _pct(p) -> str:
    """A probability as whole percent ('' when missing)."""
    return "" if p is None else f"{100 * p:.0f}%"


def _table(found: list[dict], top: int, wide: bool) -> str:
    """The terminal text: per goal a line (id, status now, P(goal met)), then its top figures as
    a table (values supposed, status and P(goal met) under each, flip, where published)."""
    from dgm.present.termtable import render

    rows, blocks = [], []
    for g in found:
        now = g["status"] + (" (fragile)" if g["fragile"] else "")
        p = f", P(goal met) {_pct(g['p_attain'])}" if g["p_attain"] is not None else ""
        head = f"{g['target_id']}: {now}{p}" + (f"; {g['note']}" if g.get("note") else "")
        rows = [
            {
                "figure": f"{f['indicator']} "
                + "+".join(str(y) for y in [f["year"], *f["together_with"]]),
                "status (low / mid / high)": " / ".join(
                    f[k] for k in ("status_low", "status_mid", "status_high")
                ),
                "P(met)": " / ".join(_pct(f[k]) or "–" for k in ("p_low", "p_mid", "p_high")),
                "flip": "yes" if f["can_flip"] else "",
                "supposed": " / ".join(
                    f"{f[k]:g}" for k in ("value_low", "value_mid", "value_high")
                ),
                "where": f["where"].split("; ")[0],
            }
            for f in g["figures"][:top]
        ]
        blocks.append(head + ("\n" + render(rows, wide=wide) if rows else ""))
    return "\n\n".join(blocks)
