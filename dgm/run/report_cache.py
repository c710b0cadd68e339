"""A report job's inputs → the outputs an earlier run made from them: executed notebooks with their
pages and figures, and the workbook, reused by `dgm report` when nothing they were made from changed.

The idea of Jupyter Book's execution cache and Quarto's freeze. The cache is `.DIR.cache/` beside the
report DIR (dgm.run.outdir.beside: a directory of this user marked as dgm's by its `.dgm-report`
sentinel, refused when it is a link or anyone else's). It holds one entry per job, `NAME/`:
`entry.json` (the key, the inputs in words, every output with its SHA-256) and the output files
under `files/`, at their places in DIR.

The key of a job is the SHA-256 of its inputs (`notebook_inputs`, `workbook_inputs`): for a
notebook, its path and bytes, the parameters injected (`lang`, `figures_dir`, any given), its
parameters after them (the `parameters` cell's defaults overridden), the editions written and where
the executed notebook is written (papermill records that path in it); for the workbook, its n_paths
and seed; for both, the content of data/raw (dgm.data.loaders.raw_state), the code
(dgm.data.results_store.code_fingerprint: every .py file of dgm, Python and library versions),
every other file of the package (the page templates and their CSS) and the Python executable.
What the key does not see (an environment variable, a font installed) needs `dgm report --fresh`:
every job runs and its entry is rewritten.

An entry is used only when its key matches and every file reads back, never through a link, with
its recorded SHA-256; otherwise the job runs. An entry is written into a temporary directory in the
cache and renamed into place, so a run killed while writing leaves the old entry or none.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path, PurePosixPath

from dgm import paths
from dgm.data import atomic
from dgm.data.loaders import raw_state
from dgm.data.results_store import code_fingerprint
from dgm.run.selection import WORKBOOK, notebook_parameters

VERSION = 1  # of the entry layout and the key's recipe
ENTRY = "entry.json"
FILES = "files"


def _sha256(data: bytes) -> str:
    """SHA-256 hex of `data`."""
    return hashlib.sha256(data).hexdigest()


@functools.cache
def package_files() -> str:
    """SHA-256 over the names and bytes of every file of the dgm package that is not Python code
    (page templates, CSS, package data); the code is code_fingerprint's."""
    h = hashlib.sha256()
    for path in sorted(paths.PACKAGE.rglob("*")):
        if path.is_file() and path.suffix not in (".py", ".pyc"):
            h.update(path.relative_to(paths.PACKAGE).as_posix().encode() + b"\0")
            h.update(_sha256(path.read_bytes()).encode())
    return h.hexdigest()


def _shared() -> dict:
    """The inputs every job is made from: data/raw, the code, the package's other files, Python."""
    return {
        "version": VERSION,
        "raw": raw_state(),
        "code": code_fingerprint(),
        "package_files": package_files(),
        "python": sys.executable,
    }


def notebook_inputs(src: Path, executed: Path, injected: dict, pages: tuple[str, ...]) -> dict:
    """What a notebook job's outputs are made from (see the module); `executed` is where its
    executed copy is written."""
    return {
        "job": src.stem,
        "notebook": str(src.resolve()),
        "notebook_sha256": _sha256(src.read_bytes()),
        "injected": repr(sorted(injected.items())),
        "parameters": repr(sorted((notebook_parameters(src) | injected).items())),
        "editions": list(pages),
        "executed": str(executed),
        **_shared(),
    }


def workbook_inputs(n_paths: int, seed: int) -> dict:
    """What the workbook is made from (see the module)."""
    return {"job": WORKBOOK, "n_paths": n_paths, "seed": seed, **_shared()}


def key(inputs: dict) -> str:
    """The key of a job: SHA-256 of its inputs as canonical JSON."""
    return _sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode())


def _relative(name: str) -> PurePosixPath | None:
    """`name` as a path inside a report, or None when it would leave it (absolute, `..`, empty)."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts:
        return None
    return path


def _read_entry(entry: Path) -> dict | None:
    """The parsed entry.json of an entry directory, or None when it is missing or unreadable."""
    data = atomic.read_own(entry / ENTRY)
    try:
        found = json.loads(data) if data is not None else None
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def restore(cache: Path, inputs: dict, work: Path) -> list[str] | None:
    """Copy the outputs of the entry for `inputs` into `work`; their relative paths, or None (and
    nothing written) when there is no such entry or any file of it does not read back whole."""
    entry = cache / inputs["job"]
    found = _read_entry(entry)
    if not found or found.get("key") != key(inputs) or not isinstance(found.get("files"), dict):
        return None
    contents = []
    for name, digest in sorted(found["files"].items()):
        rel = _relative(name)
        data = atomic.read_own(entry / FILES / rel) if rel else None
        if data is None or _sha256(data) != digest:
            return None
        contents.append((data, work / rel))
    for _, dest in contents:
        atomic.own_dir(dest.parent)
    atomic.write_files(contents)
    return sorted(found["files"])


def save(cache: Path, inputs: dict, work: Path, outputs: list[str]) -> None:
    """Keep `outputs` (relative paths in `work`) as the entry for `inputs`, replacing the job's
    previous entry. Nothing is kept when an output does not read back (a link, a missing file)."""
    files, contents = {}, []
    tmp = Path(tempfile.mkdtemp(prefix=atomic.TMP_PREFIX, dir=cache))
    try:
        for name in sorted(set(outputs)):
            data = atomic.read_own(work / name) if _relative(name) else None
            if data is None:
                return
            files[name] = _sha256(data)
            contents.append((data, tmp / FILES / name))
        for _, dest in contents:
            dest.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_files(contents)
        record = {"key": key(inputs), "inputs": inputs, "files": files}
        atomic.write_text(tmp / ENTRY, json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        entry = cache / inputs["job"]
        if os.path.lexists(entry):
            os.rename(entry, tmp.with_name(f"{tmp.name}.old"))
        os.rename(tmp, entry)
    finally:
        atomic.remove_tree(tmp)
        atomic.remove_tree(tmp.with_name(f"{tmp.name}.old"))
