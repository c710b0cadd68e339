"""dgm coverage: the indicator × year matrix as a table and as JSON, checked against the panel."""

import json

import pytest

from dgm.cli import main
from dgm.data import coverage
from dgm.data.loaders import load_indicators, load_observations, panel_long

YEARS = list(range(2010, 2026))
POINT_CODES = {"exact", "approx", "estimate", "derived"}


@pytest.fixture
def payload(capsys):
    assert main(["coverage", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_cells_are_the_figures_the_build_chose(payload):
    assert payload["years"] == YEARS
    indicators = load_indicators()["id"].tolist()
    cells = {(c["indicator"], c["year"]): c["code"] for c in payload["cells"]}
    assert len(cells) == len(payload["cells"]) == len(indicators) * len(YEARS)
    assert list(dict.fromkeys(c["indicator"] for c in payload["cells"])) == indicators

    chosen = panel_long().query("year >= 2010 and year <= 2025")
    for row in chosen.itertuples():
        assert cells[row.indicator, row.year] == coverage.CODE[row.kind], (row.indicator, row.year)
    obs = load_observations()
    plans = set(
        obs.loc[obs["kind"] == "plan_target", ["indicator", "year"]].itertuples(index=False)
    )
    picked = set(chosen[["indicator", "year"]].itertuples(index=False))
    for key, code in cells.items():
        if key not in picked:
            assert code == ("plan" if key in plans else "missing"), key
    assert cells["gdp", 2017] == "exact"  # from the statistical bulletin
    assert sum(code == "exact" for code in cells.values()) == (chosen["kind"] == "exact").sum() > 0
    assert "missing" in cells.values()


def test_table_shows_the_same_cells_as_letters_with_point_counts(payload, capsys):
    assert main(["coverage"]) == 0
    lines = capsys.readouterr().out.splitlines()
    digits = [line.split() for line in lines[:4]]  # four-digit years written downwards
    assert digits[3][-1] == "points"
    years = ["".join(col) for col in zip(*(d[: len(YEARS)] for d in digits), strict=True)]
    assert years == [str(y) for y in YEARS]
    codes = {}
    for c in payload["cells"]:
        codes.setdefault(c["indicator"], []).append(c["code"])
    rows = lines[4 : 4 + len(codes)]
    for line, (indicator, row_codes) in zip(rows, codes.items(), strict=True):
        name, *letters, points = line.split()
        assert name == indicator
        assert letters == [coverage.LETTER[code] for code in row_codes]
        assert int(points) == sum(code in POINT_CODES for code in row_codes)
    legend = lines[-1]
    for code, letter in coverage.LETTER.items():
        assert f"{letter} {code}" in legend
