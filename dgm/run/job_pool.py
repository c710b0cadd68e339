"""A report's jobs → their results: the shared results computed once, then every notebook and the
workbook in a pool of `--jobs` processes that Ctrl-C, SIGTERM or an error stops, kernels and all."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

from dgm.data import atomic, results_store
from dgm.run.job_result import JobResult, error_text
from dgm.run.kernels import SCRATCH, kill_kernels, run_notebook
from dgm.run.selection import report_calls
from dgm.run.workbook import run_workbook

STOPPED_EXIT = 128 + signal.SIGTERM  # a job process stopped by the report exits with this


def precompute(pool, store: Path, calls: list, echo=print) -> None:
    """Run `calls` in `pool` into `store` (dgm.data.results_store); a failed one is reported and left
    to the jobs, which then compute it themselves (and fail with the notebook's own error)."""
    start = time.perf_counter()
    with no_interrupt():  # job processes start with SIGINT ignored (inherited), see run_jobs
        futures = {pool.submit(results_store.precompute, store, f, kw): (f, kw) for f, kw in calls}
    for fut, (func, kwargs) in futures.items():
        try:
            fut.result()
        except Exception as err:  # the jobs recompute it; their error names the notebook
            call = results_store.call_name(func, (), kwargs)
            echo(f"dgm report: computing {call} failed ({error_text(err)}); left to the jobs")
    echo(
        f"dgm report: {len(calls)} results computed once for every job "
        f"in {time.perf_counter() - start:.1f} s"
    )


def warm_caches() -> None:
    """Build one-time caches (the CJK font conversion) once, before kernels run in parallel."""
    try:
        from dgm.present import fonts
    except ImportError:  # pragma: no cover - dgm.present.fonts ships with the package
        return
    fonts.cjk_font_path()


def _job_process(stop) -> None:
    """Set up a job process: a session of its own, so a terminal's Ctrl-C reaches only the report
    (nbclient would otherwise catch it and interrupt the kernel, which logs to the terminal);
    SIGINT ignored; a watcher thread that, when the report sets `stop` (a multiprocessing Event),
    kills this process's kernels and exits.

    Not a signal: Python runs a signal handler in the main thread only, and a job's main thread
    waits inside zmq for its kernel's next message; a signal the system delivers to another thread
    of the process then waits with it, for ever when the cell prints nothing (the report hung).
    And nbclient takes SIGTERM for itself while a notebook runs."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # ignored at birth (run_jobs): not for kernels
    threading.Thread(target=_end_when_stopped, args=(stop,), name="dgm-stop", daemon=True).start()


def _end_when_stopped(stop) -> None:
    """The watcher thread of a job process: wait for `stop`, kill the kernels, exit at once."""
    stop.wait()
    kill_kernels()
    os._exit(STOPPED_EXIT)


@contextlib.contextmanager
def no_interrupt():
    """Ctrl-C and SIGTERM ignored for a block that must finish (cleanup, the swap), in the main
    thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_jobs(
    todo: list[Path],
    work: Path,
    params: dict,
    pages: tuple[str, ...],
    jobs: int,
    n_paths: int,
    seed: int,
    want_workbook: bool,
    echo=print,
    done=None,
) -> list[JobResult]:
    """Compute the shared results once (a private store for this run), then run every notebook
    and the workbook, `jobs` at a time; `done(result)` is called as each job ends. Interrupted
    (Ctrl-C or any error), the job processes and their kernels are stopped; the store and the
    kernels' working directories are removed in every case."""
    total = len(todo) + int(want_workbook)
    results: list[JobResult] = []
    store = results_store.new_store()
    context = get_context("spawn")
    stop = context.Event()
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_job_process, initargs=(stop,)
    )
    interrupted = True
    try:
        calls = report_calls(todo, params, n_paths, seed, want_workbook)
        if calls:
            precompute(pool, store, calls, echo)
        # job processes start with SIGINT ignored (inherited), never half set up
        with no_interrupt():
            futures = [pool.submit(run_notebook, src, work, params, pages, store) for src in todo]
            if want_workbook:
                futures.append(pool.submit(run_workbook, work, n_paths, seed, store))
        for fut in as_completed(futures):
            res = fut.result()
            results.append(res)
            state = "ok" if res.ok else f"FAILED  {res.error}"
            echo(f"[{len(results)}/{total}] {res.name:<36} {res.seconds:6.1f} s  {state}")
            if done is not None:
                done(res)
        interrupted = False
    finally:
        with no_interrupt():
            try:
                if interrupted:  # every job process kills its kernels and exits
                    stop.set()
                pool.shutdown(wait=True, cancel_futures=True)
            finally:
                atomic.remove_tree(store)
                atomic.remove_tree(work / SCRATCH)
    return sorted(results, key=lambda r: r.name)
