"""An executed notebook → its report pages (reader and reviewer editions), and the report's
index.html; the page text and furniture themselves are dgm.present.pages and dgm.present.landing."""

from __future__ import annotations

from pathlib import Path

EDITIONS = ("reader", "reviewer")  # reader: no code (NN_name.html); reviewer: full page


def editions(edition: str) -> tuple[str, ...]:
    """The editions written for `--edition` (reader first: the landing page links it)."""
    if edition not in EDITIONS + ("both",):
        raise ValueError(f"--edition must be reader, reviewer or both, got {edition!r}")
    return EDITIONS if edition == "both" else (edition,)


def stable_ids(written: Path, executed: Path) -> None:
    """Give papermill's injected-parameters cell in `written` a fixed id (it draws a random one
    each run), and name `executed`, where `written` is renamed to, as papermill's output path."""
    import nbformat

    nb = nbformat.read(written, as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
    if "papermill" in nb.metadata:
        nb.metadata.papermill["output_path"] = str(executed)
    nbformat.write(nb, written)


def write_html(executed: Path, html: Path, edition: str = "reviewer", lang: str = "both") -> None:
    """Convert an executed notebook to a standalone HTML page in `lang` (dgm.present.pages: images
    embedded, nothing fetched from the network, a link back to index.html).

    The reviewer edition is the full notebook; the reader edition hides code cells, prompts and
    the cells tagged for reviewers, so a reader sees narrative, tables and charts.
    """
    from dgm.present import pages

    pages.write_page(executed, html, edition, lang)


def write_index(work: Path, lang: str, pages: tuple[str, ...] = EDITIONS) -> None:
    """DIR/index.html: the landing page (dgm.present.landing): scorecard, findings, pages, figures."""
    from dgm.present import landing

    landing.write_index(work, lang, pages)
