"""The code fingerprint of the results store names the library versions a result was computed
with: a stored result is never read back under another version of any library dgm runs on."""

import importlib.metadata
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from dgm import paths
from dgm.data import results_store

CALLS = []


@results_store.stored
def _cube(x):
    """A stored function that counts its computations."""
    CALLS.append(x)
    return {"value": x**3}


def _with_version(monkeypatch, library: str, shown: str) -> None:
    """importlib.metadata.version answers `shown` for `library`, the installed version otherwise;
    the process's cached fingerprint is forgotten."""
    real = importlib.metadata.version

    def version(name):
        return shown if canonicalize_name(name) == canonicalize_name(library) else real(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    results_store.code_fingerprint.cache_clear()


@pytest.fixture(autouse=True)
def fresh_fingerprint():
    """Every test starts and ends with the fingerprint of the installed libraries."""
    results_store.code_fingerprint.cache_clear()
    yield
    results_store.code_fingerprint.cache_clear()


@pytest.mark.parametrize(
    "library", ["pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "pyyaml"]
)
def test_another_library_version_gives_another_fingerprint(library, monkeypatch):
    installed = results_store.code_fingerprint()
    _with_version(monkeypatch, library, importlib.metadata.version(library))
    assert results_store.code_fingerprint() == installed  # the same versions: the same digest
    _with_version(monkeypatch, library, "0.0.1")
    assert results_store.code_fingerprint() != installed, f"{library}'s version is not in it"


def test_a_result_stored_under_another_library_version_is_computed_again(tmp_path, monkeypatch):
    CALLS.clear()
    store = tmp_path / "store"
    installed = importlib.metadata.version("pandas")
    _with_version(monkeypatch, "pandas", "2.2.3")  # a report computed with an older pandas
    with results_store.writing(store):
        _cube(5)
    with results_store.reading(store):
        assert _cube(5) == {"value": 125}
    assert CALLS == [5]  # read back under the same versions
    _with_version(monkeypatch, "pandas", installed)  # pandas upgraded since
    with results_store.reading(store):
        assert _cube(5) == {"value": 125}
    assert CALLS == [5, 5]  # not reused


def test_every_runtime_dependency_is_versioned():
    """pyproject's dependencies (what dgm's results and figures are made with) are all in it."""
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {canonicalize_name(Requirement(r).name) for r in project["project"]["dependencies"]}
    assert declared == {canonicalize_name(n) for n in results_store.VERSIONED}
