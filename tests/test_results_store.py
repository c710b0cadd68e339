"""dgm.results_store: a report's results computed once, read back only under the same key.

The key holds the call (arguments after defaults), the content of data/raw and the code version;
a changed parameter, raw file or code gives a miss and a recomputation; what is read back is the
same as what recomputing gives (records, forecast fans, backtests). Kernels reading the store
are tested in the slow lane (tests/test_results_store_notebooks.py).
"""

import json
import shutil

import pytest

from dgm import assess, backtest, data, gaps, paths, report, results_store
from dgm.jsonsafe import plain

N = 200  # simulated paths: enough to compare, fast
CALLS = []


@results_store.stored
def _square(x, scale=1):
    """A stored function that counts its computations."""
    CALLS.append(x)
    return {"value": x * x * scale}


@pytest.fixture
def store(tmp_path):
    CALLS.clear()
    return tmp_path / "store"


@pytest.fixture
def raw_copy(tmp_path, monkeypatch):
    """A copy of data/raw that paths.RAW points to (so a test may change a file)."""
    copy = tmp_path / "raw"
    shutil.copytree(paths.RAW, copy)
    monkeypatch.setattr(paths, "RAW", copy)
    return copy


def _json(records) -> str:
    return json.dumps(plain(records), sort_keys=True, ensure_ascii=False)


def test_the_key_binds_arguments_after_defaults_and_keeps_their_types():
    key = results_store.key
    assert key(_square, (3,)) == key(_square, (), {"x": 3}) == key(_square, (3, 1))
    assert key(_square, (3,)) != key(_square, (3, 2))
    assert key(_square, (2014,)) != key(_square, ("2014",))  # as_of 2014 and "2014" differ
    assert results_store.call_name(_square, (3,)) == f"{__name__}._square(x=3, scale=1)"
    assert results_store.call_name(assess.assessments, (), {"seed": 7}) == (
        "dgm.assess.assessments(as_of=None, n_paths=10000, seed=7, data_to=None)"
    )


def test_without_a_store_every_call_computes(monkeypatch, store):
    monkeypatch.delenv(results_store.ENV, raising=False)
    assert results_store.store_dir() is None
    assert _square(3) == _square(3) == {"value": 9}
    assert CALLS == [3, 3]
    assert not store.exists()


def test_written_once_then_read_back_without_computing(monkeypatch, store):
    with results_store.writing(store):
        assert _square(4) == {"value": 16}
    assert CALLS == [4] and len(list(store.glob("*.pkl"))) == 1
    with results_store.reading(store):
        assert _square(4) == {"value": 16}
        assert _square(x=4, scale=1) == {"value": 16}
    assert CALLS == [4]  # read, not computed
    monkeypatch.setenv(results_store.ENV, str(store))  # how kernels find it
    assert _square(4) == {"value": 16} and CALLS == [4]


def test_the_store_is_what_is_read(store):
    """A doctored entry under the right key is returned as is: the lookup really reads files."""
    with results_store.writing(store):
        _square(5)
    with results_store._using(store, write=True):
        results_store.save(_square, (5,), {}, {"value": "doctored"})
    with results_store.reading(store):
        assert _square(5) == {"value": "doctored"}


def test_a_changed_parameter_recomputes(store):
    with results_store.writing(store):
        _square(3)
    with results_store.reading(store):
        assert _square(3, scale=2) == {"value": 18}
        assert _square(3) == {"value": 9}
    assert CALLS == [3, 3]  # the second computation is the one with scale=2


def test_a_changed_raw_file_recomputes(store, raw_copy):
    with results_store.writing(store):
        _square(6)
    before = results_store.raw_fingerprint()
    sources = raw_copy / "sources.csv"
    sources.write_bytes(sources.read_bytes() + b"\n")  # one byte more
    assert results_store.raw_fingerprint() != before
    with results_store.reading(store):
        _square(6)
    assert CALLS == [6, 6]


def test_a_changed_code_file_changes_the_code_digest(tmp_path):
    package = tmp_path / "dgm"
    shutil.copytree(paths.ROOT / "dgm", package, ignore=shutil.ignore_patterns("__pycache__"))
    first = results_store.code_digest(package)
    assert results_store.code_digest(package) == first
    (package / "rates.py").write_text((package / "rates.py").read_text() + "\n# changed\n")
    assert results_store.code_digest(package) != first


def test_a_changed_code_version_recomputes(store, monkeypatch):
    with results_store.writing(store):
        _square(7)
    monkeypatch.setattr(results_store, "code_fingerprint", lambda: "another version")
    with results_store.reading(store):
        _square(7)
    assert CALLS == [7, 7]


def test_stored_assessments_are_those_recomputed(store):
    with results_store.writing(store):
        written = assess.assessments(n_paths=N)
    with results_store.reading(store):
        read = assess.assessments(n_paths=N)
        one = {
            a.record["target_id"]: assess.assessment(a.record["target_id"], n_paths=N) for a in read
        }
    fresh = assess.assessments(n_paths=N)
    assert _json([a.record for a in read]) == _json([a.record for a in fresh])
    assert _json([a.record for a in written]) == _json([a.record for a in fresh])
    for a in fresh:
        b = one[a.record["target_id"]]
        alone = assess.assessment(a.record["target_id"], n_paths=N)  # computed for this goal alone
        assert _json(b.record) == _json(alone.record) == _json(a.record)
        if a.fan is None:
            assert b.fan is None and alone.fan is None
        else:
            assert b.fan.equals(a.fan) and alone.fan.equals(a.fan)
            assert (b.forecast.paths == a.forecast.paths).all()


def test_a_goal_of_another_view_is_computed_not_read(store):
    with results_store.writing(store):
        assess.assessments(n_paths=N)
    with results_store.reading(store):
        other = assess.assessment("rd_intensity_2025", n_paths=N, seed=7)
    assert other.record["target_id"] == "rd_intensity_2025"
    assert _json(other.record) == _json(
        assess.assessment("rd_intensity_2025", n_paths=N, seed=7).record
    )
    with pytest.raises(KeyError, match="no_such_goal"), results_store.reading(store):
        assess.assessment("no_such_goal", n_paths=N)


@pytest.mark.slow  # two backtests of the shipped data; the fast lane keeps the assessments' twin
def test_stored_backtests_and_panel_are_those_recomputed(store):
    data._panel.cache_clear()  # computed in this process before: it would not be computed again
    with results_store.writing(store):
        bt = backtest.backtest_all()
        long = data.panel_long()
    assert len(list(store.glob("*.pkl"))) >= 2  # the backtests and at least the panel they read
    data._panel.cache_clear()
    with results_store.reading(store):
        assert backtest.backtest_all().equals(bt)
        assert data.panel_long().equals(long)
    assert backtest.backtest_all().equals(bt)


def test_report_calls_cover_every_view_the_notebooks_name():
    nbs = report.notebooks()
    calls = report.report_calls(nbs, {"lang": "en", "figures_dir": "figures"}, 10_000, 2015)
    names = [results_store.call_name(f, (), kw) for f, kw in calls]
    assert names == [
        "dgm.assess.assessments(as_of=None, n_paths=10000, seed=2015, data_to=None)",
        "dgm.backtest.backtest_all(as_of=None, vintage='final')",
        "dgm.assess.assessments(as_of='2015-01-20', n_paths=10000, seed=2015, data_to=None)",
        "dgm.assess.assessments(as_of=None, n_paths=10000, seed=2015, data_to=2014)",
        "dgm.gaps.find_gaps(as_of=None, n_paths=2000, seed=2015, needing_only=True)",
    ]
    injected = report.report_calls(nbs, {"seed": 7, "as_of": 2020}, 10_000, 2015, workbook=False)
    views = [kw for f, kw in injected if f is assess.assessments]
    assert {"as_of": 2020, "n_paths": 10_000, "seed": 7} in views
    assert all(kw["seed"] == 7 for kw in views)
    assert [kw for f, kw in injected if f is gaps.find_gaps] == [
        {"as_of": 2020, "seed": 7, "needing_only": True}
    ]
    assert report.report_calls([], {}, 10_000, 2015, workbook=False) == []


def test_notebook_parameters_are_read_from_the_parameters_cell():
    params = report.notebook_parameters(paths.NOTEBOOKS / "08_realism_then_and_now.ipynb")
    assert params["then"] == "2015-01-20" and params["data_to"] == 2014
    assert params["n_paths"] == 10_000 and params["as_of"] is None


def _run(src, work, params, env=None) -> dict:
    """Execute a notebook as the report does (papermill, IPC kernel, `env`) -> its records."""
    from dgm.notebook_records import read_records

    work.mkdir(parents=True)
    report.execute(src, work / src.name, params, work, env)
    return read_records(work / src.name)


def _files(directory) -> dict:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.slow  # runs notebooks
@pytest.mark.parametrize("name", ["01_output_two_trillion", "08_realism_then_and_now"])
def test_a_notebook_records_and_draws_the_same_with_and_without_the_store(name, tmp_path):
    src = paths.NOTEBOOKS / f"{name}.ipynb"
    params = {"lang": "en", "n_paths": N, "figures_dir": "figures"}
    store = tmp_path / "store"
    for func, kwargs in report.report_calls([src], params, N, 2015, workbook=False):
        results_store.precompute(store, func, kwargs)
    with_store = _run(src, tmp_path / "with", params, results_store.kernel_env(store))
    without = _run(src, tmp_path / "without", params)
    assert with_store and _json(with_store) == _json(without)
    figures = _files(tmp_path / "with" / "figures")
    assert figures and figures == _files(tmp_path / "without" / "figures")


@pytest.mark.slow  # runs a notebook
def test_a_kernel_reads_the_store(tmp_path):
    """A doctored entry in the store shows in the notebook: the kernel read it, not recomputed."""
    src = paths.NOTEBOOKS / "01_output_two_trillion.ipynb"
    store = tmp_path / "store"
    with results_store.writing(store):
        found = assess.assessments(n_paths=N)
        for a in found:
            a.record["p_attain"] = 0.123456
        results_store.save(assess.assessments, (), {"n_paths": N}, found)
    recs = _run(src, tmp_path / "run", {"n_paths": N}, results_store.kernel_env(store))
    assert [row["p_attain"] for row in recs["assessment"]] == [0.123456]
