"""dgm.run.bench_notebooks: the floor of the report's overhead ratio is each notebook's import cells."""

import nbformat

from dgm import paths
from dgm.run import bench_notebooks, selection


def test_the_floor_of_a_notebook_keeps_its_parameters_and_import_cells():
    for src in selection.notebooks():
        floor = bench_notebooks.floor_notebook(src)
        tags = [c.metadata.get("tags", []) for c in floor.cells]
        assert tags[0] == ["parameters"] and len(floor.cells) >= 2, src.name
        for cell in floor.cells[1:]:
            assert cell.source.lstrip().startswith(("import ", "from ")), (src.name, cell.source)
        cells = nbformat.read(src, as_version=4).cells
        at = next(i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
        expected = [cells[at].source, cells[at + 1].source]
        assert [c.source for c in floor.cells] == expected, src.name
    floor = bench_notebooks.floor_notebook(paths.NOTEBOOKS / "08_realism_then_and_now.ipynb")
    assert "assess_all" not in "".join(c.source for c in floor.cells)


def test_cell_seconds_splits_chart_cells_from_the_rest(tmp_path):
    def cell(source, seconds):
        c = nbformat.v4.new_code_cell(source)
        c.metadata["papermill"] = {"duration": seconds}
        return c

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        cell("import dgm", 0.5),
        cell("fig = charts.coverage_chart(m)\nshow(fig, 'coverage', figures_dir)", 6.25),
        cell("rows = assess.assess_all()", 1.0),
        nbformat.v4.new_markdown_cell("show( in prose is no chart"),
        nbformat.v4.new_code_cell("x = 1"),  # not executed: no duration
    ]
    nbformat.write(nb, tmp_path / "a.ipynb")
    nb.cells = [cell("show(fig, 'fan', figures_dir)", 2.0)]
    nbformat.write(nb, tmp_path / "b.ipynb")
    assert bench_notebooks.cell_seconds(tmp_path) == {"charts": 8.25, "other": 1.5}
