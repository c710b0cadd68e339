"""dgm.present.export.laid_out: a chart is laid out once and every file (and the page) is drawn from it."""

import io
from unittest import mock

import pytest

from dgm.present import export, notebook_figures

FORMATS = ("png", "svg", "pdf")


def _chart():
    """A house-style constrained-layout figure with a title, a footnote and a wide legend below
    the axes (as the coverage grid has): re-running its layout moves the axes."""
    from matplotlib.lines import Line2D

    from dgm.present.charts.figure import add_title, canvas, legend
    from dgm.present.style import house_style

    with house_style():  # as dgm.present.charts.figure.styled: texts take the CJK font at creation
        fig, gs = canvas("full", foot="Sources: a test document (2015); another (2016).")
        ax = fig.add_subplot(gs[0])
        ax.plot([2014, 2020, 2025], [1.0, 3.2, 10.0])
        ax.set_yticks([1, 5, 10], ["Value added of above-designated-size industry", "b", "c"])
        handles = [(Line2D([], [], color=f"C{i}"), f"figure kind {i}") for i in range(4)]
        legend(ax, handles, ncol=4, below=True)
        add_title(fig, "工業總產值 · Gross industrial output")
    return fig


def _count_draws(fig):
    """Record the axes position after every real draw of fig (print_figure calls fig.draw)."""
    positions = []
    draw = fig.draw

    def counted(renderer):
        result = draw(renderer)  # a draw may run the layout engine first
        positions.append(tuple(fig.axes[0].get_position().bounds))
        return result

    fig.draw = counted
    return positions


def test_every_file_is_drawn_once_from_one_layout(tmp_path):
    fig = _chart()
    engine = fig.get_layout_engine()
    positions = _count_draws(fig)
    files = export.save(fig, "once", tmp_path)
    assert [p.suffix for p in files] == [".png", ".svg", ".pdf"]
    # one draw lays the figure out; then one draw per file (savefig "tight" drew two per file)
    assert len(positions) == 1 + len(FORMATS)
    assert len(set(positions)) == 1  # every file has the axes where the layout put them
    assert fig.get_layout_engine() is engine  # the figure lays itself out again afterwards


def test_plain_savefig_would_move_the_axes():
    """The reason for one layout: each savefig re-runs constrained layout from the last one."""
    fig = _chart()
    seen = []
    for _ in range(3):
        fig.savefig(io.BytesIO(), format="png", dpi=100)
        seen.append(tuple(fig.axes[0].get_position().bounds))
    assert len(set(seen)) > 1, seen


def test_png_is_the_file_a_tight_savefig_writes(tmp_path):
    """Laying out once changes no pixel of the 300 dpi PNG: same bytes as savefig "tight"."""
    from dgm.present.style import house_style

    png = export.save(_chart(), "same", tmp_path, formats=("png",))[0]
    plain = tmp_path / "plain.png"
    with house_style():
        _chart().savefig(
            plain, format="png", dpi=export.PNG_DPI, bbox_inches="tight", pad_inches=0.05
        )
    assert png.read_bytes() == plain.read_bytes()


def test_show_scales_the_page_from_the_saved_png_without_drawing_again(tmp_path):
    import numpy as np
    from PIL import Image

    fig = _chart()
    positions = _count_draws(fig)
    shown = []
    with mock.patch("IPython.display.display", side_effect=shown.append):
        notebook_figures.show(fig, "page", str(tmp_path))
    assert len(positions) == 1 + len(FORMATS) and len(set(positions)) == 1
    (page,) = shown
    with Image.open(io.BytesIO(page.data)) as im, Image.open(tmp_path / "page.png") as saved:
        scale = notebook_figures.SHOW_DPI / export.PNG_DPI
        assert im.size == pytest.approx([s * scale for s in saved.size], abs=1.5)
        assert im.info["dpi"] == pytest.approx((notebook_figures.SHOW_DPI,) * 2, abs=0.01)
    assert page.data == notebook_figures.scaled_page_png(tmp_path / "page.png")
    fig = _chart()  # the page is the picture a draw at SHOW_DPI gives from the same layout
    with export.laid_out(fig) as box:
        (png,) = export.save(fig, "again", tmp_path, formats=("png",), box=box)
        drawn_png = notebook_figures.page_png(fig, box)
    with Image.open(io.BytesIO(notebook_figures.scaled_page_png(png))) as im:
        size, scaled = im.size, _coarse(im)
    with Image.open(io.BytesIO(drawn_png)) as drawn:
        assert drawn.size == pytest.approx(size, abs=1)  # rounding
        drawn = _coarse(drawn.resize(size))
    # in 16 x 16 pixel blocks the ink sits in the same places (correlation 0.99 here; not
    # pixel-equal: text drawn small is hinted heavier and a little narrower than text scaled
    # down); the same picture one block to the side correlates 0.76, one block down 0.17
    assert np.corrcoef(scaled.ravel(), drawn.ravel())[0, 1] > 0.95


def _coarse(im, block: int = 16):
    """Grey levels averaged in block x block pixel squares (numpy array)."""
    import numpy as np

    small = im.convert("L").reduce(block)
    return np.asarray(small, dtype=float)


def test_show_without_a_folder_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shown = []
    with mock.patch("IPython.display.display", side_effect=shown.append):
        notebook_figures.show(_chart(), "page", None)
    assert len(shown) == 1 and shown[0].data.startswith(b"\x89PNG")
    assert list(tmp_path.iterdir()) == []
