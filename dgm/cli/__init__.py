"""dgm: the goals of Dongguan Manufacturing 2025 with sourced data, projections and verdicts.

Usage `dgm COMMAND …` (also `python -m dgm`); each command lives in its own module (COMMANDS).
"""

import argparse
import datetime as dt
import importlib
import os
import sys

from dgm.constants import N_PATHS, SEED
from dgm.errors import DgmError, excerpt
from dgm.lang import DEFAULT_LANG, LANGS

YEARS = (1949, 2100)  # years a figure or a view can refer to (the PRC's statistics start in 1949)

# command -> (module, function, one-line help). The function takes the parsed args, returns an exit code.
COMMANDS = {
    "targets": (
        "dgm.present.targets_table",
        "main_targets",
        "print the goal registry (data/raw/targets.csv)",
    ),
    "check": ("dgm.data.validate", "main_check", "validate raw data files; one line per problem"),
    "build": ("dgm.data.build", "main_build", "check, then rebuild data/processed/"),
    "coverage": ("dgm.data.coverage", "main_coverage", "indicator × year coverage matrix"),
    "import": (
        "dgm.data.importer",
        "main_import",
        "add a user's .xlsx/.csv of figures to data/raw",
    ),
    "assess": ("dgm.engine.assess", "main_assess", "assess every goal: status, rates, P(goal met)"),
    "gaps": (
        "dgm.engine.gaps",
        "main_gaps",
        "the missing figures that would settle each goal, ranked; --template writes them to fill",
    ),
    "backtest": (
        "dgm.engine.backtest",
        "main_backtest",
        "rolling-origin backtests of the forecasters",
    ),
    "bench": ("dgm.run.bench", "main_bench", "timings measured in one run"),
    "report": (
        "dgm.run.report",
        "main_report",
        "execute the notebooks, write HTML, figures, Excel",
    ),
    "explore": (
        "dgm.present.explorer",
        "main_explore",
        "serve the scenario explorer as a web app (Voilà)",
    ),
}


def _year(text: str) -> int:
    """A year within YEARS, or an argparse error that says what was expected."""
    lo, hi = YEARS
    try:
        year = int(text)
    except ValueError:
        year = None
    if year is None or not lo <= year <= hi:
        raise argparse.ArgumentTypeError(
            f"expected a year from {lo} to {hi}, got '{excerpt(text)}'"
        )
    return year


def as_of_date(text: str):
    """--as-of: a year (2014, meaning its last day) or an ISO date (2015-01-20) -> int or date."""
    if str(text).strip().isdigit():
        return _year(text)
    try:
        day = dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a year (2014) or a date (2015-01-20), got '{excerpt(text)}'"
        ) from None
    _year(str(day.year))
    return day


def at_least(low: int):
    """argparse type: a whole number >= `low`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low:
            raise argparse.ArgumentTypeError(
                f"expected a whole number ≥ {low}, got '{excerpt(text)}'"
            )
        return value

    return parse


def port(text: str) -> int:
    """--port: a TCP port, 0 to 65535 (0: any free port)."""
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"expected a port from 0 to 65535 (0: any free port), got '{excerpt(text)}'"
        )
    return value


def _add_arguments(name: str, p: argparse.ArgumentParser) -> None:
    """Declare each command's flags (the flags are a contract: keep them)."""
    if name in ("targets", "coverage", "assess", "backtest", "bench", "gaps"):
        p.add_argument("--json", action="store_true", help="emit JSON instead of a table")
    if name in ("targets", "coverage", "assess", "backtest", "gaps"):
        p.add_argument(
            "--wide", action="store_true", help="all columns in full, however wide the terminal"
        )
    if name == "check":
        p.add_argument("paths", nargs="*", help="files or directories (default: data/raw)")
    if name == "coverage":
        p.add_argument("--conflicts", action="store_true", help="list figures that disagree")
    if name == "import":
        p.add_argument("file", help="an .xlsx or .csv laid out like data/templates/")
        p.add_argument("--name", help="name of the new raw file (default: from FILE)")
    if name == "assess":
        p.add_argument(
            "--as-of",
            type=as_of_date,
            dest="as_of",
            metavar="YEAR|DATE",
            help="use only figures published by then (a year means its 31 December)",
        )
        p.add_argument(
            "--data-to",
            type=_year,
            dest="data_to",
            metavar="YEAR",
            help="use figures for years up to YEAR from any vintage (pseudo-real-time)",
        )
        p.add_argument(
            "--paths", type=at_least(1), default=N_PATHS, dest="n_paths", help="simulated paths"
        )
        p.add_argument("--seed", type=at_least(0), default=SEED, help="random seed (≥ 0)")
    if name == "gaps":
        p.add_argument("--goal", metavar="ID", help="one goal only (an id from `dgm targets`)")
        p.add_argument(
            "--template",
            metavar="FILE.xlsx",
            help="write the observations workbook pre-filled with the figures to look up",
        )
        p.add_argument(
            "--top", type=at_least(1), default=3, help="figures shown (and templated) per goal"
        )
    if name == "backtest":
        p.add_argument(
            "--as-of",
            type=_year,
            dest="as_of",
            help="use only figures published by YEAR-12-31",
        )
        p.add_argument(
            "--vintage",
            choices=["real-time", "final"],
            default=None,
            help="train on the figures published by each origin (real-time) or on today's "
            "(final, pseudo-real-time); default: both, real-time first",
        )
        p.add_argument(
            "--records",
            action="store_true",
            help="one row per forecast (indicator, method, origin, horizon, target_year, point, "
            "q025, q10, q50, q90, q975, outcome, vintage) instead of the scores",
        )
    if name == "bench":
        p.add_argument("--quick", action="store_true", help="skip the notebook timings (minutes)")
    if name == "report":
        p.add_argument("--out", default=None, help="output directory (default: reports/)")
        p.add_argument("--lang", choices=list(LANGS), default=DEFAULT_LANG)
        p.add_argument(
            "--edition",
            choices=["reader", "reviewer", "both"],
            default="both",
            help="reader: pages without code; reviewer: full notebooks (default: both)",
        )
        p.add_argument("--jobs", type=at_least(1), default=2, help="notebooks run at once")
        p.add_argument("--only", nargs="+", metavar="NAME", help="run only these notebooks")
    if name == "explore":
        p.add_argument(
            "--port",
            type=port,
            default=8866,
            help="port on 127.0.0.1 (default 8866; 0: any free one)",
        )
        p.add_argument("--lang", choices=list(LANGS), default=DEFAULT_LANG)


class _Parser(argparse.ArgumentParser):
    """argparse with dgm's promise for a wrong flag: one line (no usage block) and exit 1."""

    def error(self, message: str):
        self.exit(1, f"{self.prog}: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    """The argparse parser with one sub-command per entry of COMMANDS."""
    top = _Parser(prog="dgm", description=__doc__.splitlines()[0])
    top.add_argument(
        "--debug", action="store_true", help="show the Python traceback when a command fails"
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (_, _, help_) in COMMANDS.items():
        _add_arguments(name, sub.add_parser(name, help=help_, description=help_))
    return top


def failure(err: BaseException) -> str:
    """The `dgm: …` text of an error: its own words for a DgmError, else what failed on which file."""
    problems = getattr(err, "problems", None)
    if isinstance(err, DgmError) and problems:  # a loader's DataError: the problems, then a count
        return f"{err}\ndgm: {len(problems)} problem(s) in the raw data; `dgm check` lists them"
    if isinstance(err, DgmError):
        return f"dgm: {err}"
    if isinstance(err, OSError) and err.strerror:
        where = f"{excerpt(err.filename, 200)}: " if err.filename else ""
        return f"dgm: {where}{err.strerror.lower()}"
    return (
        f"dgm: unexpected error {type(err).__name__}: {excerpt(err, 200)} "
        "(this is a bug in dgm; rerun with --debug for the traceback)"
    )


def _output_that_can_show_chinese() -> None:
    """Where stdout or stderr cannot encode Chinese (PYTHONIOENCODING=ascii, a C locale), show
    what it cannot as \\u escapes, and say so once, rather than fail."""
    weak = []
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "东莞≥…".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="backslashreplace")
                weak.append(encoding)
    if weak:
        print(
            f"dgm: the output encoding {weak[0]} cannot show Chinese; it is shown as \\u escapes "
            "(set PYTHONIOENCODING=utf-8 or a UTF-8 locale)",
            file=sys.stderr,
        )


def _root_problem() -> str | None:
    """Why $DGM_ROOT cannot be the project, or None (unset, or a directory)."""
    root = os.environ.get("DGM_ROOT")
    if root is None or os.path.isdir(root):
        return None
    return (
        f"DGM_ROOT={excerpt(root, 200)} is not a directory (expected the project directory, "
        "the one holding data/raw; or leave DGM_ROOT unset)"
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `dgm` console script: any failure is one `dgm: …` line and exit 1.

    DGM_RESULTS is dropped first: only the kernels of a report read a results store
    (dgm.data.results_store), never a command, nor anything a command starts.
    """
    from dgm.data.results_store import ENV

    os.environ.pop(ENV, None)
    _output_that_can_show_chinese()
    args = parser().parse_args(argv)
    module, func, _ = COMMANDS[args.command]
    if _root_problem():
        print(f"dgm: {_root_problem()}", file=sys.stderr)
        return 1
    try:
        return int(getattr(importlib.import_module(module), func)(args) or 0)
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0
    except KeyboardInterrupt as err:
        detail = f"; {err}" if str(err) else ""
        print(f"dgm: interrupted{detail}", file=sys.stderr)
        return 130
    except Exception as err:
        if args.debug:
            raise
        print(failure(err), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
