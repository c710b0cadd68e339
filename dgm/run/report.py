"""`dgm report`: notebooks/NN_*.ipynb → DIR/ (executed notebooks as HTML, figures/, the workbook).

Each notebook runs with papermill in a fresh `python3` kernel, `--jobs` at a time, with `lang` and
`figures_dir` injected after its `parameters` cell; figures land in DIR/figures/ (the notebooks save
them with dgm.present.export.save), and the Excel workbook is written once per report.

Computed once: before any kernel starts, the report computes (in the same `--jobs` processes) the
assessments of every view its notebooks' parameters name and the backtests into a private store
directory it makes for this run (dgm.data.results_store, see dgm.run.selection.report_calls); the
kernels and the workbook read them there instead of recomputing, and the store is removed when
the run ends.

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

The pieces: dgm.run.selection (which notebooks, their parameters, what is computed once),
dgm.run.kernels (a notebook executed in an IPC kernel, its pages), dgm.run.report_pages (editions,
pages, index.html), dgm.run.workbook, dgm.run.job_pool (the pool, its signals, the shared results) and
dgm.run.outdir (which directory dgm may replace, the swap).
"""

from __future__ import annotations

import time
from pathlib import Path

from dgm.constants import N_PATHS, SEED
from dgm.data import atomic, locks
from dgm.present.pages import WORKBOOK_FILE
from dgm.run import outdir, report_cache
from dgm.run.job_pool import no_interrupt, run_jobs, warm_caches
from dgm.run.job_result import JobResult
from dgm.run.kernels import EXECUTED
from dgm.run.report_pages import editions, write_index
from dgm.run.selection import WORKBOOK, notebooks, select

FIGURES = "figures"
GITIGNORE = f"{outdir.LEGACY_MARK}\n*\n"  # a report directory's .gitignore: nothing in it is source


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
    fresh: bool = False,
    echo=print,
) -> list[JobResult]:
    """Run the collection into `out` (default reports/); returns one JobResult per job.

    `parameters` adds to the injected ones (`lang`, `figures_dir`); `edition` is reader,
    reviewer or both (dgm.run.report_pages.write_html); `workbook=False` skips the workbook
    (tests of the mechanics); a job whose inputs are unchanged since a run into `out` is taken from
    the cache (dgm.run.report_cache), unless `fresh`; `echo` prints progress lines. On Ctrl-C the
    kernels, the work directory and the store are removed, then KeyboardInterrupt("DIR left as it
    was") is raised.
    """
    if jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {jobs}")
    pages = editions(edition)
    out, given = outdir.resolve(out)
    todo, want_workbook = select(notebooks(notebooks_dir), only)
    outdir.check(out, given)  # refused before any lock file or directory is made
    out.parent.mkdir(parents=True, exist_ok=True)  # --out new/dir/reports: its lock goes beside it
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
            echo(f"dgm report: {total} jobs, {jobs} at a time → {out}")
            cache = outdir.beside(out)["cache"]  # made by the first job kept (_keep)
            inputs = {
                src.stem: report_cache.notebook_inputs(
                    src, work / EXECUTED / src.name, params, pages
                )
                for src in todo
            } | ({WORKBOOK: report_cache.workbook_inputs(n_paths, seed)} if want_workbook else {})
            results = [] if fresh else _reused(cache, inputs, work, echo)
            reused = {r.name for r in results}
            todo = [src for src in todo if src.stem not in reused]
            if todo and notebooks_dir is None:
                warm_caches()
            results += run_jobs(
                todo,
                work,
                params,
                pages,
                jobs,
                n_paths,
                seed,
                want_workbook and WORKBOOK not in reused,
                echo,
                done=lambda r: _keep(cache, inputs[r.name], work, r, echo),
            )
            write_index(work, lang, pages)
        except BaseException as err:
            with no_interrupt():
                outdir.discard(work)
            if isinstance(err, KeyboardInterrupt):
                raise KeyboardInterrupt(f"{out} left as it was") from None
            raise
        failed = [r for r in results if not r.ok]
        with no_interrupt():
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
    return sorted(results, key=lambda r: r.name)


def _reused(cache: Path, inputs: dict[str, dict], work: Path, echo=print) -> list[JobResult]:
    """The jobs whose outputs the cache holds for their `inputs`, copied into `work`."""
    found = []
    for name, given in inputs.items():
        start = time.perf_counter()
        outputs = report_cache.restore(cache, given, work)
        if outputs is not None:
            seconds = time.perf_counter() - start
            found.append(JobResult(name, True, seconds, "", tuple(outputs), cached=True))
    if found:
        echo(
            f"dgm report: {len(found)} of {len(inputs)} jobs unchanged since the last run, taken "
            f"from {cache.name}/ ({', '.join(r.name for r in found)}); --fresh runs them"
        )
    return found


def _keep(cache: Path, inputs: dict, work: Path, result: JobResult, echo=print) -> None:
    """Keep a job's outputs in the cache when it succeeded; a cache that cannot be written is said
    in one line, and the job runs again next time."""
    if not result.ok:
        return
    try:
        report_cache.save(outdir.open_cache(cache), inputs, work, list(result.outputs))
    except OSError as err:
        echo(f"dgm report: {result.name} not kept in {cache} ({err.strerror}); it runs next time")
