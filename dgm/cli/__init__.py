"""dgm: the goals of Dongguan Manufacturing 2025 with sourced data, projections and verdicts.

Usage `dgm COMMAND …` (also `python -m dgm`); each command is one module of this package
(COMMANDS) holding its flags (`add_arguments`), its one-line help (`HELP`) and its body (`run`,
which takes the parsed args and returns the exit code). The command modules import only what
their flags need at module level, so building the parser stays light.
"""

import argparse
import importlib
import os
import sys

from dgm.errors import DgmError, excerpt

# command -> the module that holds it, in the order `dgm --help` lists them
COMMANDS = {
    "targets": "dgm.cli.targets",
    "check": "dgm.cli.check",
    "build": "dgm.cli.build",
    "coverage": "dgm.cli.coverage",
    "import": "dgm.cli.import_",
    "assess": "dgm.cli.assess",
    "gaps": "dgm.cli.gaps",
    "backtest": "dgm.cli.backtest",
    "bench": "dgm.cli.bench",
    "report": "dgm.cli.report",
    "explore": "dgm.cli.explore",
}


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
    for name, module in COMMANDS.items():
        command = importlib.import_module(module)
        command.add_arguments(sub.add_parser(name, help=command.HELP, description=command.HELP))
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
    if _root_problem():
        print(f"dgm: {_root_problem()}", file=sys.stderr)
        return 1
    try:
        return int(importlib.import_module(COMMANDS[args.command]).run(args) or 0)
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
