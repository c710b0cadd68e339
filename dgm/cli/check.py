"""`dgm check [PATH ...]`: validate raw data files, one line per problem (dgm.data.validate)."""

HELP = "validate raw data files; one line per problem"


def add_arguments(p) -> None:
    """The flags of `dgm check`."""
    p.add_argument("paths", nargs="*", help="files or directories (default: data/raw)")


def run(args) -> int:
    """`dgm check [PATH ...]`: exit 0 when clean (identity warnings printed, still 0), else one line
    per problem and exit 1."""
    import sys

    from dgm import paths
    from dgm.data.validate import check_paths, identity_warnings
    from dgm.errors import capped

    targets = args.paths or [paths.RAW]
    problems, count = check_paths(targets)
    for line in capped([str(p) for p in problems]):
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) in {count} file(s)", file=sys.stderr)
        return 1
    notes = identity_warnings(targets)
    for line in capped(notes):
        print(line)
    more = f"; {len(notes)} warning(s): figures that break an identity (they do not stop the build)"
    print(f"ok: {count} file(s), no problems" + (more if notes else ""))
    return 0
