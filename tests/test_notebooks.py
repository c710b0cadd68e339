"""The notebook collection: conventions (walk the tree) and execution from fresh kernels.

Conventions: the notebook opens with its title, one markdown cell per language (tagged `lang-zh`,
then `lang-en`: an H1 title and a one-line subtitle) and a cell tagged `reviewer` saying what it
builds on; then the cell tagged `parameters` (plain literals); then the imports (and only there).
Narrative cells come in pairs, the Chinese (simplified, verbatim quotes in `<q>` excepted) before
its English twin, or are tagged `reviewer`; no markdown uses TeX maths (the pages load no MathJax,
dgm.present.pages). Outputs are stripped; the kernel is `python3`; no path or URL is hard-coded.

Execution (marked slow): every notebook runs headless with nbclient in a fresh kernel, two at a
time, with a per-cell timeout that only guards against a hang (speed is measured by `dgm bench`,
not here); the tests then read key results back from what the notebooks recorded
(dgm.present.notebook_records.record) and compare them with the package.
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


def _opening(name):
    """(title and builds-on cells, parameters cell, imports cell, the cells after them)."""
    cells = _read(name).cells
    at = next(i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
    return cells[:at], cells[at], cells[at + 1], cells[at + 2 :]


CJK_WRAP = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]\n[ \t]*(?![-*|#>]|\d+\.\s|\n)")


def _tags(cell) -> list:
    return cell.metadata.get("tags", [])


@pytest.mark.parametrize("name", COLLECTION)
def test_title_cells(name):
    titles, _, _, _ = _opening(name)
    assert [_tags(c) for c in titles] == [["lang-zh"], ["lang-en"], ["reviewer"]]
    for cell in titles[:2]:
        assert cell.cell_type == "markdown"
        lines = [line for line in cell.source.splitlines() if line.strip()]
        assert lines[0].startswith(f"# {name[:2]} · "), "an H1 title with the notebook's number"
        assert len(lines) == 2 and not lines[1].startswith("#"), "and a one-line subtitle"
    assert "builds on" in titles[2].source.lower(), "the reviewer cell says what it builds on"


@pytest.mark.parametrize("name", COLLECTION)
def test_parameters_cell_holds_plain_literals(name):
    _, cell, _, _ = _opening(name)
    assert cell.cell_type == "code"
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
def test_imports_live_after_the_parameters(name):
    _, _, imports, rest = _opening(name)
    assert imports.cell_type == "code"
    assert any(isinstance(n, ast.Import | ast.ImportFrom) for n in ast.parse(imports.source).body)
    for cell in rest:
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            assert not isinstance(node, ast.Import | ast.ImportFrom), f"import in {cell.id}"


def _parameters(name) -> dict:
    """The parameters cell's names and literal values."""
    _, cell, _, _ = _opening(name)
    return {n.targets[0].id: ast.literal_eval(n.value) for n in ast.parse(cell.source).body}


# A parameter → the constant its default must equal (papermill needs literals in the cell, so the
# run defaults are repeated there; this keeps them the package's).
PARAMETER_CONSTANTS = {
    "n_paths": "N_PATHS",  # dgm.constants
    "seed": "SEED",  # dgm.constants
    "lang": "DEFAULT_LANG",  # dgm.lang
    "data_to": "POLICY_YEAR",  # dgm.engine.goals: the last year the policy's authors could see
}


@pytest.mark.parametrize("name", COLLECTION)
def test_parameter_defaults_are_the_run_constants(name):
    from dgm import nb

    params = _parameters(name)
    for parameter, constant in PARAMETER_CONSTANTS.items():
        if parameter in params:
            assert params[parameter] == getattr(nb, constant), f"{parameter} ≠ {constant}"
    assert {"n_paths", "seed", "lang"} <= set(params)


@pytest.mark.parametrize("name", COLLECTION)
def test_the_one_import_of_dgm_is_nb(name):
    """The import cell imports dgm.nb (and the package itself where the public loaders are used);
    every `nb.NAME` the notebook calls is in dgm.nb's namespace."""
    from dgm import nb

    _, _, imports, rest = _opening(name)
    dgm_imports = [
        ast.unparse(n)
        for n in ast.parse(imports.source).body
        if isinstance(n, ast.Import | ast.ImportFrom)
        and (getattr(n, "module", None) or n.names[0].name).split(".")[0] == "dgm"
    ]
    code = "\n".join(c.source for c in rest if c.cell_type == "code")
    uses_api = re.search(r"(?<![\w.])dgm\.", code) is not None
    assert dgm_imports == ["import dgm"] * uses_api + ["from dgm import nb"]
    called = set(re.findall(r"(?<![\w.])nb\.(\w+)", code))
    assert called and called <= set(nb.__all__), f"not in dgm.nb: {called - set(nb.__all__)}"


def test_dgm_nb_holds_only_what_the_notebooks_call():
    from dgm import nb

    code = "\n".join(
        c.source for name in COLLECTION for c in _opening(name)[3] if c.cell_type == "code"
    )
    called = set(re.findall(r"(?<![\w.])nb\.(\w+)", code))
    assert set(nb.__all__) - called == set(PARAMETER_CONSTANTS.values())


@pytest.mark.parametrize("name", COLLECTION)
def test_narrative_comes_in_language_pairs(name):
    """Every later markdown cell is a zh cell followed by its en twin, or a reviewer note; the
    zh prose is in simplified characters outside the <q> quotes; the pairs have the same
    headings and links (one is the translation of the other)."""
    from dgm.present.pages import _QUOTE
    from dgm.zh import changes

    *_, rest = _opening(name)
    prose = [c for c in rest if c.cell_type == "markdown"]
    assert prose, "a notebook explains itself"
    while prose:
        cell = prose.pop(0)
        if _tags(cell) == ["reviewer"]:
            continue
        assert _tags(cell) == ["lang-zh"], f"{cell.id}: a zh cell first, tagged lang-zh"
        twin = prose.pop(0) if prose else None
        assert twin is not None and _tags(twin) == ["lang-en"], f"{cell.id}: its en twin next"
        assert not changes(_QUOTE.sub("", cell.source)), f"{cell.id}: traditional characters"
        # a line break inside a Chinese paragraph shows as a space on the page
        assert not CJK_WRAP.search(cell.source), f"{cell.id}: a Chinese line wrapped mid-paragraph"
        for pattern in (r"^#+ ", r"\]\([^)]+\)", r"<q>.*?</q>"):
            assert len(re.findall(pattern, cell.source, re.M)) == len(
                re.findall(pattern, twin.source, re.M)
            ), f"{cell.id}: {pattern} differs from its twin"
        assert re.findall(r"\]\(([^)]+)\)", cell.source) == re.findall(
            r"\]\(([^)]+)\)", twin.source
        )


@pytest.mark.parametrize("name", COLLECTION)
def test_no_tex_maths(name):
    """The pages load no MathJax (dgm.present.pages): a $…$ or \\( … \\) would show as raw TeX."""
    for cell in _read(name).cells:
        if cell.cell_type == "markdown":
            assert not re.search(r"\$[^$\n]+\$|\\\(|\\\[", cell.source), cell.id


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
    race for a port and one dies before it answers (dgm.run.kernels.ipc_kernel_manager)."""
    from nbclient import NotebookClient

    from dgm.run.kernels import ipc_kernel_manager

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
    from dgm.present.notebook_records import read_records

    seconds, error, nb = executed[name]
    assert not error, error
    return read_records(nb)


@pytest.mark.slow
def test_overview_lists_every_goal_and_the_coverage(executed):
    import dgm

    rec = _records(executed, "00_overview")
    assert sorted(r["target_id"] for r in rec["targets"]) == sorted(dgm.load_targets()["id"])
    assert rec["coverage_indicators"] > 0


@pytest.mark.slow
def test_overview_shows_a_figure_for_every_goal_that_needs_one(executed):
    from dgm.constants import STATUSES
    from dgm.engine import assess

    rec = _records(executed, "00_overview")
    needs = [
        r["target_id"]
        for r in assess.assess_all()
        if r["status"] == "insufficient_data" or r["robustness"]["fragile"]
    ]
    assert [r["target_id"] for r in rec["gaps"]] == needs  # one figure each (gaps_top = 1)
    assert all(r[f"status_{k}"] in STATUSES for r in rec["gaps"] for k in ("low", "mid", "high"))
    assert [r["target_id"] for r in rec["gaps_table"]] == needs
    opened = sum(r["status"] == "insufficient_data" for r in rec["gaps"])
    assert rec["gaps_headline"].endswith(f"of the {opened} open goals")


@pytest.mark.slow
def test_scorecard_lists_every_goal_of_the_registry(executed):
    import dgm

    rec = _records(executed, "05_scorecard")
    ids = [r["target_id"] for r in rec["scorecard"]]
    assert sorted(ids) == sorted(dgm.load_targets()["id"]) and len(ids) == len(set(ids))
    assert all(r["reading"] for r in rec["scorecard"]), "a one-line reading for every goal"
    assert all(r["evidence"] for r in rec["scorecard"]), "the evidence tier of every goal"


@pytest.mark.slow
def test_scorecard_says_the_headline_as_prose_with_proxies_apart(executed):
    """The headline reaches the reader as paragraphs (HTML), not as a printed code-output box."""
    import html

    from dgm.engine.assess import assess_all
    from dgm.present.readings import headline

    _, _, nb = executed["05_scorecard"]
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("name") == "stdout"], "nothing printed"
    said = [o["data"] for o in outputs if "dgm-say" in o.get("data", {}).get("text/html", "")]
    text = headline(assess_all(n_paths=200), "both")
    assert [d["text/plain"] for d in said] == [text]
    assert said[0]["text/html"].count("<p>") == len(text.splitlines())
    assert all(html.escape(line) in said[0]["text/html"] for line in text.splitlines())


@pytest.mark.slow
def test_scorecard_matches_the_engine(executed):
    from dgm.engine.assess import assess_all

    rec = {r["target_id"]: r for r in _records(executed, "05_scorecard")["scorecard"]}
    for row in assess_all(n_paths=10_000, seed=2015):
        assert rec[row["target_id"]]["status"] == row["status"]


@pytest.mark.slow
def test_explorer_headless_preset_reproduces_the_engine(executed):
    from dgm.engine import rates, scenario

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
