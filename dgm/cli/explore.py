"""`dgm explore [--port N] [--lang zh|en|both]`: serve the scenario explorer (dgm.present.explorer)
as a Voilà web app on 127.0.0.1 until Ctrl-C (dgm.run.explore)."""

from dgm.cli.options import port
from dgm.lang import DEFAULT_LANG, LANGS

HELP = "serve the scenario explorer as a web app (Voilà)"


def add_arguments(p) -> None:
    """The flags of `dgm explore`."""
    p.add_argument(
        "--port",
        type=port,
        default=8866,
        help="port on 127.0.0.1 (default 8866; 0: any free one)",
    )
    p.add_argument("--lang", choices=list(LANGS), default=DEFAULT_LANG)


def run(args) -> int:
    """`dgm explore [--port N] [--lang zh|en|both]`: serve the explorer until Ctrl-C."""
    import signal
    import sys

    from dgm.run.explore import serve, stop

    # `kill` (SIGTERM) unwinds like Ctrl-C, so Voilà and its kernel never outlive the command
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        proc, url, tmp = serve(args.port, args.lang)
    except RuntimeError as err:
        print(f"dgm explore: {err}", file=sys.stderr)
        return 2
    print(f"dgm explore: the scenario explorer is at {url}  (Ctrl-C stops it)", flush=True)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop(proc, tmp)
