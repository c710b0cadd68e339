"""Shared test set-up: the CJK font cache is warmed once per session, before any test draws.

Test lanes: tests that execute notebooks, run `dgm report` or a benchmark, or drive a browser or
LibreOffice carry `@pytest.mark.slow`; `make test-fast` deselects them (`-m "not slow"`) and
`make test` runs them all.
"""

import pytest


@pytest.fixture(scope="session", autouse=True)
def cjk_font_cache():
    """The converted CJK TrueType font, built once (~20 s on a fresh machine; a file lock keeps
    parallel xdist workers from converting it twice)."""
    from dgm import fonts

    return fonts.cjk_font_path()


@pytest.fixture
def point_dgm_at(monkeypatch):
    """A function that points dgm's data paths (and the registry's targets file) at a project
    copy and changes into it, as DGM_ROOT does for a fresh process: commands run in-process."""
    from dgm import paths, registry

    def point(root):
        for name, rel in [
            ("ROOT", ""),
            ("DATA", "data"),
            ("RAW", "data/raw"),
            ("PROCESSED", "data/processed"),
            ("REPORTS", "reports"),
        ]:
            monkeypatch.setattr(paths, name, root / rel if rel else root)
        monkeypatch.setattr(registry, "TARGETS_CSV", root / "data" / "raw" / "targets.csv")
        monkeypatch.chdir(root)
        return root

    return point
