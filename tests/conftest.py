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
