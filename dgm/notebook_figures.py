"""Charts in a notebook: shown on the page (PNG) and saved as PNG, SVG and PDF when the report asks."""

from __future__ import annotations

from pathlib import Path

SHOW_DPI = 110  # on-screen resolution of charts shown in notebooks and the HTML report


def save_figure(fig, name: str, figures_dir: str | None) -> list[Path]:
    """Save fig with dgm.export.save into figures_dir (PNG, SVG, PDF); nothing when it is None/"".

    Notebooks get figures_dir from their parameters: `dgm report` injects it, an interactive
    session leaves it None and only looks at the charts.
    """
    if not figures_dir:
        return []
    from dgm import export

    saved = export.save(fig, name, figures_dir)
    return list(saved) if saved else []


def show(fig, name: str, figures_dir: str | None = None) -> None:
    """Display a dgm chart in the notebook (PNG) and save it (PNG, SVG, PDF) when figures_dir is set.

    dgm.charts returns plain matplotlib Figures (no pyplot state), which IPython would show as text;
    this renders them once for the page.
    """
    import io

    from IPython.display import Image, display

    save_figure(fig, name, figures_dir)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=SHOW_DPI, metadata={"Software": None})
    display(Image(data=buf.getvalue(), format="png"))
