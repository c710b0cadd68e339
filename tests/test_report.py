"""dgm report: parallel papermill runs, progress lines, failures named, last good report kept."""

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from projects import SAVE, tiny_notebook

from dgm.cli import report as report_command
from dgm.errors import DgmError
from dgm.present import pages
from dgm.run import job_result, kernels, outdir, report, report_pages, selection
from dgm.run.workbook import run_workbook


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    d = tmp_path_factory.mktemp("notebooks")
    tiny_notebook(d / "01_first.ipynb", SAVE.format(name="first"))
    tiny_notebook(d / "02_broken.ipynb", "raise ValueError('boom: no data for 2019')")
    tiny_notebook(d / "03_third.ipynb", SAVE.format(name="third"))
    return d


def test_select_by_number_or_name(collection):
    available = selection.notebooks(collection)
    assert [p.stem for p in available] == ["01_first", "02_broken", "03_third"]
    chosen, workbook = selection.select(available, ["03", "01_first.ipynb"])
    assert [p.stem for p in chosen] == ["01_first", "03_third"] and workbook is False
    assert selection.select(available, ["workbook"]) == ([], True)
    assert selection.select(available, None) == (available, True)
    with pytest.raises(ValueError, match="unknown notebook 99_nothing"):
        selection.select(available, ["99_nothing"])


@pytest.mark.slow
def test_good_run_then_failing_run_keeps_the_good_report(collection, tmp_path):
    out = tmp_path / "reports"
    lines = []
    results = report.run_report(
        out,
        lang="en",
        jobs=2,
        only=["01", "03"],
        notebooks_dir=collection,
        workbook=False,
        echo=lines.append,
    )
    assert [r.name for r in results] == ["01_first", "03_third"] and all(r.ok for r in results)
    assert sum(line.startswith("[") for line in lines) == 2  # one progress line per notebook
    assert (out / "01_first.html").exists() and (out / "03_third.html").exists()
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["first.png", "third.png"]
    assert (out / "index.html").exists()
    executed = nbformat.read(out / "notebooks" / "01_first.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert "lang is en" in text  # papermill injected lang="en"
    # papermill wrote a temporary file; the notebook names its own place (reruns stay identical)
    written = executed.metadata.papermill.output_path
    assert written == str(tmp_path / ".reports.partial" / "notebooks" / "01_first.ipynb")
    assert not (tmp_path / ".reports.partial").exists()

    lines.clear()
    (out / "index.html").write_text("good")
    results = report.run_report(
        out, lang="zh", jobs=2, notebooks_dir=collection, workbook=False, echo=lines.append
    )
    by_name = {r.name: r for r in results}
    assert by_name["01_first"].ok and by_name["03_third"].ok  # the others still ran
    assert not by_name["02_broken"].ok
    assert by_name["02_broken"].error.startswith("ValueError: boom: no data for 2019")
    assert any("02_broken" in line and "FAILED" in line and "boom" in line for line in lines)
    assert (out / "index.html").read_text() == "good"  # the previous good report stays in place
    failed = tmp_path / "reports.failed"
    assert (failed / "02_broken.html").exists()  # the failing notebook, error included
    assert "boom" in (failed / "02_broken.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_out_under_directories_that_do_not_exist_yet_is_made(collection, tmp_path):
    out = tmp_path / "new" / "deeper" / "reports"
    results = report.run_report(out, only=["01"], notebooks_dir=collection, workbook=False)
    assert [r.ok for r in results] == [True] and (out / "01_first.html").exists()


@pytest.mark.slow
def test_only_reruns_on_top_of_the_previous_report(collection, tmp_path):
    out = tmp_path / "r"
    report.run_report(out, only=["01"], notebooks_dir=collection, workbook=False, echo=print)
    report.run_report(out, only=["03"], notebooks_dir=collection, workbook=False, echo=print)
    assert (out / "01_first.html").exists() and (out / "03_third.html").exists()


def test_main_report_usage_errors_exit_1(capsys):
    args = SimpleNamespace(out=None, lang="en", jobs=2, only=["no_such_notebook"])
    assert report_command.run(args) == 1
    assert "unknown notebook no_such_notebook" in capsys.readouterr().err
    args = SimpleNamespace(out=None, lang="en", jobs=0, only=None)
    assert report_command.run(args) == 1


def test_cli_help_lists_the_contract_flags():
    out = subprocess.run(
        [sys.executable, "-m", "dgm", "report", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for flag in ("--out", "--lang", "--edition", "--jobs", "--only"):
        assert flag in out


def test_job_result_is_json_ready():
    r = job_result.JobResult("01_x", False, 1.5, "ValueError: boom")
    assert json.loads(json.dumps(r.__dict__))["error"] == "ValueError: boom"


def test_parallel_kernels_talk_over_ipc_in_directories_of_their_own():
    """No TCP port to race for: two kernels started side by side answer over IPC sockets, each
    in its own directory, and shutting a kernel down removes its directory."""
    manager = kernels.ipc_kernel_manager()
    started = [manager(kernel_name="python3") for _ in range(2)]
    for km in started:
        km.start_kernel()
    try:
        for km in started:
            client = km.client()
            client.start_channels()
            client.wait_for_ready(timeout=60)
            client.stop_channels()
        info = [km.get_connection_info() for km in started]
        assert [i["transport"] for i in info] == ["ipc", "ipc"]
        dirs = [Path(i["ip"]).parent for i in info]
        assert dirs[0] != dirs[1]
        assert all(any(d.glob("ipc-*")) for d in dirs), "the sockets live in the directory"
    finally:
        for km in started:
            km.shutdown_kernel(now=True)
    assert not any(d.exists() for d in dirs)


@pytest.mark.slow
def test_papermill_run_of_real_notebooks_in_english(tmp_path, capfd):
    """The scorecard and the explorer through dgm report with lang="en" (papermill-injected),
    their kernels on local IPC sockets (no "running over TCP without encryption" warning)."""
    from dgm.present.notebook_records import read_records

    out = tmp_path / "reports"
    results = report.run_report(out, lang="en", only=["05", "06"], workbook=False, echo=print)
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    captured = capfd.readouterr()
    assert "without encryption" not in captured.err
    assert "results computed once" in captured.out  # dgm.data.results_store, read by the kernels
    assert not [p for p in out.rglob("*") if p.suffix in (".npz", ".pkl")]  # no store handed on
    for name in ("05_scorecard", "06_scenario_explorer"):
        assert (out / f"{name}.html").stat().st_size > 10_000
        nb = nbformat.read(out / "notebooks" / f"{name}.ipynb", as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert injected and 'lang = "en"' in injected[0].source
    readings = [
        r["reading"] for r in read_records(out / "notebooks" / "05_scorecard.ipynb")["scorecard"]
    ]
    assert readings and not any("·" in r for r in readings), "English only, no bilingual text"


@pytest.mark.slow
def test_workbook_job(tmp_path):
    """The report's workbook job end to end (a renamed or missing writer fails here, never skips)."""
    result = run_workbook(tmp_path, n_paths=1000, seed=2015)
    assert result.ok, result.error
    assert (tmp_path / pages.WORKBOOK_FILE).exists()


@pytest.mark.slow  # runs the report (or walks every pair of goals): make test-fast skips it
def test_workbook_forecasts_are_the_assessments_fans(tmp_path):
    import openpyxl

    from dgm.engine import assess

    assert run_workbook(tmp_path, n_paths=500, seed=2015).ok
    from dgm.present.export import column_header

    ws = openpyxl.load_workbook(tmp_path / pages.WORKBOOK_FILE)["forecasts"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    found = {a.record["target_id"]: a for a in assess.assessments(n_paths=500, seed=2015)}
    goal, year = column_header("target_id"), column_header("year")
    for r in rows:
        median = found[r[goal]].fan.loc[int(r[year]), 0.5]
        assert r[column_header("projection p50")] == pytest.approx(median)


def _digest(folder):
    """Every file and link under `folder` with its bytes' hash (links by target)."""
    import hashlib

    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[str(p.relative_to(folder))] = "-> " + str(p.readlink())
        elif p.is_file():
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[str(p.relative_to(folder))] = "dir"
    return out


@pytest.fixture
def project(tmp_path):
    """A throw-away project (data/raw, a .git, a foreign directory) that `dgm report` must not harm."""
    import shutil

    from dgm import paths

    root = tmp_path / "project"
    shutil.copytree(paths.RAW, root / "data" / "raw")
    (root / "data" / "processed").mkdir()
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "notes").mkdir()
    (root / "notes" / "mine.txt").write_text("not dgm's")
    (root / "a_file").write_text("a file")
    return root


@pytest.mark.parametrize(
    "out, why",
    [
        ("data", "is inside data/ (expected a directory outside data/, e.g. reports/)"),
        ("data/raw", "is inside data/ (expected a directory outside data/, e.g. reports/)"),
        (".", "is the project directory or contains it (expected e.g. reports/)"),
        ("..", "is the project directory or contains it (expected e.g. reports/)"),
        (
            "notes",
            "{root}/notes is not a directory dgm report created (it has no .dgm-report); expected a new or empty directory",
        ),
        ("a_file", "{root}/a_file exists and is not a directory (expected a directory)"),
        ("a_file/sub", "{root}/a_file is a file (expected a directory to write in)"),
    ],
)
def test_report_out_refuses_what_dgm_did_not_create(project, out, why):
    before = _digest(project.parent)
    run = subprocess.run(
        [sys.executable, "-m", "dgm", "report", "--out", out],
        cwd=project,
        env={**__import__("os").environ, "DGM_ROOT": str(project)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    expected = f"dgm: report --out {out}: {why.format(root=project)}; nothing was changed"
    assert (run.returncode, run.stderr.strip(), run.stdout) == (1, expected, "")
    assert _digest(project.parent) == before


@pytest.mark.slow  # runs the report (or walks every pair of goals): make test-fast skips it
def test_report_dir_with_foreign_files_is_refused(collection, tmp_path):
    out = tmp_path / "reports"
    report.run_report(out, only=["01"], notebooks_dir=collection, workbook=False, echo=print)
    assert (out / ".dgm-report").read_text().splitlines()[1:] == [
        ".gitignore",
        "01_first.html",
        "01_first.reviewer.html",
        "figures/first.png",
        "index.html",
        "notebooks/01_first.ipynb",
    ]
    (out / "my notes.txt").write_text("mine")
    before = _digest(tmp_path)
    with pytest.raises(DgmError, match=r"holds files dgm did not write \(my notes.txt\)"):
        report.run_report(out, only=["01"], notebooks_dir=collection, workbook=False)
    assert _digest(tmp_path) == before


def test_a_report_written_before_the_sentinel_is_refused_whatever_it_holds(tmp_path):
    """A report of an older dgm (only its .gitignore says so) is not replaced: its .gitignore
    cannot say which files under it are dgm's (its patterns matched at any depth)."""
    out = tmp_path / "reports"
    (out / "notebooks").mkdir(parents=True)
    (out / ".gitignore").write_text("# written by dgm report\n*\n")
    (out / "index.html").write_text("old")
    (out / "notebooks" / "my_notes.txt").write_text("mine")
    with pytest.raises(DgmError, match=r"\(it has no .dgm-report: a report of an older dgm\)"):
        outdir.check(out, "reports")


@pytest.mark.slow  # runs the report (or walks every pair of goals): make test-fast skips it
def test_reader_edition_hides_code_reviewer_edition_shows_it(collection, tmp_path):
    out = tmp_path / "r"
    report.run_report(
        out, only=["01"], notebooks_dir=collection, workbook=False, echo=print, edition="both"
    )
    reader = (out / "01_first.html").read_text(encoding="utf-8")
    reviewer = (out / "01_first.reviewer.html").read_text(encoding="utf-8")
    assert "lang is both" in reader and "lang is both" in reviewer  # outputs in both
    assert "write_bytes" not in reader and "write_bytes" in reviewer  # code only for reviewers
    assert 'figures_dir = "figures"' not in reader  # nor the injected parameters
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="01_first.html"' in index and 'href="01_first.reviewer.html"' in index
    with pytest.raises(ValueError, match="--edition must be reader, reviewer or both"):
        report_pages.editions("print")


WAIT_CELL = (
    "import os, time\n"
    "marks = pathlib.Path(os.environ['MARKS'])\n"
    "(marks / f'{os.getpid()}.running').write_text('')\n"
    "while not (marks / 'release').exists():\n"
    "    time.sleep(0.2)\n"
    "print('released')"
)


@pytest.fixture
def waiting_project(tmp_path):
    """A project whose two notebooks each mark MARKS/PID.running and wait for MARKS/release, with
    an earlier report in reports/; and the environment a `dgm report` there runs in (its own
    TMPDIR and Jupyter runtime directory, so what it leaves behind can be seen)."""
    import os
    import shutil

    from dgm import paths

    root = tmp_path / "project"
    shutil.copytree(paths.RAW, root / "data" / "raw")
    (root / "data" / "processed").mkdir()
    (root / "notebooks").mkdir()
    for name in ("01_wait", "02_wait"):
        tiny_notebook(root / "notebooks" / f"{name}.ipynb", WAIT_CELL)
    (root / "reports").mkdir()
    (root / "reports" / "index.html").write_text("the earlier report")
    outdir.mark(root / "reports")
    for d in ("marks", "tmp", "runtime"):
        (tmp_path / d).mkdir()
    env = {
        **os.environ,
        "DGM_ROOT": str(root),
        "MARKS": str(tmp_path / "marks"),
        "TMPDIR": str(tmp_path / "tmp"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    return root, env, tmp_path / "marks"


def _start_report(root, env, *args):
    """`dgm report` in a new session (a terminal's foreground group of its own)."""
    return subprocess.Popen(
        [sys.executable, "-m", "dgm", "report", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _kernels_running(marks, n: int, proc, timeout: float = 300) -> list[int]:
    """The pids of the `n` kernels that marked themselves running (waits for them)."""
    import time

    deadline = time.monotonic() + timeout
    while len(list(marks.glob("*.running"))) < n:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the kernels did not start"
        time.sleep(0.2)
    return [int(p.name.split(".")[0]) for p in marks.glob("*.running")]


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


@pytest.mark.slow  # a report with kernels
def test_ctrl_c_stops_kernels_and_cleans_up_with_one_line(waiting_project):
    import os
    import signal

    root, env, marks = waiting_project
    before = _digest(root.parent)
    proc = _start_report(root, env)
    kernels = _kernels_running(marks, 2, proc)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal: the whole foreground group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (out, err)
    assert err == f"dgm: interrupted; {root}/reports left as it was\n", err
    assert "Traceback" not in out + err
    assert not any(_alive(pid) for pid in kernels)
    tmp = Path(env["TMPDIR"])
    assert sorted(p.name for p in tmp.iterdir()) == [], "kernel sockets or the store left"
    assert not list(Path(env["JUPYTER_RUNTIME_DIR"]).glob("kernel-*.json"))
    after = _digest(root.parent)
    made = ("marks", "project/.reports.lock", "project/data/processed/.lock")  # marks, locks
    assert {k: v for k, v in after.items() if not k.startswith(made)} == {
        k: v for k, v in before.items() if not k.startswith(made)
    }, "reports/ as it was, no .reports.partial left"


def test_a_stopped_job_ends_even_when_its_main_thread_never_returns(tmp_path):
    """The report stops a job process through its watcher thread, not a signal: a signal the
    system hands to another thread waits for the main thread, which waits inside zmq for a quiet
    kernel (the report hung about once in ten runs under load). Here the job's main thread blocks
    the signals and waits for ever; its kernel (a `sleep`) and its socket directory must go."""
    import time
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    from projects import fake_kernel_then_hang

    from dgm.run import job_pool

    context = get_context("spawn")
    stop = context.Event()
    sockets = tmp_path / "dgm-kernel-test"
    sockets.mkdir()
    pool = ProcessPoolExecutor(
        1, mp_context=context, initializer=job_pool._job_process, initargs=(stop,)
    )
    try:
        future = pool.submit(fake_kernel_then_hang, str(sockets))
        deadline = time.monotonic() + 120
        while not (sockets / "pid").exists():
            assert not future.done() and time.monotonic() < deadline, "the job did not start"
            time.sleep(0.1)
        kernel = int((sockets / "pid").read_text())
        stop.set()
        with pytest.raises(BrokenProcessPool):  # the job process exited without an answer
            future.result(timeout=60)
    finally:
        for process in list((pool._processes or {}).values()):  # a failed test leaves no worker
            process.kill()
        pool.shutdown(wait=True, cancel_futures=True)
    assert not _alive(kernel) and not sockets.exists()


@pytest.mark.slow  # two reports with kernels
def test_a_second_report_on_the_same_out_waits_and_never_touches_the_first(waiting_project):
    root, env, marks = waiting_project
    first = _start_report(root, env, "--only", "01")
    _kernels_running(marks, 1, first)
    second = subprocess.run(
        [sys.executable, "-m", "dgm", "report", "--only", "02"],
        cwd=root,
        env={**env, "DGM_LOCK_TIMEOUT": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (second.returncode, second.stdout) == (1, "")
    assert second.stderr.splitlines() == [
        "dgm: report: waiting for another dgm command to finish (lock .reports.lock)",
        "dgm: report: another dgm command is still writing (lock .reports.lock held for more "
        "than 1 s); nothing was changed; try again when it has finished",
    ]
    (marks / "release").write_text("")
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert "released" in (root / "reports" / "01_wait.html").read_text(encoding="utf-8")
    assert not (root / "reports" / "02_wait.html").exists()
