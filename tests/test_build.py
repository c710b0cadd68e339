"""dgm build publishes data/processed as one generation: killed at any rename, old or new, never a mix."""

import os
import shutil
from multiprocessing import get_context
from pathlib import Path

import pandas as pd
from projects import die_at

from dgm.data import build

NAMES = ("panel.csv", "panel_wide.csv", "coverage.csv", "conflicts.csv")


def _publish_and_die(out: Path, tag: str, kill_at: int) -> None:
    """In the child: publish tables NAMES that each hold `tag`, with SIGKILL at the kill_at-th
    link, rename or removal of a directory (0: never)."""
    die_at(kill_at, (os, "replace"), (os, "symlink"), (shutil, "rmtree"))
    build.publish({n: pd.DataFrame({"generation": [tag]}) for n in NAMES}, out)


def _publish(out: Path, tag: str, kill_at: int = 0) -> int:
    """Publish in a child process; its exit status (-9 when killed). The child is forked, not a
    fresh interpreter: a real process that really dies, without importing pandas nine times."""
    child = get_context("fork").Process(target=_publish_and_die, args=(out, tag, kill_at))
    child.start()
    child.join(120)
    if child.exitcode is None:
        child.kill()
        raise AssertionError("publish hung for 120 s")
    return child.exitcode


def _generations(out: Path) -> set[str]:
    """The generation tag each table reads as, through data/processed/NAME."""
    return {pd.read_csv(out / n)["generation"].iloc[0] for n in NAMES}


def _entries(out: Path) -> list[str]:
    """Everything in out (generation directories by their count only)."""
    names = sorted(p.name for p in out.iterdir())
    return names + [f"{len(list((out / build.GENERATIONS).iterdir()))} generation(s)"]


def test_killed_at_each_rename_leaves_old_or_new_and_the_next_build_cleans_up(tmp_path):
    out = tmp_path / "processed"
    out.mkdir()
    (out / "README.md").write_text("kept")
    assert _publish(out, "old") == 0
    clean = [".current", ".generations", "README.md", *sorted(NAMES), "1 generation(s)"]
    assert _entries(out) == sorted(clean[:-1]) + clean[-1:]
    kill_at, outcomes = 1, []
    while _publish(out, "new", kill_at) == -9:
        (seen,) = _generations(out)  # one generation, whichever it is
        outcomes.append(seen)
        assert _publish(out, "old") == 0  # the next build cleans up and restores "old"
        assert _generations(out) == {"old"}
        assert _entries(out) == sorted(clean[:-1]) + clean[-1:]
        kill_at += 1
    assert _generations(out) == {"new"}
    # link, switch (one rename), remove the old generation: killed before the switch "old", after it "new"
    assert outcomes == ["old", "old", "new"], outcomes
    assert (out / "README.md").read_text() == "kept"


def test_tables_are_world_readable_and_reached_by_their_usual_names(tmp_path):
    build.publish({"panel.csv": pd.DataFrame({"a": [1]})}, tmp_path)
    target = (tmp_path / "panel.csv").resolve()
    assert target.parent.parent.name == build.GENERATIONS
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert pd.read_csv(tmp_path / "panel.csv")["a"].tolist() == [1]


def test_old_layout_files_are_replaced_and_only_dgms_temp_files_removed(tmp_path):
    (tmp_path / "panel.csv").write_text("a\nold\n")
    (tmp_path / ".dgm-tmp.k2j4_9zq.panel.csv").write_text("a temp file a killed build left")
    (tmp_path / ".dgm-link.panel.csv.4711").symlink_to("nowhere")  # a link a killed build left
    (tmp_path / ".keep").write_text("not dgm's")
    (tmp_path / ".x.csv.abcdefgh").write_text("a user's file named like a temp file")
    (tmp_path / ".panel.csv.link-4711").symlink_to("mine")  # so is this
    (tmp_path / build.GENERATIONS).mkdir()
    (tmp_path / build.GENERATIONS / "notes.txt").write_text("not a generation")
    build.publish({"panel.csv": pd.DataFrame({"a": ["new"]})}, tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        ".current",
        ".generations",
        ".keep",
        ".panel.csv.link-4711",
        ".x.csv.abcdefgh",
        "panel.csv",
    ]
    assert (tmp_path / "panel.csv").is_symlink()
    assert (tmp_path / "panel.csv").read_text() == "a\nnew\n"
    assert (tmp_path / ".x.csv.abcdefgh").read_text() == "a user's file named like a temp file"
    assert (tmp_path / build.GENERATIONS / "notes.txt").exists()


def test_a_second_build_waits_for_the_first(tmp_path):
    import fcntl
    import threading

    build.publish({"panel.csv": pd.DataFrame({"a": ["first"]})}, tmp_path)
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)  # another open directory: another holder
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a build in progress
        second = threading.Thread(
            target=build.publish, args=({"panel.csv": pd.DataFrame({"a": ["second"]})}, tmp_path)
        )
        second.start()
        second.join(1.0)
        assert second.is_alive()  # waiting
        assert (tmp_path / "panel.csv").read_text() == "a\nfirst\n"
    finally:
        os.close(fd)
    second.join(30)
    assert (tmp_path / "panel.csv").read_text() == "a\nsecond\n"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
