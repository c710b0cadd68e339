"""`dgm report --out DIR` refuses, before anything runs, when a path it uses beside DIR is not
dgm's: `.DIR.partial` (a run's work directory), `DIR.failed` (a failed run kept), `.DIR.old` (the
previous report during the swap), `.DIR.cache` (the jobs' kept outputs) and `.DIR.lock`. One `dgm: report --out …` line, exit 1, and
every file of the project (siblings, their contents, the report) byte-identical afterwards.

tests/test_bad_input.py covers a `.partial` whose sentinel is open to others or another user's
and a `.failed` holding a user's file; these are the other ways each sibling can be foreign.
"""

import os
import shutil
from pathlib import Path

import pytest
from projects import digest

from dgm import paths
from dgm.cli import main
from dgm.run import outdir

NOTES = "my notes.txt"  # a file of the user's, never dgm's
REFUSED = "dgm: report --out {given}: {why}; nothing was changed"
NOT_DGMS = "is not a directory dgm report created ({found}); expected a new or empty directory"


def _report(folder: Path, text: str) -> None:
    """A report dgm made in `folder` (a page, a figure and the sentinel listing them)."""
    (folder / "figures").mkdir(parents=True)
    (folder / "index.html").write_text(text)
    (folder / "figures" / "07_measures.png").write_bytes(b"\x89PNG " + text.encode())
    outdir.mark(folder)


def _users_directory(relative: str):
    """Setup: a directory of the user's at `relative` (no sentinel), holding their notes."""

    def plant(root: Path) -> None:
        (root / relative).mkdir()
        (root / relative / NOTES).write_text("mine")

    return plant


def _dgms_with_notes(relative: str):
    """Setup: a report dgm wrote at `relative`, then a file of the user's put in it."""

    def plant(root: Path) -> None:
        _report(root / relative, relative)
        (root / relative / NOTES).write_text("mine")

    return plant


def _link_to_raw(relative: str):
    """Setup: `relative` is a link to data/raw (a directory dgm must never write or remove into)."""
    return lambda root: (root / relative).symlink_to(root / "data" / "raw")


def _file(relative: str):
    """Setup: `relative` is a file of the user's."""
    return lambda root: (root / relative).write_text("mine")


def _another_users(relative: str):
    """Setup: a report dgm wrote at `relative`, handed to another user (uid 65534) since."""

    def plant(root: Path) -> None:
        _report(root / relative, relative)
        os.chown(root / relative / outdir.SENTINEL, 65534, 65534)

    return plant


def _without_report(setup):
    """Setup: no report in reports/ (as after a run killed between the swap's two renames), then
    `setup`: the next run's repair must not take a foreign .reports.old for the old report."""

    def plant(root: Path) -> None:
        shutil.rmtree(root / "reports")
        setup(root)

    return plant


def _a_cache(relative: str):
    """Setup: a cache dgm made at `relative` (its sentinel), holding an entry's files."""

    def plant(root: Path) -> None:
        _report(root / relative, relative)
        (root / relative / outdir.SENTINEL).write_text(outdir.CACHE_HEADER + "\n")

    return plant


# id: (setup, --out given, the sibling refused (relative to the project), why)
CASES = {
    "partial_users_directory": (
        _users_directory(".reports.partial"),
        "reports",
        ".reports.partial",
        NOT_DGMS.format(found=f"it has no {outdir.SENTINEL}"),
    ),
    "partial_link_to_raw": (
        _link_to_raw(".reports.partial"),
        "reports",
        ".reports.partial",
        "is a link (expected a directory dgm report created; dgm never writes through a link)",
    ),
    "partial_a_file": (
        _file(".reports.partial"),
        "reports",
        ".reports.partial",
        "exists and is not a directory (expected a directory)",
    ),
    "failed_users_directory": (
        _users_directory("reports.failed"),
        "reports",
        "reports.failed",
        NOT_DGMS.format(found=f"it has no {outdir.SENTINEL}"),
    ),
    "failed_link_to_raw": (
        _link_to_raw("reports.failed"),
        "reports",
        "reports.failed",
        "is a link (expected a directory dgm report created; dgm never writes through a link)",
    ),
    "failed_another_users": (
        _another_users("reports.failed"),
        "reports",
        "reports.failed",
        NOT_DGMS.format(found=f"its {outdir.SENTINEL} belongs to another user"),
    ),
    "old_users_directory": (
        _users_directory(".reports.old"),
        "reports",
        ".reports.old",
        NOT_DGMS.format(found=f"it has no {outdir.SENTINEL}"),
    ),
    "old_users_directory_no_report": (
        _without_report(_users_directory(".reports.old")),
        "reports",
        ".reports.old",
        NOT_DGMS.format(found=f"it has no {outdir.SENTINEL}"),
    ),
    "old_holds_a_users_file": (
        _dgms_with_notes(".reports.old"),
        "reports",
        ".reports.old",
        f"holds files dgm did not write ({NOTES}); move them out of it",
    ),
    "old_holds_a_users_file_no_report": (
        _without_report(_dgms_with_notes(".reports.old")),
        "reports",
        ".reports.old",
        f"holds files dgm did not write ({NOTES}); move them out of it",
    ),
    "old_link_to_raw": (
        _link_to_raw(".reports.old"),
        "reports",
        ".reports.old",
        "is a link (expected a directory dgm report created; dgm never writes through a link)",
    ),
    "old_another_users": (
        _another_users(".reports.old"),
        "reports",
        ".reports.old",
        NOT_DGMS.format(found=f"its {outdir.SENTINEL} belongs to another user"),
    ),
    "other_out_partial_users_directory": (
        _users_directory(".site.partial"),
        "site",
        ".site.partial",
        NOT_DGMS.format(found=f"it has no {outdir.SENTINEL}"),
    ),
    "other_out_old_link_to_raw": (
        _link_to_raw(".site.old"),
        "site",
        ".site.old",
        "is a link (expected a directory dgm report created; dgm never writes through a link)",
    ),
    "cache_users_directory": (
        _users_directory(".reports.cache"),
        "reports",
        ".reports.cache",
        NOT_DGMS.format(found=f"it has no {outdir.SENTINEL}"),
    ),
    "cache_link_to_raw": (
        _link_to_raw(".reports.cache"),
        "reports",
        ".reports.cache",
        "is a link (expected a directory dgm report created; dgm never writes through a link)",
    ),
    "cache_a_file": (
        _file(".reports.cache"),
        "reports",
        ".reports.cache",
        "exists and is not a directory (expected a directory)",
    ),
    "cache_another_users": (
        _another_users(".reports.cache"),
        "reports",
        ".reports.cache",
        NOT_DGMS.format(found=f"its {outdir.SENTINEL} belongs to another user"),
    ),
    "cache_is_a_report": (
        lambda root: _report(root / ".reports.cache", "a report"),
        "reports",
        ".reports.cache",
        "is a report, not a report's cache (expected a new or empty directory)",
    ),
    "out_is_a_cache": (
        _a_cache("site"),
        "site",
        "site",
        "is a report's cache (expected a new or empty directory)",
    ),
    "lock_a_directory": (
        lambda root: (root / ".reports.lock").mkdir(),
        "reports",
        ".reports.lock",
        "is not a regular file (expected the lock file dgm makes there; remove it)",
    ),
}


@pytest.fixture
def project(tmp_path, point_dgm_at):
    """A project with data/raw and an earlier report in reports/, every dgm path pointing into it."""
    root = tmp_path / "project"
    shutil.copytree(paths.RAW, root / "data" / "raw")
    _report(root / "reports", "the earlier report")
    return point_dgm_at(root)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_foreign_sibling_is_refused_and_left_as_it_was(case, project, capsys):
    setup, given, sibling, why = CASES[case]
    setup(project)
    before = digest(project, modes=True)
    code = main(["report", "--out", given, "--only", "07"])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    refused = REFUSED.format(given=given, why=f"{project / sibling} {why}")
    assert (out + err).splitlines() == [refused], out + err
    assert digest(project, modes=True) == before  # the sibling, what it holds, the report
