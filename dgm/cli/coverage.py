"""`dgm coverage [--json] [--wide] [--conflicts]`: the indicator × year coverage matrix in the
terminal (dgm.data.coverage computes it), or the figures that disagree."""

from dgm.cli.options import add_json, add_wide

HELP = "indicator × year coverage matrix"


def add_arguments(p) -> None:
    """The flags of `dgm coverage`."""
    add_json(p)
    add_wide(p)
    p.add_argument("--conflicts", action="store_true", help="list figures that disagree")


def run(args) -> int:
    """`dgm coverage [--json] [--conflicts]`: the matrix (or the conflicting figures)."""
    import json

    from dgm.data.coverage import LETTER, coverage_matrix, coverage_summary
    from dgm.present.termtable import render_frame

    if args.conflicts:
        from dgm.data.build import conflicts_table

        table = conflicts_table()
        if args.json:
            print(json.dumps(table.to_dict("records"), ensure_ascii=False, indent=1, default=str))
        elif table.empty:
            print("no conflicts")
        else:
            print(render_frame(table, wide=getattr(args, "wide", False)))
        return 0
    matrix = coverage_matrix()
    if args.json:
        cells = [
            {"indicator": i, "year": int(y), "code": matrix.at[i, y]}
            for i in matrix.index
            for y in matrix.columns
        ]
        print(
            json.dumps(
                {"years": [int(y) for y in matrix.columns], "cells": cells}, ensure_ascii=False
            )
        )
        return 0
    width = max(len(i) for i in matrix.index)
    for digit in range(4):  # four-digit years, written downwards above their columns
        years = " ".join(f"{str(y)[digit]:>2}" for y in matrix.columns)
        print(" " * width + "  " + years + ("  points" if digit == 3 else ""))
    summary = coverage_summary(matrix)
    for ind, row in matrix.iterrows():
        print(
            f"{ind:<{width}}  "
            + " ".join(f"{LETTER[c]:>2}" for c in row)
            + f"  {summary.at[ind, 'points']:>3}"
        )
    print("\n" + "  ".join(f"{v} {k}" for k, v in LETTER.items()))
    return 0
