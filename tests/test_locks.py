"""One writer at a time: a second import, build or report waits for the lock another process holds,
or gives up with one line having changed nothing; never both write."""

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from projects import built_project, digest

from dgm.cli import main
from dgm.data import locks

CLI = Path(__file__).parent / "fixtures" / "bad" / "cli"
HOLD = """
import sys
from dgm.data import locks
with locks.project(sys.argv[1], shared=sys.argv[2] == "shared"):
    print("held", flush=True)
    sys.stdin.readline()  # hold the lock until the test says
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_project(tmp_path_factory.mktemp("built") / "project")


@pytest.fixture
def project(built, tmp_path, point_dgm_at):
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return point_dgm_at(root)


class Holder:
    """Another process holding the project lock (as a running import, build or report does)."""

    def __init__(self, root: Path, command: str = "build", shared: bool = False):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD, command, "shared" if shared else "exclusive"],
            env={**os.environ, "DGM_ROOT": str(root)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout.readline() == "held\n"

    def release(self) -> None:
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        assert self.proc.wait(30) == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["build"],
        ["import", str(CLI / "observations_new_vintage.csv")],
        ["report", "--only", "07"],
    ],
    ids=["build", "import", "report"],
)
def test_a_second_command_gives_up_after_the_timeout_having_changed_nothing(
    argv, project, monkeypatch, capsys
):
    monkeypatch.setenv(locks.TIMEOUT_ENV, "0.5")
    holder = Holder(project)
    try:
        before = digest(project)
        start = time.monotonic()
        assert main(argv) == 1
        waited = time.monotonic() - start
        assert digest(project) == before
    finally:
        holder.release()
    command = argv[0]
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"dgm: {command}: waiting for another dgm command to finish (lock data/processed)",
        f"dgm: {command}: another dgm command is still writing (lock data/processed held "
        "for more than 0.5 s); nothing was changed; try again when it has finished",
    ]
    assert out == "" and waited >= 0.5


def test_a_second_import_waits_then_sees_the_first_ones_rows(project, monkeypatch, capsys):
    """The holder stands for an import that is writing observations_first.csv: the second import
    of the same figures waits, then refuses them as duplicates (it never writes beside it)."""
    holder = Holder(project, "import")
    raw = project / "data" / "raw"
    shutil.copy(CLI / "observations_new_vintage.csv", raw / "observations_first.csv")
    shutil.copy(CLI / "observations_new_vintage.csv", raw / "observations_first.csv.yml")
    timer = threading.Timer(1.0, holder.release)
    timer.start()
    try:
        code = main(["import", str(CLI / "observations_new_vintage.csv"), "--name", "second"])
    finally:
        timer.join()
    out, err = capsys.readouterr()
    assert err.splitlines()[0] == (
        "dgm: import: waiting for another dgm command to finish (lock data/processed)"
    )
    assert code == 1 and "duplicate row" in out
    assert not (raw / "observations_second.csv").exists()


def test_reports_share_the_project_lock_and_imports_wait_for_them(project, monkeypatch, capsys):
    monkeypatch.setenv(locks.TIMEOUT_ENV, "0.5")
    holder = Holder(project, "report", shared=True)
    try:
        with locks.project("report", shared=True):  # a second report: no wait
            pass
        assert capsys.readouterr().err == ""
        assert main(["build"]) == 1  # a build waits for reports to end
    finally:
        holder.release()
    assert "another dgm command is still writing" in capsys.readouterr().err


def test_the_lock_is_reentrant_in_one_process(project):
    with locks.project("build"):
        with locks.project("build"):  # the build's publish inside `dgm build`
            pass
        assert locks._held  # still held by the outer block
    assert not locks._held


def test_a_project_of_another_user_is_refused(project):
    os.chown(project / "data" / "processed", 65534, 65534)
    with pytest.raises(locks.DgmError) as refused:
        with locks.project("build"):
            pass
    assert str(refused.value) == (
        "build: data/processed is another user's directory (expected your own project); "
        "nothing was changed"
    )


@pytest.mark.parametrize("plant", ["link", "fifo", "directory"])
def test_a_lock_file_that_is_no_regular_file_is_refused(plant, tmp_path):
    lock = tmp_path / ".reports.lock"
    if plant == "link":
        (tmp_path / "target").write_text("kept")
        lock.symlink_to(tmp_path / "target")
    elif plant == "fifo":
        os.mkfifo(lock)
    else:
        lock.mkdir()
    words = {"link": "a link", "fifo": "a FIFO", "directory": "a directory"}[plant]
    with pytest.raises(locks.DgmError) as refused:
        with locks.held(lock, "report"):
            pass
    assert str(refused.value) == (
        f"report: {lock} is {words} (expected the lock file dgm makes there; remove it); "
        "nothing was changed"
    )
    assert plant != "link" or (tmp_path / "target").read_text() == "kept"


@pytest.mark.slow  # two real `dgm import` processes (a few seconds each)
def test_two_imports_of_one_file_at_once_add_it_once(project):
    source = CLI / "observations_new_vintage.csv"
    env = {**os.environ, "DGM_ROOT": str(project)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "dgm", "import", str(source), "--name", name],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    results = [(run.wait(120), *run.communicate()) for run in runs]
    assert sorted(code for code, _, _ in results) == [0, 1], results
    added = sorted(p.name for p in (project / "data" / "raw").glob("observations_[ab].csv"))
    assert len(added) == 1
    loser = next(r for r in results if r[0] == 1)
    assert f"got a repeat of data/raw/{added[0]} line 2)" in loser[1]
    assert subprocess.run([sys.executable, "-m", "dgm", "check"], env=env).returncode == 0
