"""One writer at a time: `flock` on what dgm owns (the data/processed directory for a project,
the file `.NAME.lock` beside a report directory), waited for with a timeout.

`dgm import` and `dgm build` hold the project lock exclusively, `dgm report` holds it shared
(reports only read data/raw, so two reports may run side by side) and the lock of its `--out`
exclusively. A second command waits, saying so in one line, and gives up after LOCK_TIMEOUT_S
seconds (DGM_LOCK_TIMEOUT overrides it) with one `dgm: …` line, having changed nothing.

The project lock is the data/processed directory itself, opened without following a link: no
lock file is made, so nothing named `.lock` is ever opened, truncated or waited on. A lock file
is opened without following a link, never truncated, and must be a regular file of this user: a
link, FIFO or directory in its place is refused with one line naming it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from pathlib import Path

from dgm import paths
from dgm.errors import DgmError

LOCK_TIMEOUT_S = 300.0  # how long a command waits for another one to finish
TIMEOUT_ENV = "DGM_LOCK_TIMEOUT"  # seconds, overrides LOCK_TIMEOUT_S (tests, scripts)
POLL_S = 0.1  # how often a waiting command tries again

_held: dict[str, tuple[int, bool, int]] = {}  # path -> (fd, shared, depth) held by this process


def timeout_s() -> float:
    """Seconds to wait for a lock: $DGM_LOCK_TIMEOUT when it is a number ≥ 0, else LOCK_TIMEOUT_S."""
    try:
        value = float(os.environ.get(TIMEOUT_ENV, ""))
    except ValueError:
        return LOCK_TIMEOUT_S
    return value if value >= 0 else LOCK_TIMEOUT_S


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISLNK(mode):
        return "a link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def open_lock(path: Path, command: str, directory: bool = False) -> int:
    """A file descriptor on the lock file `path` (created 0644 when missing), or with `directory`
    on this user's directory `path`; DgmError when something else is there."""
    if directory:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        if os.fstat(fd).st_uid != os.getuid():
            os.close(fd)
            raise DgmError(
                f"{command}: {paths.shown(path)} is another user's directory (expected your "
                "own project); nothing was changed"
            )
        return fd
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise DgmError(
            f"{command}: {paths.shown(path)} is {_kind(st.st_mode)} (expected the lock file dgm makes "
            "there; remove it); nothing was changed"
        )
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o644)  # O_NONBLOCK: a FIFO put there meanwhile never blocks
    except OSError as err:
        raise DgmError(
            f"{command}: cannot open the lock file {paths.shown(path)} ({err.strerror.lower()}); "
            "nothing was changed"
        ) from err
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid():
        os.close(fd)
        why = _kind(st.st_mode) if not stat.S_ISREG(st.st_mode) else "another user's file"
        raise DgmError(
            f"{command}: {paths.shown(path)} is {why} (expected the lock file dgm makes there; "
            "remove it); nothing was changed"
        )
    return fd


@contextlib.contextmanager
def held(path: Path, command: str, shared: bool = False, echo=None, directory: bool = False):
    """Hold the lock `path` (shared or exclusive; a lock file, or with `directory` a directory
    that dgm made) for a block, waiting up to timeout_s().

    Re-entrant within a process (a build's publish inside `dgm build`); `echo` (default: stderr)
    gets the one line saying this command waits.
    """
    import fcntl

    key = os.path.abspath(path)
    if key in _held:
        fd, was_shared, depth = _held[key]
        if was_shared and not shared:
            raise RuntimeError(f"{key} is held shared; an exclusive lock inside it would deadlock")
        _held[key] = (fd, was_shared, depth + 1)
        try:
            yield
        finally:
            _held[key] = (fd, was_shared, _held[key][2] - 1)
        return
    fd = open_lock(Path(path), command, directory)
    try:
        _acquire(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX, path, command, echo)
        _held[key] = (fd, shared, 1)
        try:
            yield
        finally:
            del _held[key]
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _acquire(fd: int, mode: int, path: Path, command: str, echo) -> None:
    """flock(fd, mode), polling until timeout_s(); DgmError when it stays taken."""
    import fcntl

    limit = timeout_s()
    deadline = time.monotonic() + limit
    told = False
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            raise DgmError(
                f"{command}: another dgm command is still writing (lock {paths.shown(path)} held for "
                f"more than {limit:g} s); nothing was changed; try again when it has finished"
            )
        if not told:
            line = f"dgm: {command}: waiting for another dgm command to finish (lock {paths.shown(path)})"
            (echo or (lambda text: print(text, file=sys.stderr, flush=True)))(line)
            told = True
        time.sleep(POLL_S)


def project(command: str, shared: bool = False, echo=None):
    """The project's lock (the data/processed directory): exclusive for import and build, shared
    for report. data/processed is made when missing; a link there is refused."""
    from dgm.data.atomic import own_dir

    folder = own_dir(paths.PROCESSED, command)
    return held(folder, command, shared=shared, echo=echo, directory=True)
