"""dgm.bench_notebooks: the floor of the report's overhead ratio is each notebook's import cells."""

import nbformat

from dgm import bench_notebooks, paths, report


def test_the_floor_of_a_notebook_keeps_its_parameters_and_import_cells():
    for src in report.notebooks():
        floor = bench_notebooks.floor_notebook(src)
        tags = [c.metadata.get("tags", []) for c in floor.cells]
        assert tags[0] == ["parameters"] and len(floor.cells) >= 2, src.name
        for cell in floor.cells[1:]:
            assert cell.source.lstrip().startswith(("import ", "from ")), (src.name, cell.source)
        cells = nbformat.read(src, as_version=4).cells
        assert [c.source for c in floor.cells] == [cells[1].source, cells[2].source], src.name
    floor = bench_notebooks.floor_notebook(paths.NOTEBOOKS / "08_realism_then_and_now.ipynb")
    assert "assess_all" not in "".join(c.source for c in floor.cells)
