"""Command line: `dgm COMMAND …` (also `python -m dgm`). Each command lives in its own module."""

import argparse
import importlib
import sys

# command -> (module, function, one-line help). The function takes the parsed args, returns an exit code.
COMMANDS = {
    "targets": ("dgm.registry", "main_targets", "print the goal registry (data/raw/targets.csv)"),
    "check": ("dgm.validate", "main_check", "validate raw data files; one line per problem"),
    "build": ("dgm.build", "main_build", "check, then rebuild data/processed/"),
    "coverage": ("dgm.coverage", "main_coverage", "indicator × year coverage matrix"),
    "import": ("dgm.importer", "main_import", "add a user's .xlsx/.csv of figures to data/raw"),
    "assess": ("dgm.assess", "main_assess", "assess every goal: status, rates, P(goal met)"),
    "backtest": ("dgm.backtest", "main_backtest", "rolling-origin backtests of the forecasters"),
    "bench": ("dgm.bench", "main_bench", "timings measured in one run"),
    "report": ("dgm.report", "main_report", "execute the notebooks, write HTML, figures, Excel"),
    "explore": ("dgm.explorer", "main_explore", "serve the scenario explorer as a web app (Voilà)"),
}


def _add_arguments(name: str, p: argparse.ArgumentParser) -> None:
    """Declare each command's flags (the flags are a contract: keep them)."""
    if name in ("targets", "coverage", "assess", "backtest", "bench"):
        p.add_argument("--json", action="store_true", help="emit JSON instead of a table")
    if name == "check":
        p.add_argument("paths", nargs="*", help="files or directories (default: data/raw)")
    if name == "coverage":
        p.add_argument("--conflicts", action="store_true", help="list figures that disagree")
    if name == "import":
        p.add_argument("file", help="an .xlsx or .csv laid out like data/templates/")
        p.add_argument("--name", help="name of the new raw file (default: from FILE)")
    if name == "assess":
        p.add_argument(
            "--as-of", type=int, dest="as_of", help="use only figures published by YEAR-12-31"
        )
        p.add_argument("--paths", type=int, default=10_000, dest="n_paths", help="simulated paths")
        p.add_argument("--seed", type=int, default=2015, help="random seed")
    if name == "backtest":
        p.add_argument(
            "--as-of", type=int, dest="as_of", help="use only figures published by YEAR-12-31"
        )
    if name == "bench":
        p.add_argument("--quick", action="store_true", help="skip the notebook timings (minutes)")
    if name == "report":
        p.add_argument("--out", default=None, help="output directory (default: reports/)")
        p.add_argument("--lang", choices=["zh", "en", "both"], default="both")
        p.add_argument("--jobs", type=int, default=2, help="notebooks run at once")
        p.add_argument("--only", nargs="+", metavar="NAME", help="run only these notebooks")
    if name == "explore":
        p.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
        p.add_argument("--lang", choices=["zh", "en", "both"], default="both")


def parser() -> argparse.ArgumentParser:
    """The argparse parser with one sub-command per entry of COMMANDS."""
    top = argparse.ArgumentParser(prog="dgm", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (_, _, help_) in COMMANDS.items():
        _add_arguments(name, sub.add_parser(name, help=help_, description=help_))
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `dgm` console script."""
    args = parser().parse_args(argv)
    module, func, _ = COMMANDS[args.command]
    try:
        return int(getattr(importlib.import_module(module), func)(args) or 0)
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
