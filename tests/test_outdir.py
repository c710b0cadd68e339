"""dgm.run.outdir: which report directory is dgm's, and a swap that a kill at any step cannot lose."""

import os
import shutil
from multiprocessing import get_context
from pathlib import Path

import pytest
from projects import die_at, digest

from dgm.errors import DgmError
from dgm.run import outdir


def _report(folder: Path, text: str) -> None:
    """A small report dgm made: two pages and a figure, each holding `text`, and the sentinel."""
    (folder / "figures").mkdir(parents=True)
    (folder / "index.html").write_text(text)
    (folder / "01_first.html").write_text(text)
    (folder / "figures" / "a.png").write_text(text)
    outdir.mark(folder)


def _digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` by the hash of its bytes (links by target)."""
    return {k: v for k, v in digest(folder).items() if v != "dir"}


def _swap_and_die(work: Path, out: Path, kill_at: int) -> None:
    """In the child: swap, with SIGKILL at the kill_at-th rename or tree removal."""
    die_at(kill_at, (os, "rename"), (shutil, "rmtree"))
    outdir.swap(work, out)


def test_a_swap_killed_at_any_step_leaves_a_whole_report_the_next_run_repairs(tmp_path):
    """Killed between the two renames (no DIR, the old report in .DIR.old), the next run renames
    .DIR.old back before anything else: `--only` then builds on the last good report."""
    kill_at, seen = 1, []
    while True:
        out = tmp_path / str(kill_at) / "reports"  # a fresh project per kill point
        _report(out, "old")
        old = _digest(out)
        work = outdir.beside(out)["work"]
        _report(work, "new")
        new = _digest(work)
        child = get_context("fork").Process(target=_swap_and_die, args=(work, out, kill_at))
        child.start()
        child.join(60)
        if child.exitcode == 0:
            break
        lines = []
        rerun = outdir.prepare(out, "reports", copy=True, echo=lines.append)
        state = _digest(out)
        assert state in (old, new), f"killed at step {kill_at}: a mixed or missing report"
        assert {k: v for k, v in _digest(rerun).items() if k != ".dgm-report"} == {
            k: v for k, v in state.items() if k != ".dgm-report"
        }  # the next run starts from the report in place
        restored = f"dgm report: {out} restored from .reports.old (an earlier run was interrupted while swapping)"
        seen.append(("old" if state == old else "new", lines == [restored]))
        kill_at += 1
    assert _digest(out) == new
    # out → .old, [killed here: no out], .old removed: old, old (restored), new
    assert seen == [("old", False), ("old", True), ("new", False)], seen


def test_a_failed_run_replaces_only_dgms_failed_run(tmp_path):
    out = tmp_path / "reports"
    for text in ("first failure", "second failure"):
        work = outdir.prepare(out, "reports", copy=False)
        (work / "index.html").write_text(text)
        kept = outdir.keep_failed(work, out)
        assert kept == tmp_path / "reports.failed"
        assert (kept / "index.html").read_text() == text
        assert not work.exists() and not out.exists()
    (kept / "notes.txt").write_text("mine")
    with pytest.raises(
        DgmError, match=r"reports.failed holds files dgm did not write \(notes.txt\)"
    ):
        outdir.prepare(out, "reports", copy=False)
    assert (kept / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize(
    "how, why",
    [
        ("sentinel open to others", "its .dgm-report is writable by others"),
        ("directory open to others", "its directory is writable by others"),
        ("another user's sentinel", "its .dgm-report belongs to another user"),
        ("a sentinel dgm did not write", "its .dgm-report was not written by dgm"),
        ("a link as sentinel", "its .dgm-report is not a regular file"),
    ],
)
def test_only_a_sentinel_of_this_user_that_no_one_else_can_write_makes_a_directory_dgms(
    tmp_path, how, why
):
    out = tmp_path / "reports"
    _report(out, "a report")
    sentinel = out / outdir.SENTINEL
    if how == "sentinel open to others":
        sentinel.chmod(0o666)
    elif how == "directory open to others":
        out.chmod(0o777)
    elif how == "another user's sentinel":
        os.chown(sentinel, 65534, 65534)
    elif how == "a sentinel dgm did not write":
        sentinel.write_text("index.html\n")
    else:
        (tmp_path / "list").write_text(sentinel.read_text())
        sentinel.unlink()
        sentinel.symlink_to(tmp_path / "list")
    before = _digest(tmp_path)
    with pytest.raises(DgmError) as refused:
        outdir.check(out, "reports")
    assert str(refused.value) == (
        f"report --out reports: {out} is not a directory dgm report created ({why}); "
        "expected a new or empty directory; nothing was changed"
    )
    assert _digest(tmp_path) == before


def test_an_empty_directory_of_another_user_is_not_taken(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    outdir.check(out, "reports")  # an empty directory of this user: nothing to lose
    os.chown(out, 65534, 65534)
    with pytest.raises(DgmError, match="belongs to another user"):
        outdir.check(out, "reports")


def test_the_sentinel_lists_links_and_files_never_following_a_link(tmp_path):
    out = tmp_path / "r"
    (out / "sub").mkdir(parents=True)
    (out / "a.html").write_text("a")
    (out / "sub" / "b.png").write_text("b")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "c.txt").write_text("c")
    (out / "linked").symlink_to(tmp_path / "elsewhere")
    assert outdir.listing(out) == (["a.html", "sub/b.png"], ["linked"])
