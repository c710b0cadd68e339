"""dgm build: data/processed is rewritten only from clean raw data; a bad raw file changes nothing.

Run on a copy of data/raw: the failing build through the command line (DGM_ROOT points dgm at
the copy), so the contract is tested whatever way build.py stages its writes; the good build
before it and the fresh checkout run the same command in-process (`point_dgm_at` does what
DGM_ROOT does).
"""

import os
import shutil
import subprocess
import sys

import pytest

from dgm import paths

TABLES = {"panel.csv", "panel_wide.csv", "coverage.csv", "conflicts.csv"}


def _dgm(root, *args):
    env = {**os.environ, "DGM_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, "-m", "dgm", *args], capture_output=True, text=True, env=env, timeout=300
    )


def _files(folder):
    """Every file under folder (hidden ones too) with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _break_first_year(raw):
    """Turn the year of the first data row of observations.csv into text; the file name."""
    path = raw / "observations.csv"
    header, first, *rest = path.read_text(encoding="utf-8").splitlines(keepends=True)
    indicator, _, tail = first.split(",", 2)
    path.write_text("".join([header, f"{indicator},twenty-ten,{tail}", *rest]), encoding="utf-8")
    return path.name


@pytest.fixture
def root(tmp_path):
    shutil.copytree(paths.RAW, tmp_path / "data" / "raw")
    return tmp_path


def test_bad_raw_file_stops_the_build_and_leaves_processed_byte_identical(root, point_dgm_at):
    from dgm.cli import main

    processed = root / "data" / "processed"
    point_dgm_at(root)  # the good build runs in-process, the bad one as the real command
    assert main(["build"]) == 0
    before = _files(processed)
    tables = {n: b for n, b in before.items() if n.rsplit("/", 1)[-1] in TABLES}
    assert {name.rsplit("/", 1)[-1] for name in tables} >= TABLES and all(tables.values())

    name = _break_first_year(root / "data" / "raw")
    bad = _dgm(root, "build")
    assert bad.returncode == 1
    # one line naming file, row and column, what was expected and what was found
    assert any(
        f"{name}:2:year: " in line and "expected" in line and "'twenty-ten'" in line
        for line in bad.stdout.splitlines()
    ), bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr
    assert _files(processed) == before  # same files, same bytes, no temporary file left


def test_bad_raw_file_on_a_fresh_checkout_writes_nothing(root, point_dgm_at, capsys):
    from dgm.cli import main

    _break_first_year(root / "data" / "raw")
    point_dgm_at(root)
    assert main(["build"]) == 1
    assert "observations.csv:2:year: " in capsys.readouterr().out
    processed = root / "data" / "processed"
    assert not processed.exists() or _files(processed) == {}
