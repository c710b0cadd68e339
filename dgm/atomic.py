"""Writing files so that a reader sees the old file or the new one whole, never half of either.

Every file dgm writes into data/ or reports/ goes through here: a temporary file (or link) is made
beside its destination, then renamed onto it (a rename within a directory is atomic on POSIX).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_file(dest: Path, write) -> None:
    """Call write(tmp_path) on a temp file beside dest, then rename it onto dest."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.stem}.", suffix=dest.suffix, dir=dest.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_files(contents: list[tuple[bytes, Path]]) -> None:
    """Write each (bytes, dest) as a hidden `.NAME.tmp` beside dest, then rename them all.

    All or nothing: on any OSError every file written so far is removed again and the error (its
    filename set to the file in hand when the system gave none) is raised.
    """
    done: list[Path] = []
    dst = None
    try:
        for data, dst in contents:
            tmp = dst.with_name(f".{dst.name}.tmp")
            if tmp.is_symlink() or tmp.is_dir():  # never write through a link or into a directory
                raise FileExistsError(17, "file exists", str(tmp))
            done.append(tmp)
            tmp.write_bytes(data)
        for _, dst in contents:
            os.replace(dst.with_name(f".{dst.name}.tmp"), dst)
            done.append(dst)
    except OSError as err:
        for path in done:
            if path.is_file():
                path.unlink()
        if err.filename is None:
            err.filename = str(dst)
        raise


def replace_link(path: Path, target: str) -> None:
    """Point the symbolic link `path` at `target` in one rename (a new link is made beside it first)."""
    tmp = path.with_name(f".{path.name}.link-{os.getpid()}")
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(target, tmp)
    os.replace(tmp, path)
