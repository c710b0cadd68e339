"""Fresh results after an import: in one process (a JupyterLab kernel, the explorer), every cache of
results computed from data/raw is keyed on its state, so the call after `dgm import` sees the new
figure: dgm.series, the assessment (dgm.engine.assess and the notebooks' dgm.present.goal_view), the explorer."""

import shutil

import pytest

import dgm
from dgm import paths
from dgm.cli import main
from dgm.data import loaders
from dgm.engine import assess, scenario
from dgm.present import goal_view
from dgm.present.explorer import Explorer

N = 400  # simulated paths: enough to assess, few enough to be quick
GOAL = "rd_intensity_2025"
ROW = (
    "rd_intensity,2024,4.21,4.21%,%,exact,whole city,,2025-02-27,dg-plan-report-2024,"
    "全社会研发经费投入强度达4.21%,B,test figure (a hypothetical yearbook value),\n"
)


@pytest.fixture
def project(tmp_path, point_dgm_at):
    """A project copy (data/raw only) that dgm points at, as DGM_ROOT would."""
    root = tmp_path / "project"
    shutil.copytree(paths.RAW, root / "data" / "raw")
    return point_dgm_at(root)


def test_raw_state_follows_the_content(project):
    first = loaders.raw_state()
    assert loaders.raw_state() == first
    sources = paths.RAW / "sources.csv"
    text = sources.read_bytes()
    sources.write_bytes(text + b"\n")
    assert loaders.raw_state() != first
    sources.write_bytes(text)
    assert loaders.raw_state() == first  # the same bytes again: the same state, the caches reused


def test_after_an_import_series_assess_and_explorer_see_the_new_figure(project, tmp_path, capsys):
    explorer = Explorer([GOAL], lang="en")  # open in the session before the import
    before = {
        "series": dgm.series("rd_intensity"),
        "assess": assess.assessment(GOAL, n_paths=N).record,
        "notebook": goal_view.assess_one(GOAL, n_paths=N),
        "explorer": explorer.history(),
    }
    assert 2024 not in before["series"].index
    assert before["assess"]["latest_year"] == before["notebook"]["latest_year"] == 2021
    assert 2024 not in before["explorer"].index

    header = (paths.RAW / "observations.csv").read_text(encoding="utf-8").splitlines()[0]
    figures = tmp_path / "yearbook.csv"
    figures.write_text(header + "\n" + ROW, encoding="utf-8")
    assert main(["import", str(figures)]) == 0
    assert "observations_yearbook.csv" in capsys.readouterr().out

    after = dgm.series("rd_intensity")
    assert (
        after.loc[2024, "value"] == 4.21 and after.loc[2024, "source_id"] == "dg-plan-report-2024"
    )
    rec = assess.assessment(GOAL, n_paths=N).record
    assert (rec["latest_year"], rec["latest_value"]) == (2024, 4.21)
    assert rec["n_points"] == before["assess"]["n_points"] + 1
    nb = goal_view.assess_one(GOAL, n_paths=N)
    assert (nb["latest_year"], nb["latest_value"]) == (2024, 4.21)
    assert explorer.history().loc[2024, "value"] == 4.21
    assert scenario.judged(GOAL)[1].loc[2024, "value"] == 4.21
