"""The coverage grid keeps its layout: constrained layout run again does not narrow the grid."""

import io

import pytest

import dgm
from dgm.data import coverage
from dgm.present import charts


@pytest.fixture(scope="module")
def grid():
    """The real coverage matrix and indicator catalogue."""
    return coverage.coverage_matrix(), dgm.load_indicators()


@pytest.mark.parametrize(
    "lang", [pytest.param("en", marks=pytest.mark.slow), "both"]
)  # zh row labels are short; "both" (the report's default) has the widest key
def test_coverage_grid_layout_is_stable_and_the_legend_fits(grid, lang):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = charts.coverage_chart(*grid, lang=lang)
    FigureCanvasAgg(fig)
    fig.savefig(io.BytesIO(), format="png", dpi=100)  # a savefig lays the figure out
    widths = [fig.axes[0].get_position().width]
    fig.draw_without_rendering()  # and every later draw lays it out again from there
    widths.append(fig.axes[0].get_position().width)
    assert widths[-1] == pytest.approx(widths[0], abs=0.01), widths
    assert widths[0] > 0.2  # bilingual row labels leave the grid room
    legend = fig.axes[0].get_legend().get_window_extent(fig.canvas.get_renderer())
    assert 0 <= legend.x0 and legend.x1 <= fig.bbox.width  # within the figure's width
