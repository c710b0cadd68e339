"""notebooks/NN_*.ipynb → what a report runs: the collection, `--only`, each notebook's
parameters, and the results the report computes once before its kernels start."""

from __future__ import annotations

from pathlib import Path

from dgm import paths

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
WORKBOOK = "workbook"  # the job name of the Excel workbook (usable with --only)
# Notebook parameters that name a view of the assessments: (parameter, assessments() argument)
VIEW_PARAMETERS = (("as_of", "as_of"), ("then", "as_of"), ("data_to", "data_to"))


def notebooks(directory: Path | None = None) -> list[Path]:
    """The collection: NN_name.ipynb files of `directory` (default notebooks/), in number order."""
    return sorted(Path(directory or paths.NOTEBOOKS).glob(NOTEBOOK_GLOB))


def select(available: list[Path], only: list[str] | None) -> tuple[list[Path], bool]:
    """(notebooks to run, whether to write the workbook) for `--only`; ValueError names unknowns."""
    if not only:
        return list(available), True
    chosen, unknown, workbook = [], [], False
    for raw in only:
        name = Path(raw).name.removesuffix(".ipynb")
        if name == WORKBOOK:
            workbook = True
            continue
        hits = [p for p in available if p.stem == name or p.stem.split("_", 1)[0] == name]
        if not hits:
            unknown.append(raw)
        chosen += [p for p in hits if p not in chosen]
    if unknown:
        known = ", ".join([p.stem for p in available] + [WORKBOOK])
        raise ValueError(f"unknown notebook {', '.join(unknown)} (known: {known})")
    return sorted(chosen), workbook


def notebook_parameters(src: Path) -> dict:
    """The values of a notebook's `parameters` cell (plain literals, as the conventions require)."""
    import ast

    import nbformat

    for cell in nbformat.read(src, as_version=4).cells:
        if "parameters" in cell.metadata.get("tags", []):
            return {
                target.id: ast.literal_eval(node.value)
                for node in ast.parse(cell.source).body
                if isinstance(node, ast.Assign)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
    return {}


def report_calls(
    todo: list[Path], parameters: dict, n_paths: int, seed: int, workbook: bool = True
) -> list:
    """The (function, kwargs) the report computes once before its kernels start, slowest first:
    assessments() in every view the notebooks' parameters (after injection) name (VIEW_PARAMETERS:
    `as_of` now, `then`, `data_to` pseudo-real-time; notebooks without `n_paths` simulate
    nothing) and the workbook's, backtest_all() when any of these is computed, and the what-ifs
    of dgm.engine.gaps for a notebook with a `gaps_top` parameter (00), last: they read the
    assessments."""
    from dgm.engine.assess import assessments
    from dgm.engine.backtest import backtest_all
    from dgm.engine.gaps import find_gaps

    views = [{"as_of": None, "n_paths": n_paths, "seed": seed}] if workbook else []
    gap_views = []
    for src in todo:
        given = notebook_parameters(src) | parameters
        if "gaps_top" in given:  # notebook 00's what-ifs (dgm.engine.gaps), as it calls them
            gap = {"as_of": given.get("as_of"), "seed": given.get("seed", seed)}
            gap["needing_only"] = True
            gap_views += [gap] if gap not in gap_views else []
        if "n_paths" not in given:  # a notebook that never simulates
            continue
        for name, argument in VIEW_PARAMETERS:
            if name in given:
                view = {argument: given[name], "n_paths": given["n_paths"]}
                view["seed"] = given.get("seed", seed)
                views += [view] if view not in views else []
    calls = [(assessments, view) for view in views]
    calls = calls[:1] + [(backtest_all, {})] + calls[1:] if calls else []
    return calls + [(find_gaps, view) for view in gap_views]
