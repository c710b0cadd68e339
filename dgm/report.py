"""`dgm report`: notebooks/NN_*.ipynb → DIR/ (executed notebooks as HTML, figures/, the workbook).

Each notebook runs with papermill in a fresh `python3` kernel, `--jobs` at a time, with `lang` and
`figures_dir` injected after its `parameters` cell; figures land in DIR/figures/ (the notebooks save
them with dgm.export.save), and the Excel workbook is written once per report.

Computed once: before any kernel starts, the report computes (in the same `--jobs` processes) the
assessments of every view its notebooks' parameters name and the backtests into the work
directory's `.results/` (dgm.results_store, see report_calls); the kernels and the workbook read
them there instead of recomputing, and `.results/` is removed before the report is handed on.

Everything is built in `.DIR.partial/` beside DIR and swapped in only when every job succeeded, so
a failed run never replaces the last good report: it is kept in `DIR.failed/` for inspection and
the command exits 1.

dgm replaces only a directory it created: each report directory carries `.dgm-report`, the list
of the files dgm wrote there. An `--out` that is a file, the project or data/, a directory
without that list, or one holding files the list does not name is refused before any notebook
runs, with nothing touched.

Each notebook gets a page per edition (`--edition`): the reader edition `NN_name.html` without
code, the reviewer edition `NN_name.reviewer.html` with it; `index.html` is the landing page
(dgm.landing: scorecard, findings, figures, run record).

`--only NAME …` reruns some notebooks (by number, `01`, or name, `01_output_two_trillion`) on top of
a copy of the previous report; the workbook is then kept unless `workbook` is named too.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from dgm import paths, results_store
from dgm.constants import N_PATHS, SEED
from dgm.errors import DgmError

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
KERNEL = "python3"
CELL_TIMEOUT_S = 600  # per cell; a notebook cell that needs this long is a bug
WORKBOOK = "workbook"  # the job name of the Excel workbook (usable with --only)
WORKBOOK_FILE = "dgm_manufacturing_2025.xlsx"
FIGURES = "figures"
EXECUTED = "notebooks"  # executed .ipynb copies, beside the HTML
SENTINEL = ".dgm-report"  # in every report directory: the files dgm wrote there, one per line
SENTINEL_HEADER = (
    "# written by dgm report; dgm replaces this directory only while it holds just these files"
)
# Reports written before SENTINEL are known by their .gitignore's first line and these file names.
LEGACY_MARK = "# written by dgm report"
LEGACY_FILES = (
    "index.html",
    ".gitignore",
    WORKBOOK_FILE,
    "[0-9][0-9]_*.html",
    "notebooks/*",
    "figures/*",
)
EDITIONS = ("reader", "reviewer")  # reader: no code (NN_name.html); reviewer: full page
STORE = ".results"  # in the work directory: results computed once (removed before the swap)
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


def page_name(stem: str, edition: str) -> str:
    """File name of a notebook's page: NN_name.html (reader), NN_name.reviewer.html (reviewer)."""
    return f"{stem}.html" if edition == "reader" else f"{stem}.{edition}.html"


def editions(edition: str) -> tuple[str, ...]:
    """The editions written for `--edition` (reader first: the landing page links it)."""
    if edition not in EDITIONS + ("both",):
        raise ValueError(f"--edition must be reader, reviewer or both, got {edition!r}")
    return EDITIONS if edition == "both" else (edition,)


def write_html(executed: Path, html: Path, edition: str = "reviewer", lang: str = "both") -> None:
    """Convert an executed notebook to a standalone HTML page in `lang` (dgm.pages: images
    embedded, nothing fetched from the network, a link back to index.html).

    The reviewer edition is the full notebook; the reader edition hides code cells, prompts and
    the cells tagged for reviewers, so a reader sees narrative, tables and charts.
    """
    from dgm import pages

    pages.write_page(executed, html, edition, lang)


def _stable_ids(executed: Path) -> None:
    """Give papermill's injected-parameters cell a fixed id (it draws a random one each run)."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
    nbformat.write(nb, executed)


def ipc_kernel_manager(env: dict[str, str] | None = None):
    """A KernelManager that talks to its kernel over IPC sockets in its own temporary directory.

    Every kernel dgm starts (the report, the bench, the notebook tests) uses it. The kernels run
    on this machine only. Over TCP the manager picks free ports, closes them and hands them to
    the kernel, so a kernel started in parallel with another process can find a port taken and
    die before it answers (jupyter_client#154: "Kernel died before replying to kernel_info").
    IPC also avoids ipykernel's "running over TCP without encryption" warning. Each kernel gets
    its own directory, so parallel kernels never share a socket name. `env` adds to the
    kernel's environment (the report's results store, dgm.results_store).
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

        async def _async_pre_start_kernel(self, **kw):
            if env:
                kw["env"] = {**kw.get("env", os.environ), **env}
            return await super()._async_pre_start_kernel(**kw)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            # shutdown_kernel awaits this coroutine, not the public `cleanup_resources`
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._socket_dir, ignore_errors=True)

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
    with `store`, the kernel reads the report's precomputed results (dgm.results_store).
    """
    start = time.perf_counter()
    lang = parameters.get("lang", "both")
    executed = work / EXECUTED / src.name
    error = ""
    try:
        execute(src, executed, parameters, work, store and results_store.kernel_env(store))
    except Exception as err:  # a failing notebook is reported, never raised
        error = _error_text(err)
    if executed.exists():
        _stable_ids(executed)
        try:
            for edition in pages:
                write_html(executed, work / page_name(src.stem, edition), edition, lang)
        except Exception as err:
            error = error or f"HTML conversion failed: {_error_text(err)}"
    return JobResult(src.stem, not error, time.perf_counter() - start, error)


def build_workbook(path: Path, n_paths: int = N_PATHS, seed: int = SEED) -> None:
    """The Excel workbook: scorecard, goals, observations, sources, forecasts, backtests."""
    import pandas as pd

    from dgm import export
    from dgm.assess import assessments
    from dgm.backtest import backtest_all
    from dgm.data import load_observations, load_sources, load_targets

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
    """Job wrapper around build_workbook (reading `store`, dgm.results_store): errors become a
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
    """DIR/index.html: the landing page (dgm.landing): scorecard, findings, pages, figures."""
    from dgm import landing

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
    nothing) and the workbook's, and backtest_all() when any of these is computed."""
    from dgm.assess import assessments
    from dgm.backtest import backtest_all

    views = [{"as_of": None, "n_paths": n_paths, "seed": seed}] if workbook else []
    for src in todo:
        given = notebook_parameters(src) | parameters
        if "n_paths" not in given:  # a notebook that never simulates
            continue
        for name, argument in VIEW_PARAMETERS:
            if name in given:
                view = {argument: given[name], "n_paths": given["n_paths"]}
                view["seed"] = given.get("seed", seed)
                views += [view] if view not in views else []
    calls = [(assessments, view) for view in views]
    return calls[:1] + [(backtest_all, {})] + calls[1:] if calls else []


def precompute(pool, store: Path, calls: list, echo=print) -> None:
    """Run `calls` in `pool` into `store` (dgm.results_store); a failed one is reported and left
    to the jobs, which then compute it themselves (and fail with the notebook's own error)."""
    start = time.perf_counter()
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
        from dgm import fonts
    except ImportError:  # pragma: no cover - dgm.fonts ships with the package
        return
    fonts.cjk_font_path()


def _files(directory: Path) -> list[str]:
    """Every file and link under `directory` (relative POSIX paths, sorted), the sentinel excluded."""
    found = (p for p in directory.rglob("*") if p.is_symlink() or not p.is_dir())
    return sorted(p.relative_to(directory).as_posix() for p in found if p.name != SENTINEL)


def write_sentinel(work: Path) -> None:
    """Mark `work` as a report directory dgm made, listing every file it holds now."""
    lines = [SENTINEL_HEADER, *_files(work)]
    (work / SENTINEL).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _written_by_dgm(directory: Path) -> set[str] | None:
    """The files dgm says it wrote in `directory`; None when dgm did not create it."""
    sentinel = directory / SENTINEL
    if sentinel.is_file() and not sentinel.is_symlink():
        lines = sentinel.read_text(encoding="utf-8", errors="replace").splitlines()
        if lines and lines[0] == SENTINEL_HEADER:
            return {line for line in lines[1:] if line}
    gitignore = directory / ".gitignore"
    if gitignore.is_file() and gitignore.read_text(errors="replace").startswith(LEGACY_MARK):
        from fnmatch import fnmatch

        return {f for f in _files(directory) if any(fnmatch(f, g) for g in LEGACY_FILES)}
    return None


def _refuse(given: str, why: str) -> DgmError:
    """The one-line refusal of an --out directory."""
    return DgmError(f"report --out {given}: {why}; nothing was changed")


def check_out(out: Path, given: str) -> None:
    """Raise DgmError unless dgm may replace `out` (resolved) and the work directories beside it."""
    root, data = paths.ROOT.resolve(), paths.DATA.resolve()
    if out == root or out in root.parents:
        raise _refuse(given, "is the project directory or contains it (expected e.g. reports/)")
    if out.is_relative_to(data):
        raise _refuse(given, "is inside data/ (expected a directory outside data/, e.g. reports/)")
    beside = (f".{out.name}.partial", f"{out.name}.failed", f".{out.name}.old")
    for path in (out, *(out.parent / name for name in beside)):
        if not os.path.lexists(path):
            continue
        if not path.is_dir():
            raise _refuse(given, f"{path} exists and is not a directory (expected a directory)")
        if not any(path.iterdir()):
            continue  # an empty directory: nothing to lose
        written = _written_by_dgm(path)
        if written is None:
            raise _refuse(
                given,
                f"{path} is not a directory dgm report created (it has no {SENTINEL}); "
                "expected a new or empty directory",
            )
        foreign = [f for f in _files(path) if f not in written]
        if foreign and path == out:
            more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
            raise _refuse(
                given,
                f"{path} holds files dgm did not write ({', '.join(foreign[:3])}{more}); "
                "move them or choose another directory",
            )
    existing = out.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise _refuse(given, f"{existing} is a file (expected a directory to write in)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise _refuse(given, f"cannot write in {existing} (permission denied)")


def _swap(work: Path, out: Path) -> None:
    """Replace out by work with two renames; the old report is removed only after the swap."""
    old = out.parent / f".{out.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    work.rename(out)
    shutil.rmtree(old, ignore_errors=True)


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
    mechanics); `echo` prints progress lines.
    """
    if jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {jobs}")
    pages = editions(edition)
    given = str(out or paths.REPORTS)
    out = Path(given).resolve()
    todo, want_workbook = select(notebooks(notebooks_dir), only)
    check_out(out, given)
    work = out.parent / f".{out.name}.partial"
    shutil.rmtree(work, ignore_errors=True)
    try:
        if only and out.exists():
            shutil.copytree(out, work, symlinks=True)
        work.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DgmError(f"report --out {given}: cannot create {work} ({err.strerror})") from err
    write_sentinel(work)
    (work / EXECUTED).mkdir(exist_ok=True)
    (work / FIGURES).mkdir(exist_ok=True)
    (work / ".gitignore").write_text(f"{LEGACY_MARK}\n*\n", encoding="utf-8")
    if not (work / WORKBOOK_FILE).exists():
        want_workbook = True
    want_workbook = want_workbook and workbook
    params = {"lang": lang, "figures_dir": FIGURES} | dict(parameters or {})

    total = len(todo) + int(want_workbook)
    results: list[JobResult] = []
    if notebooks_dir is None:
        warm_caches()
    store = work / STORE
    echo(f"dgm report: {total} jobs, {jobs} at a time → {out}")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        calls = report_calls(todo, params, n_paths, seed, want_workbook)
        if calls:
            precompute(pool, store, calls, echo)
        futures = [pool.submit(run_notebook, src, work, params, pages, store) for src in todo]
        if want_workbook:
            futures.append(pool.submit(run_workbook, work, n_paths, seed, store))
        for fut in as_completed(futures):
            res = fut.result()
            results.append(res)
            state = "ok" if res.ok else f"FAILED  {res.error}"
            echo(f"[{len(results)}/{total}] {res.name:<36} {res.seconds:6.1f} s  {state}")

    results.sort(key=lambda r: r.name)
    shutil.rmtree(store, ignore_errors=True)  # pickles for this run only, never handed on
    write_index(work, lang, pages)
    write_sentinel(work)
    failed = [r for r in results if not r.ok]
    if failed:
        kept = out.parent / f"{out.name}.failed"
        shutil.rmtree(kept, ignore_errors=True)
        work.rename(kept)
        echo(
            f"dgm report: {len(failed)} of {total} failed ({', '.join(r.name for r in failed)}); "
            f"{out} left as it was; this run is in {kept}"
        )
    else:
        _swap(work, out)
        echo(f"dgm report: {total} jobs ok → {out}")
    return results


def main_report(args) -> int:
    """`dgm report [--out DIR] [--lang zh|en|both] [--edition reader|reviewer|both] [--jobs N]
    [--only NAME ...]`; 0 when all ran."""
    try:
        results = run_report(
            out=args.out,
            lang=args.lang,
            edition=getattr(args, "edition", "both"),
            jobs=args.jobs,
            only=args.only,
            echo=lambda line: print(line, flush=True),
        )
    except ValueError as err:
        print(f"dgm report: {err}", file=sys.stderr)
        return 1
    if getattr(args, "json", False):
        print(json.dumps([r.__dict__ for r in results], ensure_ascii=False))
    return 0 if all(r.ok for r in results) else 1
