"""Charts in a notebook: shown on the page (PNG) and saved as PNG, SVG and PDF when the report asks."""

from __future__ import annotations

from pathlib import Path

SHOW_DPI = 110  # on-screen resolution of charts shown in notebooks and the HTML report


def save_figure(fig, name: str, figures_dir: str | None, box=None) -> list[Path]:
    """Save fig with dgm.present.export.save into figures_dir (PNG, SVG, PDF); nothing when it is None/"".

    Notebooks get figures_dir from their parameters: `dgm report` injects it, an interactive
    session leaves it None and only looks at the charts. ``box``: the tight box of an enclosing
    ``dgm.present.export.laid_out(fig)``.
    """
    if not figures_dir:
        return []
    from dgm.present import export

    saved = export.save(fig, name, figures_dir, box=box)
    return list(saved) if saved else []


def show(fig, name: str, figures_dir: str | None = None) -> None:
    """Display a dgm chart in the notebook (PNG) and save it (PNG, SVG, PDF) when figures_dir is set.

    dgm.present.charts returns plain matplotlib Figures (no pyplot state), which IPython would show as text;
    this renders them for the page. The page and the files share one layout and one crop
    (dgm.present.export.laid_out): the figure is laid out once, not once per file, and the page shows
    what the files hold.
    """
    from IPython.display import Image, display

    from dgm.present import export

    with export.laid_out(fig) as box:
        printed = [p for p in save_figure(fig, name, figures_dir, box) if p.suffix == ".png"]
        png = scaled_page_png(printed[0]) if printed else page_png(fig, box)
    display(Image(data=png, format="png"))


def page_png(fig, box=None) -> bytes:
    """fig as PNG bytes at SHOW_DPI, cropped to ``box`` (inches; None: the whole figure)."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=SHOW_DPI, bbox_inches=box, metadata={"Software": None})
    return buf.getvalue()


def scaled_page_png(print_png: Path) -> bytes:
    """The page PNG (SHOW_DPI) scaled down from the saved 300 dpi PNG with a Lanczos filter: the
    same picture as page_png without drawing the figure a fifth time (a chart's draw costs about
    1 ms per text; the coverage grid has ~840 texts)."""
    import io

    from PIL import Image

    from dgm.present import export

    scale = SHOW_DPI / export.PNG_DPI
    with Image.open(print_png) as im:
        size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
        page = im.resize(size, Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    page.save(buf, format="png", dpi=(SHOW_DPI, SHOW_DPI))
    return buf.getvalue()
