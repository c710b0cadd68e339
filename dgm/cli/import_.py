"""`dgm import FILE [--name NAME]`: a user's .xlsx/.csv of figures → a new raw file (dgm.data.importer).

The module is `import_` because `import` is a Python keyword; the command stays `dgm import`.
"""

HELP = "add a user's .xlsx/.csv of figures to data/raw"


def add_arguments(p) -> None:
    """The flags of `dgm import`."""
    p.add_argument("file", help="an .xlsx or .csv laid out like data/templates/")
    p.add_argument("--name", help="name of the new raw file (default: from FILE)")


def run(args) -> int:
    """`dgm import FILE [--name NAME]`: exit 0 and list the new files, or list the problems and exit 1."""
    import sys
    from pathlib import Path

    from dgm import paths
    from dgm.data import locks
    from dgm.data.importer import import_file
    from dgm.errors import capped

    source = Path(args.file)
    if not source.is_file():
        print(
            f"{source}:0:-: no such file (expected an .xlsx or .csv laid out like data/templates/)"
        )
        return 1
    with locks.project("import"):  # a second import waits, then sees this one's rows
        problems, written = import_file(source, args.name)
    for line in capped([str(p) for p in problems]):
        print(line)
    if problems:
        print(f"nothing imported: {len(problems)} problem(s); data/raw unchanged", file=sys.stderr)
        return 1
    for path in written:
        print(f"added {path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path}")
    return 0
