"""dgm gaps --template: the observations workbook pre-filled with the figures to look up, filled
in by hand, goes through `dgm import` like any file; `dgm build` and `dgm assess` then show the
verdicts it moves. Bad fills get the usual FILE[sheet]:ROW:COLUMN messages and change nothing."""

import hashlib
import json
import shutil

import openpyxl
import pytest

from dgm import paths
from dgm.cli import main
from dgm.data.schemas import KINDS, RELIABILITY, TABLES
from dgm.engine import gaps

GOALS = ("famous_brands_2025", "rd_institution_coverage_2018", "clusters_over_100bn_2025")
# what a reader of the (hypothetical) 2026 yearbook would type: value, as written, the words
FILLS = {
    ("famous_brands", 2025): (1320, "1320个", "全市累计拥有名牌名标1320个"),
    ("rd_institution_coverage", 2018): (55, "55%", "规模以上工业企业设立研发机构的比例达55%"),
    ("clusters_over_100bn", 2025): (4, "4个", "全市千亿级产业集群4个"),
}
SOURCE = {
    "source_id": "dg-yearbook-2026-test",
    "title": "东莞统计年鉴2026 (test fill)",
    "publisher": "东莞市统计局",
    "published": "2026-10",
    "url": "offline: the reader's printed copy",
    "accessed": "2026-12-06",
}


@pytest.fixture
def project(tmp_path, point_dgm_at):
    """A project copy (data/raw only) that dgm points at, as DGM_ROOT would."""
    root = tmp_path / "project"
    shutil.copytree(paths.RAW, root / "data" / "raw")
    return point_dgm_at(root)


@pytest.fixture(scope="module")
def rows():
    found = [g for t in GOALS for g in gaps.one_goal(t)]
    return gaps.template_rows(found, top=1)


def _digest(folder):
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _fill(path, fills=FILLS, source=SOURCE):
    book = openpyxl.load_workbook(path)
    ws = book["observations"]
    cols = list(TABLES["observations"].columns)
    for line in range(2, ws.max_row + 1):
        key = (ws.cell(line, 1).value, ws.cell(line, 2).value)
        value, written, quote = fills[key]
        for col, v in {
            "value": value,
            "as_written": written,
            "kind": "exact",
            "vintage": "2026-10-15",
            "source_id": source["source_id"],
            "quote": quote,
            "reliability": "A",
            "note": "test fill",
        }.items():
            ws.cell(line, cols.index(col) + 1, v)
    book["sources"].append([source[c] for c in TABLES["sources"].columns if c in source])
    book.save(path)


def test_the_template_is_prefilled_with_the_figures_gaps_lists(rows, tmp_path):
    assert [(r["indicator"], r["year"]) for r in rows.to_dict("records")] == list(FILLS)
    path = gaps_template = tmp_path / "figures.xlsx"
    from dgm.data.importer import write_gaps_template

    write_gaps_template(gaps_template, rows)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["README", "observations", "sources", "where"]
    ws = book["observations"]
    header = [c.value for c in ws[1]]
    assert header == list(TABLES["observations"].columns)
    first = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert (first["indicator"], first["year"], first["unit"]) == ("famous_brands", 2025, "个")
    assert all(first[c] is None for c in ("value", "as_written", "quote", "source_id", "kind"))
    lists = {
        str(v.sqref).split(":")[0][:1]: v.formula1.strip('"').split(",")
        for v in ws.data_validations.dataValidation
    }
    letter = {c: openpyxl.utils.get_column_letter(header.index(c) + 1) for c in header}
    assert lists[letter["kind"]] == list(KINDS)
    assert lists[letter["reliability"]] == list(RELIABILITY)
    assert "Delete the rows you could not fill" in " ".join(
        r[0] for r in book["README"].iter_rows(values_only=True)
    )
    where = list(book["where"].iter_rows(values_only=True))
    assert where[1][:4] == (2, "famous_brands", 2025, "famous_brands_2025")


def test_round_trip_template_import_build_assess_moves_the_verdicts(project, capsys):
    assert main(["assess", "--json", "--paths", "400"]) == 0
    before = {r["target_id"]: r["status"] for r in json.loads(capsys.readouterr().out)}
    assert [before[t] for t in GOALS] == ["insufficient_data"] * 3
    path = project / "figures.xlsx"
    for goal in GOALS:  # one template per goal through the command, then merged by hand
        assert main(["gaps", "--goal", goal, "--top", "1", "--template", str(path)]) == 0
        part = openpyxl.load_workbook(path)
        if goal == GOALS[0]:
            merged = part
        else:
            for row in part["observations"].iter_rows(min_row=2, values_only=True):
                merged["observations"].append(list(row))
        path.unlink()
    merged.save(path)
    capsys.readouterr()
    _fill(path)
    assert main(["import", str(path)]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "observations_figures.csv" in out and "sources_figures.csv" in out
    assert main(["build"]) == 0
    capsys.readouterr()
    assert main(["assess", "--json", "--paths", "400"]) == 0
    after = {r["target_id"]: r for r in json.loads(capsys.readouterr().out)}
    # more than 1200 brands (1320): met; >= 50 % in 2018 (55 %): met; 5 clusters (4): not met
    assert [after[t]["status"] for t in GOALS] == ["met", "met", "not_met"]
    assert after["famous_brands_2025"]["latest_value"] == 1320
    # the 2018 coverage also serves the 2023 goal on the same indicator: it moves too
    moved = {t: (before[t], after[t]["status"]) for t in before if after[t]["status"] != before[t]}
    assert set(moved) == {*GOALS, "rd_institution_coverage_2023"}, moved


def test_bad_fills_get_file_row_column_messages_and_nothing_changes(project, rows, capsys):
    from dgm.data.importer import write_gaps_template

    path = project / "bad.xlsx"
    write_gaps_template(path, rows)
    bad = dict(FILLS)
    bad[("famous_brands", 2025)] = (1230, "1320个", "全市累计拥有名牌名标1320个")  # typo in value
    bad[("clusters_over_100bn", 2025)] = (4, "4个", "全市千亿级产业集群")  # quote without it
    _fill(path, bad)
    book = openpyxl.load_workbook(path)
    book["observations"].cell(3, list(TABLES["observations"].columns).index("kind") + 1, "final")
    book.save(path)
    before = _digest(paths.RAW)
    assert main(["import", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    name = f"{path}[observations]"
    assert sorted(lines) == [
        f"{name}:2:value: value does not match as_written (expected the number '1320个' states in 个, got 1230)",
        f"{name}:3:kind: not allowed (expected one of exact, lower_bound, upper_bound, approx, estimate, plan_target, got 'final')",
        f"{name}:4:quote: quote does not contain the figure (expected the text '4个' in the quote, got '全市千亿级产业集群…')",
    ]
    assert _digest(paths.RAW) == before


def test_an_unfilled_row_is_refused_with_its_cells(project, rows, capsys):
    from dgm.data.importer import write_gaps_template

    path = project / "empty.xlsx"
    write_gaps_template(path, rows)
    assert main(["import", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        f"{path}[observations]:2:value: missing value (expected a decimal number, got an empty cell)"
        in lines
    )


def test_template_refuses_an_existing_file(project, capsys):
    path = project / "figures.xlsx"
    path.write_bytes(b"my own work")
    assert main(["gaps", "--goal", "famous_brands_2025", "--template", str(path)]) == 1
    assert (
        "already exists (expected a new file name); nothing was written" in capsys.readouterr().err
    )
    assert path.read_bytes() == b"my own work"
