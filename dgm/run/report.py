"""`dgm report`: notebooks/NN_*.ipynb → DIR/ (executed notebooks as HTML, figures/, the workbook).

Each notebook runs with papermill in a fresh `python3` kernel, `--jobs` at a time, with `lang` and
`figures_dir` injected after its `parameters` cell; figures land in DIR/figures/ (the notebooks save
them with dgm.present.export.save), and the Excel workbook is written once per report.

Computed once: before any kernel starts, the report computes (in the same `--jobs` processes) the
assessments of every view its notebooks' parameters name and the backtests into a private store
directory it makes for this run (dgm.data.results_store, see report_calls); the kernels and the
workbook read them there instead of recomputing, and the store is removed when the run ends.

Everything is built in `.DIR.partial/` beside DIR and swapped in only when every job succeeded, so
a failed run never replaces the last good report: it is kept in `DIR.failed/` for inspection and
the command exits 1. Every file is written by temporary file and rename (dgm.data.atomic).

dgm replaces only a directory it created (dgm.run.outdir: the `.dgm-report` sentinel, refusals before
any notebook runs, the swap). A run holds the project lock shared and DIR's lock exclusively
(dgm.data.locks): a second report on the same DIR waits. Ctrl-C stops the kernels, removes the work
directory and the store, leaves DIR as it was, and exits 130 with one line.

Each notebook gets a page per edition (`--edition`): the reader edition `NN_name.html` without
code, the reviewer edition `NN_name.reviewer.html` with it; `index.html` is the landing page
(dgm.present.landing: scorecard, findings, figures, run record).

`--only NAME …` reruns some notebooks (by number, `01`, or name, `01_output_two_trillion`) on top of
a copy of the previous report; the workbook is then kept unless `workbook` is named too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from dgm import paths
from dgm.constants import N_PATHS, SEED
from dgm.data import atomic, locks, results_store
from dgm.present.pages import WORKBOOK_FILE, page_name
from dgm.run import outdir

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
KERNEL = "python3"
CELL_TIMEOUT_S = 600  # per cell; a notebook cell that needs this long is a bug
WORKBOOK = "workbook"  # the job name of the Excel workbook (usable with --only)
FIGURES = "figures"
EXECUTED = "notebooks"  # executed .ipynb copies, beside the HTML
GITIGNORE = f"{outdir.LEGACY_MARK}\n*\n"  # a report directory's .gitignore: nothing in it is source
EDITIONS = ("reader", "reviewer")  # reader: no code (NN_name.html); reviewer: full page
# Notebook parameters that name a view of the assessments: (parameter, assessments() argument)
VIEW_PARAMETERS = (("as_of", "as_of"), ("then", "as_of"), ("data_to", "data_to"))


@dataclass(frozen=True)
class JobResult:
    """Outcome of one job (a notebook or the workbook)."""

    name: str
    ok: bool
    seconds: float
    error: str = ""


def notebooks(directory: Path | None = None) -> list[Path]:
    """The collection: NN_name.ipynb files of `directory` (default notebooks/), in number order."""
    return sorted(Path(directory or paths.NOTEBOOKS).glob(NOTEBOOK_GLOB))


def select(available: list[Path], only: list[str] | None) -> tuple[list[Path], bool]:
    """(notebooks to run, whether to write the workbook) for `--only`; ValueError names unknowns."""
    if not only:
        return list(available), True
    chosen, unknown, workbook = [], [], False
    for raw in only:
        name = Path(raw).name.removesuffix(".ipynb")
        if name == WORKBOOK:
            workbook = True
            continue
        hits = [p for p in available if p.stem == name or p.stem.split("_", 1)[0] == name]
        if not hits:
            unknown.append(raw)
        chosen += [p for p in hits if p not in chosen]
    if unknown:
        known = ", ".join([p.stem for p in available] + [WORKBOOK])
        raise ValueError(f"unknown notebook {', '.join(unknown)} (known: {known})")
    return sorted(chosen), workbook


def _error_text(err: BaseException) -> str:
    """One line naming the error: `ename: evalue` for a failed cell, else the exception."""
    ename, evalue = getattr(err, "ename", None), getattr(err, "evalue", None)
    if ename:
        cell = getattr(err, "exec_count", None)
        where = f" (cell [{cell}])" if cell else ""
        return f"{ename}: {evalue}{where}".splitlines()[0]
    return f"{type(err).__name__}: {err}".splitlines()[0]


def editions(edition: str) -> tuple[str, ...]:
    """The editions written for `--edition` (reader first: the landing page links it)."""
    if edition not in EDITIONS + ("both",):
        raise ValueError(f"--edition must be reader, reviewer or both, got {edition!r}")
    return EDITIONS if edition == "both" else (edition,)


def write_html(executed: Path, html: Path, edition: str = "reviewer", lang: str = "both") -> None:
    """Convert an executed notebook to a standalone HTML page in `lang` (dgm.present.pages: images
    embedded, nothing fetched from the network, a link back to index.html).

    The reviewer edition is the full notebook; the reader edition hides code cells, prompts and
    the cells tagged for reviewers, so a reader sees narrative, tables and charts.
    """
    from dgm.present import pages

    pages.write_page(executed, html, edition, lang)


def _stable_ids(written: Path, executed: Path) -> None:
    """Give papermill's injected-parameters cell in `written` a fixed id (it draws a random one
    each run), and name `executed`, where `written` is renamed to, as papermill's output path."""
    import nbformat

    nb = nbformat.read(written, as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
    if "papermill" in nb.metadata:
        nb.metadata.papermill["output_path"] = str(executed)
    nbformat.write(nb, written)


_KERNELS: dict[int, object] = {}  # the kernel managers of this process whose kernels may run


def _kill_kernels() -> None:
    """Kill every kernel this process started and remove its sockets and connection file."""
    for km in list(_KERNELS.values()):
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
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
            _KERNELS[id(self)] = self  # killed with the job process (_end_job_process)

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
    (see page_name).

    The kernel's working directory is `work`, so `figures_dir="figures"` lands in work/figures/;
    with `store`, the kernel reads the report's precomputed results (dgm.data.results_store). Papermill
    writes into a temporary file beside the executed notebook, renamed onto it at the end.
    """
    start = time.perf_counter()
    lang = parameters.get("lang", "both")
    executed = work / EXECUTED / src.name
    atomic.own_dir(executed.parent)
    atomic.refuse_link(executed)
    partial = atomic.temp_beside(executed)
    error = ""
    try:
        execute(src, partial, parameters, work, store and results_store.kernel_env(store))
    except Exception as err:  # a failing notebook is reported, never raised
        error = _error_text(err)
    if partial.stat().st_size:
        _stable_ids(partial, executed)
        os.chmod(partial, 0o644)
        os.replace(partial, executed)
        try:
            for edition in pages:
                write_html(executed, work / page_name(src.stem, edition), edition, lang)
        except Exception as err:
            error = error or f"HTML conversion failed: {_error_text(err)}"
    else:
        partial.unlink()
    return JobResult(src.stem, not error, time.perf_counter() - start, error)


def build_workbook(path: Path, n_paths: int = N_PATHS, seed: int = SEED) -> None:
    """The Excel workbook: scorecard, goals, observations, sources, forecasts, backtests."""
    import pandas as pd

    from dgm.data.loaders import load_observations, load_sources, load_targets
    from dgm.engine.assess import assessments
    from dgm.engine.backtest import backtest_all
    from dgm.present import export

    found = assessments(n_paths=n_paths, seed=seed)  # one simulation feeds both sheets
    scorecard = pd.DataFrame([a.record for a in found])
    targets = load_targets()
    frames = []
    for a in sorted(found, key=lambda a: a.record["target_id"]):
        if a.fan is None:  # too few points: the scorecard says so
            continue
        q = a.fan.copy()
        q.insert(0, "target_id", a.record["target_id"])
        q.insert(1, "indicator", a.record["indicator"])
        frames.append(q.reset_index())
    forecasts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    export.write_workbook(
        path,
        scorecard=scorecard,
        targets=targets,
        observations=load_observations(),
        sources=load_sources(),
        forecasts=forecasts,
        backtests=backtest_all(),
    )


def run_workbook(work: Path, n_paths: int, seed: int, store: Path | None = None) -> JobResult:
    """Job wrapper around build_workbook (reading `store`, dgm.data.results_store): errors become a
    JobResult."""
    start = time.perf_counter()
    try:
        with results_store.reading(store):
            build_workbook(work / WORKBOOK_FILE, n_paths=n_paths, seed=seed)
        error = ""
    except Exception as err:
        error = _error_text(err)
    return JobResult(WORKBOOK, not error, time.perf_counter() - start, error)


def write_index(work: Path, lang: str, pages: tuple[str, ...] = EDITIONS) -> None:
    """DIR/index.html: the landing page (dgm.present.landing): scorecard, findings, pages, figures."""
    from dgm.present import landing

    landing.write_index(work, lang, pages)


def notebook_parameters(src: Path) -> dict:
    """The values of a notebook's `parameters` cell (plain literals, as the conventions require)."""
    import ast

    import nbformat

    for cell in nbformat.read(src, as_version=4).cells:
        if "parameters" in cell.metadata.get("tags", []):
            return {
                target.id: ast.literal_eval(node.value)
                for node in ast.parse(cell.source).body
                if isinstance(node, ast.Assign)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
    return {}


def report_calls(
    todo: list[Path], parameters: dict, n_paths: int, seed: int, workbook: bool = True
) -> list:
    """The (function, kwargs) the report computes once before its kernels start, slowest first:
    assessments() in every view the notebooks' parameters (after injection) name (VIEW_PARAMETERS:
    `as_of` now, `then`, `data_to` pseudo-real-time; notebooks without `n_paths` simulate
    nothing) and the workbook's, backtest_all() when any of these is computed, and the what-ifs
    of dgm.engine.gaps for a notebook with a `gaps_top` parameter (00), last: they read the
    assessments."""
    from dgm.engine.assess import assessments
    from dgm.engine.backtest import backtest_all
    from dgm.engine.gaps import find_gaps

    views = [{"as_of": None, "n_paths": n_paths, "seed": seed}] if workbook else []
    gap_views = []
    for src in todo:
        given = notebook_parameters(src) | parameters
        if "gaps_top" in given:  # notebook 00's what-ifs (dgm.engine.gaps), as it calls them
            gap = {"as_of": given.get("as_of"), "seed": given.get("seed", seed)}
            gap["needing_only"] = True
            gap_views += [gap] if gap not in gap_views else []
        if "n_paths" not in given:  # a notebook that never simulates
            continue
        for name, argument in VIEW_PARAMETERS:
            if name in given:
                view = {argument: given[name], "n_paths": given["n_paths"]}
                view["seed"] = given.get("seed", seed)
                views += [view] if view not in views else []
    calls = [(assessments, view) for view in views]
    calls = calls[:1] + [(backtest_all, {})] + calls[1:] if calls else []
    return calls + [(find_gaps, view) for view in gap_views]


def precompute(pool, store: Path, calls: list, echo=print) -> None:
    """Run `calls` in `pool` into `store` (dgm.data.results_store); a failed one is reported and left
    to the jobs, which then compute it themselves (and fail with the notebook's own error)."""
    start = time.perf_counter()
    with _no_interrupt():  # job processes start with SIGINT ignored (inherited), see run_jobs
        futures = {pool.submit(results_store.precompute, store, f, kw): (f, kw) for f, kw in calls}
    for fut, (func, kwargs) in futures.items():
        try:
            fut.result()
        except Exception as err:  # the jobs recompute it; their error names the notebook
            call = results_store.call_name(func, (), kwargs)
            echo(f"dgm report: computing {call} failed ({_error_text(err)}); left to the jobs")
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


STOP = signal.SIGUSR1  # the report's signal to a job process: kill your kernels and exit


def _job_process() -> None:
    """Set up a job process: a session of its own, so a terminal's Ctrl-C reaches only the report
    (nbclient would otherwise catch it and interrupt the kernel, which logs to the terminal);
    SIGINT ignored; STOP kills this process's kernels, then exits."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # ignored at birth (run_jobs): not for kernels
    signal.signal(STOP, _end_job_process)


def _end_job_process(signum, frame) -> None:
    """STOP in a job process: kill its kernels, then exit at once. A second STOP is ignored: run
    inside this handler, it would wait for the lock the first one's `wait()` holds, for ever."""
    signal.signal(STOP, signal.SIG_IGN)
    _kill_kernels()
    os._exit(128 + signum)


def _stop_jobs(pool) -> None:
    """Stop a job pool now: STOP to every job process (each kills its kernels, _end_job_process)."""
    processes = getattr(pool, "_processes", None) or {}  # ProcessPoolExecutor has no public list
    for process in list(processes.values()):
        if process.is_alive():
            os.kill(process.pid, STOP)


@contextlib.contextmanager
def _no_interrupt():
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
) -> list[JobResult]:
    """Compute the shared results once (a private store for this run), then run every notebook
    and the workbook, `jobs` at a time. Interrupted (Ctrl-C or any error), the job processes and
    their kernels are stopped; the store is removed in every case."""
    total = len(todo) + int(want_workbook)
    results: list[JobResult] = []
    store = results_store.new_store()
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=get_context("spawn"), initializer=_job_process
    )
    interrupted = True
    try:
        calls = report_calls(todo, params, n_paths, seed, want_workbook)
        if calls:
            precompute(pool, store, calls, echo)
        # job processes start with SIGINT ignored (inherited), never half set up
        with _no_interrupt():
            futures = [pool.submit(run_notebook, src, work, params, pages, store) for src in todo]
            if want_workbook:
                futures.append(pool.submit(run_workbook, work, n_paths, seed, store))
        for fut in as_completed(futures):
            res = fut.result()
            results.append(res)
            state = "ok" if res.ok else f"FAILED  {res.error}"
            echo(f"[{len(results)}/{total}] {res.name:<36} {res.seconds:6.1f} s  {state}")
        interrupted = False
    finally:
        with _no_interrupt():
            if interrupted:
                _stop_jobs(pool)
            pool.shutdown(wait=True, cancel_futures=True)
            atomic.remove_tree(store)
    return sorted(results, key=lambda r: r.name)


def run_report(
    out: Path | str | None = None,
    lang: str = "both",
    edition: str = "both",
    jobs: int = 2,
    only: list[str] | None = None,
    notebooks_dir: Path | None = None,
    parameters: dict | None = None,
    n_paths: int = N_PATHS,
    seed: int = SEED,
    workbook: bool = True,
    echo=print,
) -> list[JobResult]:
    """Run the collection into `out` (default reports/); returns one JobResult per job.

    `parameters` adds to the injected ones (`lang`, `figures_dir`); `edition` is reader,
    reviewer or both (see write_html); `workbook=False` skips the workbook (tests of the
    mechanics); `echo` prints progress lines. On Ctrl-C the kernels, the work directory and the
    store are removed, then KeyboardInterrupt("DIR left as it was") is raised.
    """
    if jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {jobs}")
    pages = editions(edition)
    out, given = outdir.resolve(out)
    todo, want_workbook = select(notebooks(notebooks_dir), only)
    outdir.check(out, given)  # refused before any lock file or directory is made
    params = {"lang": lang, "figures_dir": FIGURES} | dict(parameters or {})
    with (
        locks.project("report", shared=True),  # no import or build changes data/ meanwhile
        locks.held(outdir.beside(out)["lock"], "report"),  # one report per --out at a time
    ):
        work = outdir.prepare(out, given, copy=bool(only), echo=echo)
        try:
            atomic.own_dir(work / EXECUTED)
            atomic.own_dir(work / FIGURES)
            atomic.write_text(work / ".gitignore", GITIGNORE)
            want_workbook = workbook and (want_workbook or not (work / WORKBOOK_FILE).exists())
            total = len(todo) + int(want_workbook)
            if notebooks_dir is None:
                warm_caches()
            echo(f"dgm report: {total} jobs, {jobs} at a time → {out}")
            results = run_jobs(todo, work, params, pages, jobs, n_paths, seed, want_workbook, echo)
            write_index(work, lang, pages)
        except BaseException as err:
            with _no_interrupt():
                outdir.discard(work)
            if isinstance(err, KeyboardInterrupt):
                raise KeyboardInterrupt(f"{out} left as it was") from None
            raise
        failed = [r for r in results if not r.ok]
        with _no_interrupt():
            if failed:
                kept = outdir.keep_failed(work, out)
            else:
                outdir.swap(work, out)
    if failed:
        echo(
            f"dgm report: {len(failed)} of {total} failed ({', '.join(r.name for r in failed)}); "
            f"{out} left as it was; this run is in {kept}"
        )
    else:
        echo(f"dgm report: {total} jobs ok → {out}")
    return results
