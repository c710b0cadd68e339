"""`dgm report --out DIR`: which directory is dgm's to replace, and how a run's work directory is
made, kept when the run fails and swapped in when it succeeds, never losing a file dgm did not write.

Beside DIR a run uses `.DIR.partial/` (its work directory), `DIR.failed/` (a failed run, kept for
inspection), `.DIR.old/` (the previous report during the swap), `.DIR.cache/` (the jobs' outputs
kept for the next run, dgm.run.report_cache) and `.DIR.lock` (dgm.data.locks).

A directory is dgm's only when it holds `.dgm-report` (SENTINEL): a regular file of this user,
not writable by group or others, in a directory of this user not writable by others, whose first
line is SENTINEL_HEADER and whose other lines list every file dgm wrote there. DIR, DIR.failed and
.DIR.old may be replaced only while they hold just those files and no link; a work directory
(WORK_HEADER, or any valid sentinel) is dgm's scratch space and wholly its own, and so is a cache
(CACHE_HEADER). Anything else, a
link in any of these places, the project or data/ is refused before any notebook runs, with one
`dgm: report --out …` line and nothing touched.

The swap is two renames (DIR → .DIR.old, .DIR.partial → DIR); a run killed between them leaves no
DIR, and the next run first renames .DIR.old back (`repair`), so the last good report is never lost.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from dgm import paths
from dgm.data.atomic import STALE, own_dir, remove_tree, write_text
from dgm.errors import DgmError

SENTINEL = ".dgm-report"  # in every report directory: the files dgm wrote there, one per line
SENTINEL_HEADER = (
    "# written by dgm report; dgm replaces this directory only while it holds just these files"
)
WORK_HEADER = "# dgm report work directory: a run in progress; everything here is dgm's"
CACHE_HEADER = (
    "# dgm report cache: the outputs of its jobs, keyed by their inputs; everything here is dgm's"
)
LEGACY_MARK = "# written by dgm report"  # the .gitignore of reports made before SENTINEL


def beside(out: Path) -> dict[str, Path]:
    """The paths a run of `--out out` uses beside it: work, failed, old, cache and lock."""
    return {
        "work": out.parent / f".{out.name}.partial",
        "failed": out.parent / f"{out.name}.failed",
        "old": out.parent / f".{out.name}.old",
        "cache": out.parent / f".{out.name}.cache",
        "lock": out.parent / f".{out.name}.lock",
    }


def _refuse(given: str, why: str) -> DgmError:
    """The one-line refusal of an --out directory."""
    return DgmError(f"report --out {given}: {why}; nothing was changed")


def resolve(given: str | os.PathLike | None) -> tuple[Path, str]:
    """(absolute path, as messages name it) of `--out` (default reports/); refuses '' and a link."""
    text = paths.shown(paths.REPORTS) if given is None else str(given)
    if not text.strip():
        raise _refuse("''", "is empty (expected a directory, e.g. reports/)")
    absolute = Path(os.path.abspath(paths.REPORTS if given is None else text))
    if os.path.islink(absolute):
        raise _refuse(
            text, f"{absolute} is a link (expected a directory; dgm never writes through a link)"
        )
    return (absolute.parent.resolve() / absolute.name if absolute.name else absolute), text


def listing(directory: Path) -> tuple[list[str], list[str]]:
    """(files, links) under `directory`, relative POSIX paths, sorted, the sentinel excluded; links
    (to files or directories) are listed, never followed."""
    files, links = [], []
    for top, dirs, names in os.walk(directory):
        rel = Path(top).relative_to(directory)
        for name in dirs + names:
            path = Path(top) / name
            if path.is_symlink():
                links.append((rel / name).as_posix())
            elif name in names and (rel / name).as_posix() != SENTINEL:
                files.append((rel / name).as_posix())
    return sorted(files), sorted(links)


def _not_private(st: os.stat_result, writable: int) -> str | None:
    """Why a file with this stat is not dgm's (another user's, or writable by `writable` bits)."""
    if st.st_uid != os.getuid():
        return "belongs to another user"
    if st.st_mode & writable:
        return "is writable by others"
    return None


def sentinel(directory: Path) -> tuple[str, set[str]] | str:
    """(header, files listed) of `directory`'s sentinel, or why it has none dgm can trust."""
    try:
        st = os.lstat(directory / SENTINEL)
    except OSError:
        return f"it has no {SENTINEL}"
    if not stat.S_ISREG(st.st_mode):
        return f"its {SENTINEL} is not a regular file"
    why = _not_private(st, 0o022) or _not_private(os.lstat(directory), 0o002)
    if why:
        where = SENTINEL if _not_private(st, 0o022) else "directory"
        return f"its {where} {why}"
    lines = (directory / SENTINEL).read_text(encoding="utf-8", errors="replace").splitlines()
    if not lines or lines[0] not in (SENTINEL_HEADER, WORK_HEADER, CACHE_HEADER):
        return f"its {SENTINEL} was not written by dgm"
    return lines[0], {line for line in lines[1:] if line}


def _check_dir(path: Path, given: str, role: str) -> None:
    """Refuse unless `path` (out, work, failed or old) is missing, empty and this user's, or dgm's."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):  # missing, or under a file (said below)
        return
    if stat.S_ISLNK(st.st_mode):
        raise _refuse(
            given,
            f"{path} is a link (expected a directory dgm report created; dgm never writes through a link)",
        )
    if not stat.S_ISDIR(st.st_mode):
        raise _refuse(given, f"{path} exists and is not a directory (expected a directory)")
    if not any(path.iterdir()):
        why = _not_private(st, 0o002)
        if why:
            raise _refuse(given, f"{path} {why} (expected a directory of yours)")
        return
    found = sentinel(path)
    if isinstance(found, str):
        legacy = path / ".gitignore"
        if legacy.is_file() and not legacy.is_symlink() and not (path / SENTINEL).exists():
            if legacy.read_text(errors="replace").startswith(LEGACY_MARK):
                found += ": a report of an older dgm); remove it or choose another directory"
                raise _refuse(given, f"{path} is not a directory dgm report created ({found}")
        raise _refuse(
            given,
            f"{path} is not a directory dgm report created ({found}); "
            "expected a new or empty directory",
        )
    header, written = found
    if role == "work":
        return  # a run's scratch space: everything in it is dgm's
    if role == "cache" and header == CACHE_HEADER:
        return  # the jobs' kept outputs (dgm.run.report_cache): everything in it is dgm's
    if role == "cache" or header == CACHE_HEADER:
        what = "a report, not a report's cache" if role == "cache" else "a report's cache"
        raise _refuse(given, f"{path} is {what} (expected a new or empty directory)")
    files, links = listing(path)
    if links and role == "out":
        raise _refuse(
            given,
            f"{path / links[0]} is a link (dgm writes its own files in a report directory; "
            "remove the link)",
        )
    foreign = [f for f in files + links if f not in written]
    if foreign:
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        fix = "move them or choose another directory" if role == "out" else "move them out of it"
        raise _refuse(
            given, f"{path} holds files dgm did not write ({', '.join(foreign[:3])}{more}); {fix}"
        )


def check(out: Path, given: str) -> None:
    """Raise DgmError unless dgm may replace `out` and use the paths beside it (see the module)."""
    root, data = paths.ROOT.resolve(), paths.DATA.resolve()
    if out == root or out in root.parents:
        raise _refuse(given, "is the project directory or contains it (expected e.g. reports/)")
    if out.is_relative_to(data):
        raise _refuse(given, "is inside data/ (expected a directory outside data/, e.g. reports/)")
    near = beside(out)
    for role, path in (
        ("out", out),
        ("work", near["work"]),
        ("failed", near["failed"]),
        ("old", near["old"]),
        ("cache", near["cache"]),
    ):
        _check_dir(path, given, role)
    lock = near["lock"]
    if os.path.lexists(lock) and not (lock.is_file() and not lock.is_symlink()):
        raise _refuse(
            given,
            f"{lock} is not a regular file (expected the lock file dgm makes there; remove it)",
        )
    existing = out.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise _refuse(given, f"{existing} is a file (expected a directory to write in)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise _refuse(given, f"cannot write in {existing} (permission denied)")


def repair(out: Path, echo=print) -> None:
    """Finish what a run killed between the swap's two renames left: no `out` but its .old → rename
    it back (the last good report stays the report)."""
    old = beside(out)["old"]
    if not os.path.lexists(out) and old.is_dir() and not old.is_symlink():
        if not isinstance(sentinel(old), str):
            os.rename(old, out)
            echo(
                f"dgm report: {out} restored from {old.name} (an earlier run was interrupted while swapping)"
            )


def mark(directory: Path, header: str = SENTINEL_HEADER) -> None:
    """Mark `directory` as dgm's, listing every file (and link) it holds now."""
    files, links = listing(directory)
    write_text(directory / SENTINEL, "\n".join([header, *sorted(files + links)]) + "\n")


def prepare(out: Path, given: str, copy: bool, echo=print) -> Path:
    """The run's fresh work directory (a copy of `out` when `copy`); call under out's lock."""
    repair(out, echo)
    check(out, given)
    work = beside(out)["work"]
    remove_tree(work)
    try:
        os.mkdir(work)
        if copy and out.is_dir():
            shutil.copytree(out, work, symlinks=True, dirs_exist_ok=True)
    except OSError as err:
        raise DgmError(f"report --out {given}: cannot create {work} ({err.strerror})") from err
    mark(work, WORK_HEADER)
    return work


def open_cache(cache: Path) -> Path:
    """The cache beside a report (`beside(out)["cache"]`), made and marked when missing, without
    the temporary files a killed run left in it; call under out's lock, after `check`."""
    own_dir(cache)
    if not (cache / SENTINEL).exists():
        write_text(cache / SENTINEL, CACHE_HEADER + "\n")
    for name in os.listdir(cache):
        if STALE.match(name):
            remove_tree(cache / name)
    return cache


def discard(work: Path) -> None:
    """Remove a run's work directory (an interrupted run)."""
    remove_tree(work)


def keep_failed(work: Path, out: Path) -> Path:
    """Keep a failed run's work directory as DIR.failed (replacing the previous failed run)."""
    kept = beside(out)["failed"]
    mark(work)
    remove_tree(kept)
    os.rename(work, kept)
    return kept


def swap(work: Path, out: Path) -> None:
    """Replace out by work with two renames; the old report is removed only after the swap."""
    old = beside(out)["old"]
    mark(work)
    remove_tree(old)
    if os.path.lexists(out):
        os.rename(out, old)
    os.rename(work, out)
    remove_tree(old)
