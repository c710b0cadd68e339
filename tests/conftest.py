"""Shared test set-up: the CJK font cache is warmed once per session, before any test draws.

Test lanes: tests that execute notebooks, run `dgm report` or a benchmark, or drive a browser or
LibreOffice carry `@pytest.mark.slow`; `make test-fast` deselects them (`-m "not slow"`) and
`make test` runs them all. Where a test walks one code path many times (every goal's sliders, each
language's drawings), the fast lane keeps a stated representative part and the rest of the walk is
marked slow with `pytest.param(..., marks=pytest.mark.slow)`, so `make test` still runs all of it.
"""

import pytest


def pytest_configure(config):
    """Import nbformat before collection, not first from a test module: its import builds about 40
    lark grammars (jsonschema -> rfc3987-syntax), and at the stack depth of pytest's collection
    CPython 3.11 maps and unmaps frame-stack memory ~340,000 times doing it (strace): ~4 s more
    system time in every process that collects. The xdist controller collects nothing: skipped."""
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        _without_iri_format_checks()
        import nbformat  # noqa: F401


def _without_iri_format_checks():
    """Tell Python the optional rfc3987_syntax is absent in test processes. jsonschema imports it,
    when installed (jupyter-events asks for it), only to register the "iri" format checkers, and
    its import compiles lark grammars: ~1.8 s CPU in every process that imports nbformat. No schema
    these tests validate uses those formats (nbformat validates without a format checker), so
    nothing they check changes; notebooks, kernels and `dgm report` keep the full import."""
    import sys

    sys.modules.setdefault("rfc3987_syntax", None)


@pytest.fixture(scope="session", autouse=True)
def cjk_font_cache():
    """The converted CJK TrueType font, built once (~20 s on a fresh machine; a file lock keeps
    parallel xdist workers from converting it twice)."""
    from dgm.present import fonts

    return fonts.cjk_font_path()


@pytest.fixture
def point_dgm_at(monkeypatch):
    """A function that points dgm's data paths at a project copy and changes into it, as
    DGM_ROOT does for a fresh process: commands run in-process."""
    from dgm import paths

    def point(root):
        for name, rel in [
            ("ROOT", ""),
            ("DATA", "data"),
            ("RAW", "data/raw"),
            ("PROCESSED", "data/processed"),
            ("REPORTS", "reports"),
        ]:
            monkeypatch.setattr(paths, name, root / rel if rel else root)
        monkeypatch.chdir(root)
        return root

    return point
