"""`dgm build` killed while it writes a table, not only at a rename (tests/test_build.py): the
tables read as the old generation, whole, while it writes and after the kill, and the next build
removes what it left and publishes the new generation whole.

The real command runs as a subprocess with tests/hooks on its PYTHONPATH: that hook
(tests/hooks/sitecustomize.py) stops the process half way through the Nth file it writes under
data/processed, and the test SIGKILLs it there, for each table the build writes in turn.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from dgm import paths
from dgm.data import build

HOOKS = Path(__file__).parent / "hooks"
NAMES = ("panel.csv", "panel_wide.csv", "coverage.csv", "conflicts.csv")  # in the order written
WAIT = 300  # seconds a build may take to reach the pause (a loaded machine), then it is a hang


def _dgm_build(root: Path, pause_at: int | None = None, paused: Path | None = None):
    """The real `dgm build` of the project at `root`, started (not waited for); with `pause_at`,
    it stops half way through the pause_at-th file it writes under data/processed."""
    env = {**os.environ, "DGM_ROOT": str(root)}
    if pause_at is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HOOKS), env.get("PYTHONPATH")]))
        env["DGM_TEST_PAUSE_IN"] = str(root / "data" / "processed")
        env["DGM_TEST_PAUSE_AT"] = str(pause_at)
        env["DGM_TEST_PAUSED"] = str(paused)
    return subprocess.Popen(
        [sys.executable, "-m", "dgm", "build"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finished(process) -> str:
    """Wait for a build; its output (the test fails when it failed)."""
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0, out + err
    return out + err


def _paused_in(process, paused: Path) -> Path | None:
    """The file a hooked build stopped half way through, or None when it finished without."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if paused.exists():
            return Path(paused.read_text(encoding="utf-8"))
        if process.poll() is not None:
            _finished(process)
            return None
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"dgm build neither paused nor finished in {WAIT} s")


def _tables(processed: Path) -> dict[str, bytes]:
    """What a reader gets: each table's bytes through data/processed/NAME."""
    return {name: (processed / name).read_bytes() for name in NAMES}


def _generations(processed: Path) -> list[str]:
    return sorted(p.name for p in (processed / build.GENERATIONS).iterdir())


@pytest.fixture(scope="module")
def new(tmp_path_factory) -> dict[str, bytes]:
    """The tables an uninterrupted `dgm build` of data/raw writes."""
    root = tmp_path_factory.mktemp("reference")
    shutil.copytree(paths.RAW, root / "data" / "raw")
    _finished(_dgm_build(root))
    return _tables(root / "data" / "processed")


@pytest.mark.parametrize(
    "table",
    [
        1,  # panel.csv, the largest: the fast lane's representative
        pytest.param(2, marks=pytest.mark.slow),
        pytest.param(3, marks=pytest.mark.slow),
        pytest.param(4, marks=pytest.mark.slow),
    ],
)
def test_killed_half_way_through_a_table_the_old_generation_stays_whole(table, new, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(paths.RAW, root / "data" / "raw")
    processed = root / "data" / "processed"
    # the old generation, as a build publishes it: each table says "old" and which it is
    build.publish(
        {n: pd.DataFrame({"generation": ["old"], "table": [n]}) for n in NAMES}, processed
    )
    old, (old_generation,) = _tables(processed), _generations(processed)
    assert set(old.values()).isdisjoint(new.values())  # old and new tell apart, table by table

    running = _dgm_build(root, pause_at=table, paused=tmp_path / "paused")
    try:
        half = _paused_in(running, tmp_path / "paused")
        assert half is not None, f"the build wrote fewer than {table} files"
        written = half.read_bytes()
        assert half.name == NAMES[table - 1]
        assert half.parent.parent == processed / build.GENERATIONS  # a generation of its own
        assert half.parent.name != old_generation
        assert 0 < len(written) < len(new[half.name]) and new[half.name].startswith(written)
        assert _tables(processed) == old  # while the build is half way through a table
    finally:  # never leave a paused build behind
        running.kill()
        running.wait(WAIT)
    assert running.returncode == -9
    assert _tables(processed) == old  # after the kill
    assert half.exists()  # what the killed build left, until the next one

    _finished(_dgm_build(root))
    assert _tables(processed) == new
    assert len(_generations(processed)) == 1 and not half.parent.exists()


@pytest.mark.slow
def test_the_build_writes_no_other_file_to_kill_in(tmp_path):
    """The hook's pause after the last table never comes: every file written was tried above."""
    root = tmp_path / "project"
    shutil.copytree(paths.RAW, root / "data" / "raw")
    running = _dgm_build(root, pause_at=len(NAMES) + 1, paused=tmp_path / "paused")
    assert _paused_in(running, tmp_path / "paused") is None
