"""dgm.data.atomic: whole files by temp file and rename, never written through a link."""

import os

import pytest

from dgm.data import atomic
from dgm.errors import DgmError


def test_a_file_is_written_whole_by_rename_mode_0644(tmp_path):
    dest = tmp_path / "index.html"
    atomic.write_text(dest, "新")
    assert dest.read_text(encoding="utf-8") == "新"
    assert oct(dest.stat().st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]  # no temp file left


def test_a_link_at_the_destination_is_refused_and_its_target_kept(tmp_path):
    target = tmp_path / "sources.csv"
    target.write_text("raw data")
    dest = tmp_path / "index.html"
    dest.symlink_to(target)
    with pytest.raises(DgmError, match=r"index.html is a link \(expected dgm's own file"):
        atomic.write_text(dest, "a page")
    assert target.read_text() == "raw data" and dest.is_symlink()


def test_a_link_as_the_directory_is_refused(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "figures").symlink_to(tmp_path / "raw")
    with pytest.raises(DgmError, match=r"figures is a link \(expected dgm's own directory"):
        atomic.write_bytes(tmp_path / "figures" / "a.png", b"png")
    assert list((tmp_path / "raw").iterdir()) == []


def test_temporary_names_are_dgms_own_and_end_like_the_file(tmp_path):
    tmp = atomic.temp_beside(tmp_path / "07_policy_measures.ipynb")
    assert tmp.name.startswith(atomic.TMP_PREFIX) and tmp.name.endswith(".07_policy_measures.ipynb")
    assert atomic.STALE.match(tmp.name)
    assert not atomic.STALE.match(".x.csv.abcdefgh") and not atomic.STALE.match(".panel.csv.link-1")


def test_write_files_is_all_or_nothing(tmp_path, monkeypatch):
    first, second = tmp_path / "a.csv", tmp_path / "a.csv.yml"
    real = os.replace

    def replace(src, dst):
        if dst == second:
            raise PermissionError(13, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(PermissionError) as failed:
        atomic.write_files([(b"data", first), (b"manifest", second)])
    assert failed.value.filename == str(second)
    assert list(tmp_path.iterdir()) == []  # the renamed first file is gone again, no temp left


def test_remove_tree_removes_a_link_not_its_target(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "kept.csv").write_text("kept")
    (tmp_path / "old").symlink_to(tmp_path / "raw")
    atomic.remove_tree(tmp_path / "old")
    assert not os.path.lexists(tmp_path / "old")
    assert (tmp_path / "raw" / "kept.csv").read_text() == "kept"
