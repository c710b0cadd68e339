"""Results computed once per report → files its notebook kernels and the workbook read back.

`dgm report` computes, before any kernel starts, the panels, assessments and backtests its
notebooks will ask for (`precompute`) into a store directory, and starts every kernel with
`DGM_RESULTS` pointing there. Functions decorated with `@stored` (dgm.data.loaders's panel,
dgm.engine.assess.assessments, dgm.engine.backtest.backtest_all and backtest_records) then return
the stored result of a call with the same key, and compute as before on a miss: a notebook run with other parameters
(`papermill -p seed 7`, `as_of` changed in JupyterLab) or outside a report recomputes.

The key of a call is a SHA-256 of: the function's name, every argument after defaults are applied
(`repr`, so 2014 and "2014" differ), the content of every file under data/raw, and the code version
(every .py file of the dgm package, the Python version and the version of every library dgm
depends on, VERSIONED). A stale store can therefore never be read: changed raw data, code or a
library version gives another key, hence a miss.

Files are .npz archives written by dgm.data.store_codec, a format that cannot run code when read (no
pickle). The store is a private directory (mode 0700) the report makes for itself with mkdtemp and
removes when it ends; a store directory that is a link, another user's or open to others is never
read. `dgm` commands ignore DGM_RESULTS (dgm.cli drops it): only the kernels a report starts read it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import os
import stat
import sys
import tempfile
from pathlib import Path

from dgm import paths
from dgm.data import store_codec
from dgm.data.atomic import read_own

ENV = "DGM_RESULTS"  # the store directory kernels read (set by dgm report for its kernels)
SUFFIX = ".npz"
PREFIX = "dgm-results-"  # a report's store: a private temporary directory
# Every runtime dependency of pyproject.toml (tests/test_code_fingerprint.py keeps them equal):
# results, figures and pages are made with all of them, so another version of any is other code.
VERSIONED = (
    "pandas",
    "numpy",
    "pyyaml",
    "pandera",
    "openpyxl",
    "matplotlib",
    "seaborn",
    "statsmodels",
    "scipy",
    "fonttools",
    "mplfonts",
    "platformdirs",
    "papermill",
    "nbformat",
    "nbclient",
    "nbconvert",
    "ipykernel",
    "jinja2",
    "opencc",
)

_store: Path | None = None  # the store `reading()` or `writing()` set in this process
_write = False  # whether @stored calls computed now are written into _store


def _digest(parts) -> str:
    """SHA-256 hex of a sequence of byte strings, each length-prefixed (no ambiguous joins)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def raw_fingerprint(raw: Path | None = None) -> str:
    """SHA-256 of every file under data/raw (relative names and contents); read on every call,
    so an edit between two calls is seen."""
    raw = Path(raw or paths.RAW)
    files = sorted(p for p in raw.rglob("*") if p.is_file())
    return _digest(
        part for p in files for part in (p.relative_to(raw).as_posix().encode(), p.read_bytes())
    )


def code_digest(package: Path) -> str:
    """SHA-256 of the .py files under `package` (relative names and contents) and the versions of
    Python and of every library dgm depends on (VERSIONED)."""
    from importlib.metadata import PackageNotFoundError, version

    versions = [sys.version]
    for name in VERSIONED:
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} absent")
    files = sorted(package.rglob("*.py"))
    return _digest(
        [v.encode() for v in versions]
        + [
            part
            for p in files
            for part in (p.relative_to(package).as_posix().encode(), p.read_bytes())
        ]
    )


@functools.cache
def code_fingerprint() -> str:
    """code_digest of this dgm package, once per process (the code a process runs does not change
    under it)."""
    return code_digest(paths.PACKAGE)


def call_name(func, args: tuple = (), kwargs: dict | None = None) -> str:
    """`module.function(name=value, …)` with defaults applied: the readable part of a key."""
    func = inspect.unwrap(func)
    bound = inspect.signature(func).bind(*args, **(kwargs or {}))
    bound.apply_defaults()
    shown = ", ".join(f"{k}={v!r}" for k, v in bound.arguments.items())
    return f"{func.__module__}.{func.__qualname__}({shown})"


def key(func, args: tuple = (), kwargs: dict | None = None) -> str:
    """The store key of a call: SHA-256 of its call_name, raw_fingerprint and code_fingerprint."""
    parts = (call_name(func, args, kwargs), raw_fingerprint(), code_fingerprint())
    return _digest(p.encode() for p in parts)


def private(path: Path) -> bool:
    """Whether `path` is a directory (not a link) of this user that no one else may enter."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077


def store_dir() -> Path | None:
    """The store this process reads: the one `reading()`/`writing()` set, else $DGM_RESULTS when
    it names a private directory of this user (see `private`)."""
    if _store is not None:
        return _store
    value = os.environ.get(ENV)
    if not value:
        return None
    if not private(Path(value)):
        print(
            f"dgm: ignoring {ENV}={value}: not a private directory of this user (expected the "
            "mode 0700 directory dgm report makes)",
            file=sys.stderr,
        )
        os.environ.pop(ENV)  # said once
        return None
    return Path(value)


def lookup(func, *args, **kwargs):
    """The stored result of func(*args, **kwargs), or None when there is no store, no such key
    or a file that dgm.data.store_codec cannot read.

    For functions whose result is never None.
    """
    store = store_dir()
    if store is None:
        return None
    call = call_name(func, args, kwargs)
    data = read_own(store / f"{key(func, args, kwargs)}{SUFFIX}")
    if data is None:
        return None
    try:
        entry = store_codec.loads(data)
    except store_codec.CodecError as err:
        print(f"dgm: ignoring the stored result of {call} ({err})", file=sys.stderr)
        return None
    if not isinstance(entry, dict) or entry.get("call") != call:
        return None
    return entry["value"]


def save(func, args: tuple, kwargs: dict, value) -> Path:
    """Write value as the result of func(*args, **kwargs) into the store being written."""
    from dgm.data.atomic import write_bytes

    if _store is None:
        raise RuntimeError("results_store.save outside writing(): no store to write into")
    call = call_name(func, args, kwargs)
    path = _store / f"{key(func, args, kwargs)}{SUFFIX}"
    write_bytes(path, store_codec.dumps({"call": call, "value": value}))
    return path


def stored(func):
    """Decorator: return the stored result of this call when the store holds its key; otherwise
    compute it (and, inside `writing()`, store it)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        found = lookup(func, *args, **kwargs)
        if found is not None:
            return found
        value = func(*args, **kwargs)
        if _write:
            save(func, args, kwargs, value)
        return value

    return wrapper


@contextlib.contextmanager
def _using(store: Path | None, write: bool):
    """Set the store (and whether to write into it) for the duration of a block."""
    global _store, _write
    previous = _store, _write
    if store is not None:
        _store, _write = Path(store), write
    try:
        yield _store
    finally:
        _store, _write = previous


def reading(store: Path | None):
    """Within this block, @stored calls read `store` (None: leave things as they are)."""
    return _using(store, write=False)


def writing(store: Path):
    """Within this block, @stored calls read `store` and write every result they compute
    (`store` is made mode 0700 when missing)."""
    Path(store).mkdir(mode=0o700, parents=True, exist_ok=True)
    return _using(store, write=True)


def new_store() -> Path:
    """A new private store directory (mode 0700, made by mkdtemp) for one report run."""
    return Path(tempfile.mkdtemp(prefix=PREFIX))


def precompute(store: Path, func, kwargs: dict) -> str:
    """Compute func(**kwargs) into `store` (with every @stored call it makes); its call_name.

    A job for a process pool: `func` is a module-level @stored function.
    """
    with writing(store):
        func(**kwargs)
    return call_name(func, (), kwargs)


def kernel_env(store: Path) -> dict[str, str]:
    """The environment of a kernel that reads `store`."""
    return {ENV: str(Path(store).resolve())}
