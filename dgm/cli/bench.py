"""`dgm bench [--json] [--quick]`: timings measured in one run, each with its goal (dgm.run.bench)."""

from dgm.cli.options import add_json

HELP = "timings measured in one run"


def add_arguments(p) -> None:
    """The flags of `dgm bench`."""
    add_json(p)
    p.add_argument("--quick", action="store_true", help="skip the notebook timings (minutes)")


def run(args) -> int:
    """Print the timings with their goals."""
    import json

    from dgm.run import bench

    results = bench.run(quick=args.quick)
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    for key, value in results.items():
        if key != "goals":
            goal = bench.GOALS.get(key)
            verdict = (
                ""
                if goal is None
                else f"  (goal ≤ {goal:g}: {'met' if value <= goal else 'NOT met'})"
            )
            print(f"{key:<28} {value:10.4f}{verdict}")
    return 0
