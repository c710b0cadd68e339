"""`dgm targets [--json] [--wide]`: the goal registry (data/raw/targets.csv) as a table or JSON."""

from dgm.cli.options import add_json, add_wide

HELP = "print the goal registry (data/raw/targets.csv)"


def add_arguments(p) -> None:
    """The flags of `dgm targets`."""
    add_json(p)
    add_wide(p)


def run(args) -> int:
    """`dgm targets [--json]`: print the goal registry as a table or a JSON array."""
    import json

    from dgm.data.loaders import load_targets
    from dgm.present.goal_registry import TARGETS_FILE, registry_records, registry_table

    if getattr(args, "json", False):
        print(json.dumps(registry_records(), ensure_ascii=False, indent=1))
    else:
        df = load_targets()
        print(registry_table(df, wide=getattr(args, "wide", False)))
        print(f"\n{len(df)} targets; quotes and notes: dgm targets --json, or {TARGETS_FILE}")
    return 0
