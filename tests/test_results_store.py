"""dgm.data.results_store: a report's results computed once, read back only under the same key.

The key holds the call (arguments after defaults), the content of data/raw and the code version;
a changed parameter, raw file or code gives a miss and a recomputation; what is read back is the
same as what recomputing gives (records, forecast fans, backtests). Kernels reading the store
are tested in the slow lane (tests/test_results_store_notebooks.py).
"""

import json
import shutil

import pytest

from dgm import paths
from dgm.data import loaders, results_store
from dgm.engine import assess, backtest, gaps
from dgm.jsonsafe import plain
from dgm.run import kernels, selection

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
        "dgm.engine.assess.assessments(as_of=None, n_paths=10000, seed=7, data_to=None)"
    )


def test_without_a_store_every_call_computes(monkeypatch, store):
    monkeypatch.delenv(results_store.ENV, raising=False)
    assert results_store.store_dir() is None
    assert _square(3) == _square(3) == {"value": 9}
    assert CALLS == [3, 3]
    assert not store.exists()


def test_save_outside_writing_says_there_is_no_store(monkeypatch):
    monkeypatch.delenv(results_store.ENV, raising=False)
    with pytest.raises(RuntimeError, match="outside writing"):
        results_store.save(_square, (3,), {}, {"value": 9})


def test_written_once_then_read_back_without_computing(monkeypatch, store):
    with results_store.writing(store):
        assert _square(4) == {"value": 16}
    assert CALLS == [4] and len(list(store.glob("*.npz"))) == 1
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
    rates = package / "engine" / "rates.py"  # in a layer's folder: the digest walks them all
    rates.write_text(rates.read_text() + "\n# changed\n")
    assert results_store.code_digest(package) != first


def test_the_code_fingerprint_covers_the_whole_package():
    assert results_store.code_fingerprint() == results_store.code_digest(paths.ROOT / "dgm")


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
    _same(read, written)  # the .npz store gives back every field, dtype and bit it was given
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
    loaders._panel.cache_clear()  # computed in this process before: it would not be computed again
    with results_store.writing(store):
        bt = backtest.backtest_all()
        long = loaders.panel_long()
    assert len(list(store.glob("*.npz"))) >= 2  # the backtests and at least the panel they read
    loaders._panel.cache_clear()
    with results_store.reading(store):
        _same(backtest.backtest_all(), bt)
        _same(loaders.panel_long(), long)
    assert backtest.backtest_all().equals(bt)


def test_report_calls_cover_every_view_the_notebooks_name():
    nbs = selection.notebooks()
    calls = selection.report_calls(nbs, {"lang": "en", "figures_dir": "figures"}, 10_000, 2015)
    names = [results_store.call_name(f, (), kw) for f, kw in calls]
    assert names == [
        "dgm.engine.assess.assessments(as_of=None, n_paths=10000, seed=2015, data_to=None)",
        "dgm.engine.backtest.backtest_all(as_of=None, vintage='real-time')",
        "dgm.engine.assess.assessments(as_of='2015-01-20', n_paths=10000, seed=2015, data_to=None)",
        "dgm.engine.assess.assessments(as_of=None, n_paths=10000, seed=2015, data_to=2014)",
        "dgm.engine.gaps.find_gaps(as_of=None, n_paths=2000, seed=2015, needing_only=True)",
    ]
    injected = selection.report_calls(nbs, {"seed": 7, "as_of": 2020}, 10_000, 2015, workbook=False)
    views = [kw for f, kw in injected if f is assess.assessments]
    assert {"as_of": 2020, "n_paths": 10_000, "seed": 7} in views
    assert all(kw["seed"] == 7 for kw in views)
    assert [kw for f, kw in injected if f is gaps.find_gaps] == [
        {"as_of": 2020, "seed": 7, "needing_only": True}
    ]
    assert selection.report_calls([], {}, 10_000, 2015, workbook=False) == []


def test_notebook_parameters_are_read_from_the_parameters_cell():
    params = selection.notebook_parameters(paths.NOTEBOOKS / "08_realism_then_and_now.ipynb")
    assert params["then"] == "2015-01-20" and params["data_to"] == 2014
    assert params["n_paths"] == 10_000 and params["as_of"] is None


def _run(src, work, params, env=None) -> dict:
    """Execute a notebook as the report does (papermill, IPC kernel, `env`) -> its records."""
    from dgm.present.notebook_records import read_records

    work.mkdir(parents=True)
    kernels.execute(src, work / src.name, params, work, env)
    return read_records(work / src.name)


def _files(directory) -> dict:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.slow  # runs notebooks
@pytest.mark.parametrize("name", ["01_output_two_trillion", "08_realism_then_and_now"])
def test_a_notebook_records_and_draws_the_same_with_and_without_the_store(name, tmp_path):
    src = paths.NOTEBOOKS / f"{name}.ipynb"
    params = {"lang": "en", "n_paths": N, "figures_dir": "figures"}
    store = tmp_path / "store"
    for func, kwargs in selection.report_calls([src], params, N, 2015, workbook=False):
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


def _same(a, b, where="value"):
    """a and b equal in type, dtype and every bit (frames, arrays, dataclasses, records)."""
    import dataclasses
    import math

    import numpy as np
    import pandas as pd

    assert type(a) is type(b), (where, type(a), type(b))
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, check_index_type=True)
        assert list(a.columns) == list(b.columns) and a.attrs == b.attrs, where
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, check_index_type=True)
    elif isinstance(a, pd.Index):
        pd.testing.assert_index_equal(a, b, exact=True)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, where
        assert np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"), where
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            _same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), where
    else:
        assert a is b or a == b, (where, a, b)


def test_the_codec_round_trips_every_kind_of_value_exactly():
    import datetime as dt

    import numpy as np
    import pandas as pd

    from dgm.data import store_codec

    frame = pd.DataFrame(
        {
            "text": pd.array(["a", np.nan], dtype="str"),
            "objects": pd.Series(["a", None], dtype=object),  # object stays object, None None
            "count": pd.array([1, None], dtype="Int64"),
            "value": [0.1 + 0.2, np.nan],
            "flag": [True, False],
            "cat": pd.Categorical(["u", "v"], ordered=True),
            "day": pd.to_datetime(["2020-01-01", None]),
            "dicts": pd.Series([{"h": 1}, {}], dtype=object),
        },
        index=pd.Index(["p", "p"], name="k"),  # duplicate labels
    )
    frame.attrs["unit"] = "亿元"
    values = [
        frame,
        pd.DataFrame(np.arange(6.0).reshape(2, 3), columns=pd.Index([0.5, 0.025, 0.975])),
        pd.DataFrame({"a": [1]}, index=pd.MultiIndex.from_tuples([("x", 1)], names=["n", None])),
        pd.Series([1.5, -0.0], index=pd.RangeIndex(3, 5), name="s"),
        pd.DataFrame(),
        np.array([[1, 2], [3, 4]], dtype=np.int32),
        {
            1: (2, 3.0, {"x"}, frozenset()),
            (1, 2): [None, float("inf"), np.float32(1.1), np.int64(3), np.bool_(True)],
            "dates": [dt.date(2020, 1, 2), dt.datetime(2020, 1, 2, 3), pd.NA, pd.NaT],
            "long": 10**30,
        },
    ]
    for value in values:
        _same(store_codec.loads(store_codec.dumps(value)), value)


def test_a_file_naming_a_foreign_class_is_never_built(store, capsys):
    """An edited store entry that names os.system (or any non-dgm class) is refused and the
    call computed; nothing in the file runs."""
    import io

    import numpy as np

    from dgm.data import store_codec

    tree = {
        "$dict": [
            ["call", results_store.call_name(_square, (8,))],
            ["value", {"$dataclass": "os:system", "fields": [["command", "touch /tmp/pwned"]]}],
        ]
    }
    buffer = io.BytesIO()
    np.savez(buffer, __tree__=np.frombuffer(json.dumps(tree).encode(), dtype=np.uint8))
    with pytest.raises(store_codec.CodecError, match="os:system is not a dgm type"):
        store_codec.loads(buffer.getvalue())
    with results_store.writing(store):
        path = results_store.save(_square, (8,), {}, {"value": 0})
    path.write_bytes(buffer.getvalue())
    with results_store.reading(store):
        assert _square(8) == {"value": 64}  # computed, not read
    assert "is not a dgm type" in capsys.readouterr().err
    pickled = __import__("pickle").dumps({"call": "x", "value": 1})
    with pytest.raises(store_codec.CodecError, match="not a results file"):
        store_codec.loads(pickled)  # a pickle is no .npz: never unpickled


@pytest.mark.parametrize("how", ["open to others", "another user's", "a link"])
def test_dgm_results_must_name_a_private_directory_of_this_user(
    how, store, tmp_path, monkeypatch, capsys
):
    import os

    with results_store.writing(store):
        _square(9)
    assert oct(store.stat().st_mode & 0o777) == "0o700"
    CALLS.clear()
    given = store
    if how == "open to others":
        store.chmod(0o755)
    elif how == "another user's":
        os.chown(store, 65534, 65534)
    else:
        given = tmp_path / "link"
        given.symlink_to(store)
    monkeypatch.setenv(results_store.ENV, str(given))
    assert _square(9) == {"value": 81} and CALLS == [9]  # computed: the store was not read
    assert capsys.readouterr().err == (
        f"dgm: ignoring DGM_RESULTS={given}: not a private directory of this user (expected the "
        "mode 0700 directory dgm report makes)\n"
    )


def test_a_report_store_is_made_private_by_the_run(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    store = results_store.new_store()
    assert store.parent == tmp_path and store.name.startswith(results_store.PREFIX)
    assert results_store.private(store) and oct(store.stat().st_mode & 0o777) == "0o700"
