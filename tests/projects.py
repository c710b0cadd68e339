"""Throw-away projects for tests that run dgm commands: a built copy, what a tree holds, a kill,
tiny notebooks."""

import hashlib
import os
import shutil
import signal
from pathlib import Path

# A work cell: save a figure named {name} into figures_dir, print lang
SAVE = (
    "pathlib.Path(figures_dir).mkdir(exist_ok=True)\n"
    "pathlib.Path(figures_dir, '{name}.png').write_bytes(b'png')\n"
    "print('lang is', lang)"
)


def built_project(root: Path) -> Path:
    """A project at `root`: a copy of data/raw and a data/processed built from it."""
    from dgm import paths
    from dgm.data import build

    shutil.copytree(paths.RAW, root / "data" / "raw")
    build.publish(build.processed_tables(), root / "data" / "processed")
    return root


def digest(root: Path, modes: bool = False) -> dict[str, str]:
    """Every entry under `root` by the hash of its bytes (a link by its target, never followed;
    a directory as "dir"), with its mode and owner when `modes`."""
    out = {}
    for p in sorted(root.rglob("*")):
        key = str(p.relative_to(root))
        if p.is_symlink():
            out[key] = "-> " + os.readlink(p)
        elif p.is_file():
            out[key] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[key] = "dir" if p.is_dir() else "other"
        if modes:
            st = p.lstat()
            out[key] += f" {st.st_mode:o} {st.st_uid}"
    return out


def die_at(kill_at: int, *targets: tuple[object, str]) -> None:
    """In a child process: SIGKILL itself at the kill_at-th call of any (module, function) of
    `targets`, e.g. die_at(2, (os, "rename"), (shutil, "rmtree"))."""
    calls = 0

    def hooked(real):
        def call(*args, **kwargs):
            nonlocal calls
            calls += 1
            if calls == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        return call

    for owner, name in targets:
        setattr(owner, name, hooked(getattr(owner, name)))


def tiny_notebook(path: Path, body: str) -> None:
    """A tiny notebook following the collection's conventions, with `body` as its work cell."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('lang = "both"\nfigures_dir = None')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {path.stem}\nA test notebook."),
        params,
        nbformat.v4.new_code_cell("import pathlib"),
        nbformat.v4.new_code_cell(body),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


def fake_kernel_then_hang(socket_dir: str) -> None:
    """A job for dgm.run.job_pool's pool (tests/test_report.py): start a `sleep` registered as this
    process's kernel (as dgm.run.kernels registers one), write its pid to SOCKET_DIR/pid, then wait
    for ever in the main thread with SIGUSR1 and SIGTERM blocked there."""
    import signal
    import subprocess
    import threading
    from types import SimpleNamespace

    from dgm.run import kernels

    process = subprocess.Popen(["sleep", "600"])
    km = SimpleNamespace(
        provisioner=SimpleNamespace(process=process),
        _socket_dir=socket_dir,
        cleanup_connection_file=lambda: None,
    )
    kernels._KERNELS[id(km)] = km
    (Path(socket_dir) / "pid").write_text(str(process.pid))
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGTERM})
    threading.Event().wait()
