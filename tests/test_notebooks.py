"""The notebook collection: conventions (walk the tree) and execution from fresh kernels.

Conventions: cell 1 is a markdown H1 title, a one-line subtitle and what the notebook builds on;
cell 2 is tagged `parameters` and holds plain literals; cell 3 holds the imports (and only it);
outputs are stripped; the kernel is `python3`; no path or URL is hard-coded.

Execution (marked slow): every notebook runs headless with nbclient in a fresh kernel, two at a
time, with a per-cell timeout that only guards against a hang (speed is measured by `dgm bench`,
not here); the tests then read key results back from what the notebooks recorded
(dgm.notebook_records.record) and compare them with the package.
"""

from __future__ import annotations

import ast
import math
import re
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import nbformat
import pytest

from dgm import paths

COLLECTION = [
    "00_overview",
    "01_output_two_trillion",
    "02_rd_intensity_four_percent",
    "03_energy_intensity_minus_thirty",
    "04_structure_and_innovation",
    "05_scorecard",
    "06_scenario_explorer",
    "07_policy_measures",
    "08_realism_then_and_now",
]
REQUIRED_PARAMETERS = {"as_of", "lang", "n_paths", "seed", "figures_dir"}
CELL_TIMEOUT_S = 300  # nbclient's per-cell timeout: far above any cell, catches a hang
FORBIDDEN = [
    (re.compile(r"https?://"), "a URL (nothing reaches the network)"),
    (re.compile(r"""["'](/|\.\./|data/|reports/)"""), "a hard-coded path (use dgm.paths)"),
    (re.compile(r"\b(requests|urllib|httpx|socket)\b"), "a network library"),
    (re.compile(r"\b(datetime\.now|date\.today|time\.time)\b"), "wall-clock text"),
]


def _path(name: str) -> Path:
    return paths.NOTEBOOKS / f"{name}.ipynb"


def _read(name: str):
    return nbformat.read(_path(name), as_version=4)


def test_the_collection_is_complete_and_numbered():
    found = sorted(p.stem for p in paths.NOTEBOOKS.glob("*.ipynb"))
    assert found == COLLECTION


@pytest.mark.parametrize("name", COLLECTION)
def test_title_cell(name):
    cell = _read(name).cells[0]
    assert cell.cell_type == "markdown"
    lines = [line for line in cell.source.splitlines() if line.strip()]
    assert lines[0].startswith("# "), "cell 1 starts with an H1 title"
    assert len(lines) >= 3, "title, a one-line subtitle, and what it builds on"
    assert not lines[1].startswith("#"), "the subtitle is one line of text"
    assert "builds on" in cell.source.lower(), "cell 1 says what the notebook builds on"


@pytest.mark.parametrize("name", COLLECTION)
def test_parameters_cell_holds_plain_literals(name):
    cell = _read(name).cells[1]
    assert cell.cell_type == "code"
    assert "parameters" in cell.metadata.get("tags", []), "cell 2 is tagged `parameters`"
    tree = ast.parse(cell.source)
    names = {}
    for node in tree.body:
        assert isinstance(node, ast.Assign), f"only assignments in parameters: {ast.dump(node)}"
        assert len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        names[node.targets[0].id] = ast.literal_eval(node.value)  # raises unless a plain literal
    assert REQUIRED_PARAMETERS <= set(names), f"missing {REQUIRED_PARAMETERS - set(names)}"
    assert names["lang"] in ("zh", "en", "both")
    assert names["as_of"] is None or isinstance(names["as_of"], int)
    assert isinstance(names["n_paths"], int) and isinstance(names["seed"], int)
    assert names["figures_dir"] is None, "interactive runs save nothing; dgm report injects it"


@pytest.mark.parametrize("name", COLLECTION)
def test_imports_live_in_cell_3(name):
    cells = _read(name).cells
    third = ast.parse(cells[2].source)
    assert cells[2].cell_type == "code"
    assert any(isinstance(n, ast.Import | ast.ImportFrom) for n in third.body)
    for i, cell in enumerate(cells[3:], start=4):
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            assert not isinstance(node, ast.Import | ast.ImportFrom), f"import in cell {i}"


@pytest.mark.parametrize("name", COLLECTION)
def test_stored_stripped_with_python3_kernel(name):
    nb = _read(name)
    assert nb.metadata.kernelspec.name == "python3"
    assert "widgets" not in nb.metadata
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "outputs stripped"
        assert not set(cell.metadata) - {"tags"}, f"cell metadata kept: {dict(cell.metadata)}"


@pytest.mark.parametrize("name", COLLECTION)
def test_no_hard_coded_paths_urls_or_clock(name):
    for cell in _read(name).cells:
        if cell.cell_type != "code":
            continue
        for pattern, what in FORBIDDEN:
            assert not pattern.search(cell.source), f"{what} in: {cell.source[:80]!r}"


# ---- execution ---------------------------------------------------------------------------


def _execute(name: str, workdir: str) -> tuple[str, float, str, object]:
    """Run one notebook in a fresh python3 kernel; (name, seconds, error, executed notebook).

    The kernel talks over IPC, as the report's do: two TCP kernels starting side by side can
    race for a port and one dies before it answers (dgm.report.ipc_kernel_manager)."""
    from nbclient import NotebookClient

    from dgm.report import ipc_kernel_manager

    nb = _read(name)
    start = time.perf_counter()
    error = ""
    try:
        NotebookClient(
            nb,
            timeout=CELL_TIMEOUT_S,
            kernel_name="python3",
            kernel_manager_class=ipc_kernel_manager(),
            resources={"metadata": {"path": workdir}},
        ).execute()
    except Exception as err:  # reported per notebook below
        error = f"{type(err).__name__}: {err}"[:2000]
    return name, time.perf_counter() - start, error, nb


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Every notebook executed once, two at a time, from fresh kernels; timings printed.

    The one-time font conversion already ran in conftest's session fixture, not in two kernels."""
    workdir = str(tmp_path_factory.mktemp("run"))
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        runs = list(pool.map(_execute, COLLECTION, [workdir] * len(COLLECTION)))
    print("\nnotebook wall times:")
    for name, seconds, error, _ in runs:
        print(f"  {name:<36} {seconds:6.1f} s {'FAILED' if error else ''}")
    return {name: (seconds, error, nb) for name, seconds, error, nb in runs}


@pytest.mark.slow
@pytest.mark.parametrize("name", COLLECTION)
def test_notebook_runs_headless(executed, name):
    _, error, _ = executed[name]
    assert not error, error


def _records(executed, name):
    from dgm.notebook_records import read_records

    seconds, error, nb = executed[name]
    assert not error, error
    return read_records(nb)


@pytest.mark.slow
def test_overview_lists_every_goal_and_the_coverage(executed):
    import dgm

    rec = _records(executed, "00_overview")
    assert sorted(r["id"] for r in rec["targets"]) == sorted(dgm.load_targets()["id"])
    assert rec["coverage_indicators"] > 0


@pytest.mark.slow
def test_scorecard_lists_every_goal_of_the_registry(executed):
    import dgm

    rec = _records(executed, "05_scorecard")
    ids = [r["target_id"] for r in rec["scorecard"]]
    assert sorted(ids) == sorted(dgm.load_targets()["id"]) and len(ids) == len(set(ids))
    assert all(r["reading"] for r in rec["scorecard"]), "a one-line reading for every goal"
    assert all(r["evidence"] for r in rec["scorecard"]), "the evidence tier of every goal"


@pytest.mark.slow
def test_scorecard_prints_the_headline_with_proxies_apart(executed):
    from dgm.assess import assess_all
    from dgm.readings import headline

    _, _, nb = executed["05_scorecard"]
    printed = "".join(
        o.get("text", "")
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("name") == "stdout"
    )
    assert headline(assess_all(n_paths=200), "both") in printed


@pytest.mark.slow
def test_scorecard_matches_the_engine(executed):
    from dgm.assess import assess_all

    rec = {r["target_id"]: r for r in _records(executed, "05_scorecard")["scorecard"]}
    for row in assess_all(n_paths=10_000, seed=2015):
        assert rec[row["target_id"]]["status"] == row["status"]


@pytest.mark.slow
def test_explorer_headless_preset_reproduces_the_engine(executed):
    from dgm import rates, scenario

    rec = _records(executed, "06_scenario_explorer")
    assert rec["presets"], "the headless run computes preset scenarios"
    for row in rec["presets"]:
        goal, history = scenario.judged(row["target_id"], rec["as_of"])
        view = scenario.update(history, goal, row["growth_pct"] / 100)
        assert row["value_at_target_year"] == pytest.approx(view.value_at_target_year, rel=1e-6)
        assert row["crossing_year"] == view.crossing_year
        required = rates.required_rate(
            view.latest_value, goal.goal_value, view.latest_year, goal.target_year
        )
        if view.already_met or math.isnan(required):  # at the goal, or in or past its year
            assert row["required_rate_pct"] is None
        else:
            assert row["required_rate_pct"] == pytest.approx(100 * required, abs=1e-6)
    observed = {
        r["target_id"]: r["growth_pct"] for r in rec["presets"] if r["scenario"] == "observed"
    }
    for target_id, pct in observed.items():  # the scorecard's observed rate, not another one
        assert pct == pytest.approx(100 * scenario.observed_rate_for(target_id, rec["as_of"]))


@pytest.mark.slow
def test_measures_notebook_covers_all_43(executed):
    rec = _records(executed, "07_policy_measures")
    assert rec["n_measures"] == 43
    # Departments are split as the measures chart splits them ("X和各鎮街" is two departments).
    counts = {r["departments"]: r["measures"] for r in rec["by_department"]}
    assert counts["各鎮街"] == 9 and counts["財政局"] == 12 and counts["經信局"] == 33
    assert not any("和" in name or name.startswith("市經") for name in counts)


@pytest.mark.slow
def test_outputs_carry_no_warnings_or_clock_text(executed):
    """Report pages stay clean and reproducible: no stderr (warnings) and no wall-clock times."""
    clock = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b|\b20\d\d-\d\d-\d\dT\d\d:")
    problems = []
    for name in COLLECTION:
        _, error, nb = executed[name]
        assert not error, error
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
                if out.get("name") == "stderr":
                    problems.append(f"{name} [{cell.get('id')}] stderr: {text[:160]!r}")
                elif clock.search(text):
                    problems.append(f"{name} [{cell.get('id')}] clock text: {text[:160]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_two_runs_give_identical_outputs(executed, tmp_path):
    """Same seed, same numbers: the scorecard re-executed in a new kernel matches output for output."""
    import json

    _, _, _, again = _execute("05_scorecard", str(tmp_path))
    _, _, first = executed["05_scorecard"]
    dump = lambda nb: [json.dumps(c.get("outputs", []), sort_keys=True) for c in nb.cells]  # noqa: E731
    assert dump(again) == dump(first)
