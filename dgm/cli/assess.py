"""`dgm assess [--json] [--wide] [--as-of YEAR|DATE] [--data-to YEAR] [--paths N] [--seed S]`:
every goal's status, rates and P(goal met) (dgm.engine.assess) as a terminal table or JSON."""

from dgm.cli.options import add_json, add_wide, as_of_date, at_least, year
from dgm.constants import N_PATHS, SEED

HELP = "assess every goal: status, rates, P(goal met)"


def add_arguments(p) -> None:
    """The flags of `dgm assess`."""
    add_json(p)
    add_wide(p)
    p.add_argument(
        "--as-of",
        type=as_of_date,
        dest="as_of",
        metavar="YEAR|DATE",
        help="use only figures published by then (a year means its 31 December)",
    )
    p.add_argument(
        "--data-to",
        type=year,
        dest="data_to",
        metavar="YEAR",
        help="use figures for years up to YEAR from any vintage (pseudo-real-time)",
    )
    p.add_argument(
        "--paths", type=at_least(1), default=N_PATHS, dest="n_paths", help="simulated paths"
    )
    p.add_argument("--seed", type=at_least(0), default=SEED, help="random seed (≥ 0)")


def run(args) -> int:
    """`dgm assess [--json] [--as-of YEAR|DATE] [--data-to YEAR] [--paths N] [--seed S]`."""
    import json
    import time

    from dgm.engine.assess import assess_all, view_label
    from dgm.jsonsafe import plain

    t0 = time.perf_counter()
    as_of, data_to = getattr(args, "as_of", None), getattr(args, "data_to", None)
    n_paths = getattr(args, "n_paths", N_PATHS) or N_PATHS
    recs = assess_all(
        as_of=as_of, n_paths=n_paths, seed=getattr(args, "seed", SEED), data_to=data_to
    )
    if getattr(args, "json", False):
        print(json.dumps(plain(recs), ensure_ascii=False, indent=1))
    else:
        from dgm.present.readings import headline

        print(_table(recs, wide=getattr(args, "wide", False)))
        print(f"\n{headline(recs, 'en')}")
        print(
            f"{view_label(as_of, data_to)}; P(goal met) from {n_paths} "
            f"simulated paths (projections); {time.perf_counter() - t0:.2f} s"
        )
    return 0


def _table(recs, wide: bool = False) -> str:
    """A fixed-width table of the main fields."""

    def pct(v):
        return "" if v is None else f"{100 * v:.2f}%"

    def num(v, fmt="{:.2f}"):
        return "" if v is None else fmt.format(v)

    rows = [
        {
            "target_id": r["target_id"],
            "status": r["status"] + (" (fragile)" if r["robustness"]["fragile"] else ""),
            "evidence": r["evidence"],
            "basis": r["basis"] + (f" {r['basis_year']}" if r.get("basis_year") else ""),
            "latest": ""
            if r["latest_year"] is None
            else f"{r['latest_year']}: {r['latest_value']:g} ({r['latest_kind']})",
            "required": pct(r["required_rate"]),
            "observed": pct(r["observed_rate"]),
            "ratio": num(r["rate_ratio"]),
            "escap_gap": num(r["escap_gap"]),
            "unsd_q": num(r["unsd_q"]),
            "p_attain": num(r["p_attain"], "{:.3f}"),
            "crossing": "" if r["crossing_year_median"] is None else str(r["crossing_year_median"]),
        }
        for r in recs
    ]
    from dgm.present.termtable import render

    numbers = {"required", "observed", "ratio", "escap_gap", "unsd_q", "p_attain", "crossing"}
    return render(rows, right=numbers, wide=wide)
