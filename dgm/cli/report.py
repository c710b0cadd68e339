"""`dgm report [--out DIR] [--lang zh|en|both] [--edition reader|reviewer|both] [--jobs N]
[--only NAME ...] [--fresh]`: execute the notebooks, write HTML, figures and the workbook
(dgm.run.report); jobs whose inputs did not change are taken from the cache (dgm.run.report_cache)."""

from dgm.cli.options import at_least
from dgm.lang import DEFAULT_LANG, LANGS

HELP = "execute the notebooks, write HTML, figures, Excel"


def add_arguments(p) -> None:
    """The flags of `dgm report`."""
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
    p.add_argument(
        "--fresh",
        action="store_true",
        help="run every job, even those unchanged since the last run (and refresh the cache)",
    )


def run(args) -> int:
    """`dgm report [--out DIR] [--lang zh|en|both] [--edition reader|reviewer|both] [--jobs N]
    [--only NAME ...] [--fresh]`; 0 when all ran. `kill` (SIGTERM) stops it as Ctrl-C does."""
    import json
    import signal
    import sys

    from dgm.run.report import run_report

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        results = run_report(
            out=args.out,
            lang=args.lang,
            edition=getattr(args, "edition", "both"),
            jobs=args.jobs,
            only=args.only,
            fresh=getattr(args, "fresh", False),
            echo=lambda line: print(line, flush=True),
        )
    except ValueError as err:
        print(f"dgm report: {err}", file=sys.stderr)
        return 1
    if getattr(args, "json", False):
        print(json.dumps([r.__dict__ for r in results], ensure_ascii=False))
    return 0 if all(r.ok for r in results) else 1


def _interrupt(signum, frame) -> None:
    """SIGTERM in `dgm report`: unwind as Ctrl-C does (kernels stopped, work directory removed);
    a second one is ignored, so it cannot cut the cleanup short."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt
