"""A notebook → its executed copy and pages: papermill in a fresh `python3` kernel over IPC
sockets, and the kernels a job process started, killed when the report stops it."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
from pathlib import Path

from dgm.data import atomic, results_store
from dgm.present.pages import page_name
from dgm.run.job_result import JobResult, error_text
from dgm.run.report_pages import EDITIONS, stable_ids, write_html

KERNEL = "python3"
CELL_TIMEOUT_S = 600  # per cell; a notebook cell that needs this long is a bug
EXECUTED = "notebooks"  # executed .ipynb copies, beside the HTML
SCRATCH = ".jobs"  # in a report's work directory: each notebook kernel's working directory

_KERNELS: dict[int, object] = {}  # the kernel managers of this process whose kernels may run


def kill_kernels() -> None:
    """Kill every kernel this process started and remove its sockets and connection file.

    Run by a job process's watcher thread (dgm.run.job_pool) while the main thread may be inside
    jupyter_client, which polls the kernel with Popen.poll: kill and reap with os.kill/os.waitpid,
    not Popen.kill/wait and their lock."""
    for km in list(_KERNELS.values()):
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(process.pid, 0)
        km.cleanup_connection_file()
        shutil.rmtree(km._socket_dir, ignore_errors=True)
    _KERNELS.clear()


def ipc_kernel_manager(env: dict[str, str] | None = None):
    """A KernelManager that talks to its kernel over IPC sockets in its own temporary directory.

    Every kernel dgm starts (the report, the bench, the notebook tests) uses it. The kernels run
    on this machine only. Over TCP the manager picks free ports, closes them and hands them to
    the kernel, so a kernel started in parallel with another process can find a port taken and
    die before it answers (jupyter_client#154: "Kernel died before replying to kernel_info").
    IPC also avoids ipykernel's "running over TCP without encryption" warning. Each kernel gets
    its own directory, so parallel kernels never share a socket name. `env` adds to the
    kernel's environment (the report's results store, dgm.data.results_store).
    """
    import tempfile

    from jupyter_client.manager import KernelManager
    from jupyter_core.utils import run_sync

    class IPCKernelManager(KernelManager):
        def __init__(self, **kwargs):
            self._socket_dir = tempfile.mkdtemp(prefix="dgm-kernel-")
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(Path(self._socket_dir) / "ipc"))
            super().__init__(**kwargs)
            _KERNELS[id(self)] = self  # killed with the job process (dgm.run.job_pool)

        async def _async_pre_start_kernel(self, **kw):
            if env:
                kw["env"] = {**kw.get("env", os.environ), **env}
            return await super()._async_pre_start_kernel(**kw)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            # shutdown_kernel awaits this coroutine, not the public `cleanup_resources`
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._socket_dir, ignore_errors=True)
                _KERNELS.pop(id(self), None)

        cleanup_resources = run_sync(_async_cleanup_resources)

    return IPCKernelManager


def execute(src: Path, executed: Path, parameters: dict, cwd: Path, env=None) -> None:
    """Execute a notebook with papermill in a fresh `python3` kernel (IPC, `env` added to its
    environment) into `executed`; raises what papermill raises."""
    import papermill

    papermill.execute_notebook(
        str(src),
        str(executed),
        parameters=parameters,
        kernel_name=KERNEL,
        cwd=str(cwd),
        progress_bar=False,
        log_output=False,
        execution_timeout=CELL_TIMEOUT_S,
        kernel_manager_class=ipc_kernel_manager(env),
    )


def run_notebook(
    src: Path,
    work: Path,
    parameters: dict,
    pages: tuple[str, ...] = EDITIONS,
    store: Path | None = None,
) -> JobResult:
    """Execute one notebook into work/notebooks/, then write its page in each edition of `pages`
    (see page_name); the JobResult lists every file written.

    The kernel's working directory is its own, work/.jobs/NN_name/, whose files are moved into
    `work` when it ends (`figures_dir="figures"` lands in work/figures/), so the figures each
    notebook wrote are known (dgm.run.report_cache keeps them); with `store`, the kernel reads the
    report's precomputed results (dgm.data.results_store). Papermill writes into a temporary file
    beside the executed notebook, renamed onto it at the end.
    """
    start = time.perf_counter()
    lang = parameters.get("lang", "both")
    executed = work / EXECUTED / src.name
    atomic.own_dir(executed.parent)
    atomic.refuse_link(executed)
    scratch = atomic.own_dir(work / SCRATCH / src.stem)
    partial = atomic.temp_beside(executed)
    error = ""
    try:
        execute(src, partial, parameters, scratch, store and results_store.kernel_env(store))
    except Exception as err:  # a failing notebook is reported, never raised
        error = error_text(err)
    outputs = move_into(scratch, work)
    if partial.stat().st_size:
        stable_ids(partial, executed)
        os.chmod(partial, 0o644)
        os.replace(partial, executed)
        outputs.append(f"{EXECUTED}/{src.name}")
        try:
            for edition in pages:
                write_html(executed, work / page_name(src.stem, edition), edition, lang)
                outputs.append(page_name(src.stem, edition))
        except Exception as err:
            error = error or f"HTML conversion failed: {error_text(err)}"
    else:
        partial.unlink()
    seconds = time.perf_counter() - start
    return JobResult(src.stem, not error, seconds, error, tuple(sorted(outputs)))


def move_into(scratch: Path, work: Path) -> list[str]:
    """Move every file (or link) under `scratch` to the same place under `work`, then remove
    `scratch`; the relative POSIX paths moved."""
    moved = []
    for top, _, names in os.walk(scratch):
        rel = Path(top).relative_to(scratch)
        for name in names:
            atomic.own_dir(work / rel)
            os.replace(Path(top) / name, work / rel / name)
            moved.append((rel / name).as_posix())
    atomic.remove_tree(scratch)
    return moved
