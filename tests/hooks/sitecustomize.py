"""Test hook (tests/test_build_killed.py): a process stops half way through writing a file.

Python imports `sitecustomize` at start-up from its path; the test puts this directory on the
PYTHONPATH of the one `dgm build` it kills, and nothing happens unless DGM_TEST_PAUSE_IN is set.
Then the DGM_TEST_PAUSE_AT-th file the process opens for writing under DGM_TEST_PAUSE_IN (by
open() or Path.open, whatever writes it) is held in memory; when the writer closes it, the first
half of its bytes goes to disk (flushed and synced), its real path is written to DGM_TEST_PAUSED,
and the process sleeps until it is killed.
"""

import builtins
import io
import os
import time


def _install(where: str, nth: int, marker: str) -> None:
    """Replace open() and io.open() by one that holds the nth file written under `where`."""
    real_open = io.open
    where = os.path.realpath(where)
    opened = 0

    class HalfWritten:
        """A file being written whose bytes are kept until close, then half written."""

        def __init__(self, file, path):
            self._file, self._path, self._parts = file, path, []

        def write(self, data):
            self._parts.append(data)
            return len(data)

        def flush(self):
            pass

        def close(self):
            data = self._parts[0][:0].join(self._parts) if self._parts else ""
            self._file.write(data[: len(data) // 2])
            self._file.flush()
            os.fsync(self._file.fileno())
            with real_open(f"{marker}.tmp", "w", encoding="utf-8") as note:
                note.write(self._path)
            os.replace(f"{marker}.tmp", marker)
            while True:  # until SIGKILL
                time.sleep(60)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.close()

        def __getattr__(self, name):
            return getattr(self._file, name)

    def hooked_open(file, mode="r", *args, **kwargs):
        nonlocal opened
        handle = real_open(file, mode, *args, **kwargs)
        if isinstance(file, str | bytes | os.PathLike) and set(mode) & set("wxa"):
            path = os.path.realpath(os.fsdecode(file))
            if path.startswith(where + os.sep):
                opened += 1
                if opened == nth:
                    return HalfWritten(handle, path)
        return handle

    builtins.open = io.open = hooked_open


if os.environ.get("DGM_TEST_PAUSE_IN"):
    _install(
        os.environ["DGM_TEST_PAUSE_IN"],
        int(os.environ["DGM_TEST_PAUSE_AT"]),
        os.environ["DGM_TEST_PAUSED"],
    )
