"""`dgm build`: check data/raw, then rebuild data/processed (dgm.data.build); writes only when clean."""

HELP = "check, then rebuild data/processed/"


def add_arguments(p) -> None:
    """`dgm build` has no flags of its own."""


def run(args) -> int:
    """`dgm build`: check data/raw; if clean, rebuild data/processed; else print problems, write nothing."""
    from dgm.data import locks

    with locks.project("build"):  # no import changes data/raw while it is checked and built
        return _build()


def _build() -> int:
    """run() under the project lock."""
    import os
    import sys

    from dgm import paths
    from dgm.data.build import CURRENT, current_generation, processed_tables, publish
    from dgm.data.validate import check_paths, identity_warnings
    from dgm.errors import DgmError, capped

    problems, _ = check_paths([paths.RAW])
    if problems:
        for line in capped([str(p) for p in problems]):
            print(line)
        print(
            f"build stopped: {len(problems)} problem(s); data/processed left as it was",
            file=sys.stderr,
        )
        return 1
    tables = processed_tables()
    current = paths.PROCESSED / CURRENT
    if os.path.lexists(current) and current_generation(paths.PROCESSED) is None:
        what = f"a link to '{os.readlink(current)}'" if current.is_symlink() else "not a link"
        print(
            f"dgm build: {paths.shown(current)} was {what}, not to a generation; "
            "this build replaces it",
            file=sys.stderr,
        )
    try:
        publish(tables, paths.PROCESSED)
    except OSError as err:
        raise DgmError(
            f"build: cannot write {err.filename or paths.PROCESSED} ({err.strerror.lower()}); "
            "data/processed left as it was"
        ) from err
    for name, frame in tables.items():
        print(f"wrote {paths.PROCESSED.relative_to(paths.ROOT) / name} ({len(frame)} rows)")
    for line in capped(identity_warnings([paths.RAW])):
        print(line)
    return 0
