"""dgm report's cache (dgm.run.report_cache): a second run with nothing changed executes no job and
writes the same bytes; a changed notebook, parameter or raw file reruns exactly the jobs it feeds;
--fresh reruns all; an entry that does not read back whole is not used."""

import datetime as dt
import functools
import json
import shutil

import pytest
from projects import SAVE, digest, tiny_notebook

from dgm import paths
from dgm.present import landing
from dgm.run import outdir, report, report_cache

pytestmark = pytest.mark.slow  # every run starts kernels
NAMES = ("01_first", "02_second", "03_third")


@pytest.fixture
def frozen_clock(monkeypatch):
    """The landing page's run date fixed (the only clock text in a report's pages), so that two
    runs can be compared byte for byte."""
    when = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(landing, "run_record", functools.partial(landing.run_record, when))


@pytest.fixture
def collection(tmp_path):
    """Three tiny notebooks, each saving a figure of its own."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in NAMES:
        tiny_notebook(folder / f"{name}.ipynb", SAVE.format(name=name))
    return folder


def _run(out, collection, log=None, **kwargs) -> dict[str, bool]:
    """Run the report; {job: whether it came from the cache}, from the report's own results."""
    results = report.run_report(
        out,
        notebooks_dir=collection,
        workbook=False,
        echo=(log if log is not None else []).append,
        **kwargs,
    )
    assert all(r.ok for r in results), [r.error for r in results]
    return {r.name: r.cached for r in results}


def _without_timings(tree: dict, out) -> dict:
    """`digest(out)` with each executed notebook's papermill timings (start, end, duration:
    different in every execution) left out; everything else by its bytes."""
    shown = dict(tree)
    for name in NAMES:
        nb = json.loads((out / "notebooks" / f"{name}.ipynb").read_text())
        for part in [nb["metadata"]] + [c["metadata"] for c in nb["cells"]]:
            part.pop("papermill", None)
            part.pop("execution", None)
        shown[f"notebooks/{name}.ipynb"] = json.dumps(nb, sort_keys=True)
    return shown


def test_nothing_changed_nothing_runs_and_the_bytes_are_the_same(
    collection, tmp_path, frozen_clock
):
    out = tmp_path / "reports"
    assert _run(out, collection) == dict.fromkeys(NAMES, False)
    first = digest(out)
    log = []
    assert _run(out, collection, log) == dict.fromkeys(NAMES, True)
    assert digest(out) == first  # every file, index.html and the sentinel included
    assert not any(line.startswith("[") for line in log), log  # no job ran (no progress line)
    assert "3 of 3 jobs unchanged since the last run" in "\n".join(log)
    assert (tmp_path / ".reports.cache" / outdir.SENTINEL).read_text() == outdir.CACHE_HEADER + "\n"

    assert _run(out, collection, fresh=True) == dict.fromkeys(NAMES, False)  # --fresh: all run
    assert _without_timings(digest(out), out) == _without_timings(first, out)


def test_one_changed_notebook_reruns_that_job_alone(collection, tmp_path, frozen_clock):
    out = tmp_path / "reports"
    _run(out, collection)
    tiny_notebook(collection / "02_second.ipynb", SAVE.format(name="second") + "\nprint(2)")
    assert _run(out, collection) == {"01_first": True, "02_second": False, "03_third": True}
    executed = (out / "notebooks" / "02_second.ipynb").read_text()
    assert '"2\\n"' in executed  # the new notebook's output, not the kept one
    after = digest(out)
    assert _run(out, collection) == dict.fromkeys(NAMES, True)  # its new entry is kept
    assert digest(out) == after


def test_a_changed_parameter_or_raw_file_reruns_the_jobs_it_feeds(
    collection, tmp_path, monkeypatch, frozen_clock
):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    monkeypatch.setattr(paths, "RAW", raw)
    out = tmp_path / "reports"
    _run(out, collection, lang="en")
    assert _run(out, collection, lang="zh") == dict.fromkeys(NAMES, False)  # injected: all
    assert _run(out, collection, lang="zh") == dict.fromkeys(NAMES, True)
    assert _run(out, collection, lang="zh", edition="reader") == dict.fromkeys(NAMES, False)
    (raw / "sources.csv").write_bytes((raw / "sources.csv").read_bytes() + b"\n")
    assert _run(out, collection, lang="zh", edition="reader") == dict.fromkeys(NAMES, False)
    assert _run(out, collection, only=["03"], lang="zh", edition="reader") == {"03_third": True}


def test_an_entry_that_does_not_read_back_whole_is_not_used(collection, tmp_path):
    out = tmp_path / "reports"
    _run(out, collection)
    cache = tmp_path / ".reports.cache"
    kept = cache / "01_first" / report_cache.FILES / "figures" / "01_first.png"
    assert kept.read_bytes() == b"png"
    kept.write_bytes(b"gnp")  # changed in the cache: its SHA-256 no longer matches
    third = cache / "03_third" / report_cache.FILES / "03_third.html"
    third.unlink()
    third.symlink_to(out / "03_third.html")  # a link: never read through
    assert _run(out, collection) == {"01_first": False, "02_second": True, "03_third": False}
    assert (out / "figures" / "01_first.png").read_bytes() == b"png"
    assert kept.read_bytes() == b"png" and not third.is_symlink()  # both entries rewritten
