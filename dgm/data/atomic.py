"""Writing files so that a reader sees the old file or the new one whole, never half of either,
and never through a link.

Every file dgm writes into data/, reports/ or its caches goes through here: a temporary file (or
link) named `.dgm-tmp.*` (`.dgm-link.*`) is made beside its destination with O_EXCL, so it is
never an existing file or link, then renamed onto the destination (a rename within a directory
is atomic on POSIX, and replaces a link rather than writing through it). A destination that is a
link, or a directory dgm writes into that is a link, is refused with one line naming it. Only
names with these prefixes are dgm's temporary files (STALE), so cleaning never takes a user's file.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from dgm import paths
from dgm.errors import DgmError

TMP_PREFIX = ".dgm-tmp."  # a temporary file being written: .dgm-tmp.XXXXXXXX.NAME
LINK_PREFIX = ".dgm-link."  # a new link not yet renamed: .dgm-link.NAME.PID
STALE = re.compile(r"^\.dgm-(tmp|link)\.")  # what a killed writer leaves; nothing else matches


def refuse_link(path: Path, what: str = "file") -> None:
    """DgmError when `path` is a symbolic link (dgm writes its own `what` there, never through one)."""
    if os.path.islink(path):
        raise DgmError(
            f"{paths.shown(path)} is a link (expected dgm's own {what}; dgm never writes through "
            "a link: remove it)"
        )


def own_dir(path: Path, command: str = "") -> Path:
    """`path` as a real directory (made when missing); DgmError when it is a link or not a directory."""
    path = Path(path)
    where = f"{command}: " if command else ""
    if os.path.islink(path):
        raise DgmError(
            f"{where}{paths.shown(path)} is a link (expected dgm's own directory; dgm never "
            "writes through a link: remove it); nothing was changed"
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise DgmError(
            f"{where}{paths.shown(path)} is not a directory (expected dgm's own directory); "
            "nothing was changed"
        ) from None
    return path


def read_own(path: Path) -> bytes | None:
    """The bytes of this user's regular file `path`, never through a link; None when missing, a
    link or not such a file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:  # missing, or a link (O_NOFOLLOW)
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid():
            return None
        return fh.read()


def temp_beside(dest: Path) -> Path:
    """A new empty file `.dgm-tmp.XXXXXXXX.NAME` beside dest, made with O_EXCL (mode 0600); it
    ends like dest, so tools that check the extension (papermill) accept it."""
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=f".{dest.name}", dir=dest.parent)
    os.close(fd)
    return Path(tmp)


def write_file(dest: Path, write) -> None:
    """Call write(tmp_path) on a temp file beside dest, then rename it onto dest (mode 0644).

    Refuses (DgmError) when dest or its directory is a link, or dest is a directory.
    """
    dest = Path(dest)
    refuse_link(dest.parent, "directory")
    dest.parent.mkdir(parents=True, exist_ok=True)
    refuse_link(dest)
    tmp = temp_beside(dest)
    try:
        write(str(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def write_bytes(dest: Path, data: bytes) -> None:
    """Write `data` to dest by temp file and rename (see write_file)."""
    write_file(dest, lambda tmp: Path(tmp).write_bytes(data))


def write_text(dest: Path, text: str) -> None:
    """Write `text` as UTF-8 to dest by temp file and rename (see write_file)."""
    write_bytes(dest, text.encode("utf-8"))


def write_files(contents: list[tuple[bytes, Path]]) -> None:
    """Write each (bytes, dest) as a temp file beside dest, then rename them all.

    All or nothing: on any OSError every file written so far is removed again and the error, its
    filename set to the destination in hand, is raised.
    """
    temps: list[Path] = []
    renamed: list[Path] = []
    dst = None
    try:
        for data, dst in contents:
            refuse_link(dst)
            tmp = temp_beside(dst)
            temps.append(tmp)
            tmp.write_bytes(data)
            os.chmod(tmp, 0o644)
        for tmp, (_, dst) in zip(temps, contents, strict=True):
            os.replace(tmp, dst)
            renamed.append(dst)
    except OSError as err:
        for path in temps + renamed:
            if os.path.lexists(path):
                os.unlink(path)
        err.filename = str(dst)
        raise


def replace_link(path: Path, target: str) -> None:
    """Point the symbolic link `path` at `target` in one rename (a new link is made beside it first)."""
    tmp = path.with_name(f"{LINK_PREFIX}{path.name}.{os.getpid()}")
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(target, tmp)
    os.replace(tmp, path)


def remove_tree(path: Path) -> None:
    """Remove the directory `path` and all it holds, never following a link (a link at `path`
    itself is removed as a link); nothing when it is missing."""
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)
