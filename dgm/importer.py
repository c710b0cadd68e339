"""A user's .xlsx/.csv of figures (laid out like data/templates/) → a new validated raw file; `dgm import`.

The incoming rows are checked with the same schemas as data/raw, against its catalogue and
sources; only a clean file is written (as `observations_<name>.csv`, plus `sources_<name>.csv`
when the workbook brings sources), each with a manifest. Nothing existing is overwritten.
"""

import csv
import datetime as dt
import re
import shutil
import sys
import tempfile
from pathlib import Path

from dgm import paths
from dgm.schemas import TABLES
from dgm.validate import check_dataset, sha256

SHEETS = ("observations", "sources")


def _cell(value) -> str:
    """An Excel cell as text the CSV reader would see (dates ISO, whole floats without .0)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def workbook_to_csvs(path: Path, out_dir: Path) -> dict[Path, str]:
    """Write each known sheet of a workbook as CSV in `out_dir`; map each CSV to `FILE[sheet]`."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    written = {}
    for sheet in SHEETS:
        if sheet not in book.sheetnames:
            continue
        target = out_dir / f"{sheet}_import.csv"
        with target.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            for row in book[sheet].iter_rows(values_only=True):
                writer.writerow([_cell(v) for v in row][: len(TABLES[sheet].columns)])
        written[target] = f"{path}[{sheet}]"
    book.close()
    return written


def slug(name: str) -> str:
    """A file-name-safe lower-case slug (`Yearbook 2024.xlsx` → `yearbook_2024`)."""
    return re.sub(r"[^a-z0-9]+", "_", Path(name).stem.lower()).strip("_") or "import"


def manifest_text(table: str, source_file: Path, data_file: Path) -> str:
    """The manifest of an imported raw file."""
    return (
        f"file: {data_file.name}\n"
        f"description: {table} imported by `dgm import` from {source_file.name} on {dt.date.today().isoformat()}\n"
        f"gathered: supplied by a user; validated with the same schemas as the shipped raw data\n"
        f"caveats: the figures are the user's; their sources are in the sources tables\n"
        f"sha256: {sha256(data_file)}\n"
    )


def _drop_known_sources(path: Path, raw: Path) -> None:
    """Remove incoming source rows that repeat a row of raw/sources.csv exactly (the file goes if none remain)."""
    if not path.exists():
        return
    with (raw / "sources.csv").open(encoding="utf-8", newline="") as fh:
        known = {tuple(r) for r in csv.reader(fh)}
    with path.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    new = [r for r in rows if tuple(r) not in known]
    if not new:
        path.unlink()
        return
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *new])


def import_file(
    source: Path, name: str | None = None, raw: Path | None = None
) -> tuple[list, list[Path]]:
    """Validate `source` and, when clean, add it to `raw`; return (problems, files written)."""
    raw = raw or paths.RAW
    name = slug(name or source.name)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if source.suffix.lower() == ".xlsx":
            staged = workbook_to_csvs(source, tmp)
        elif source.suffix.lower() == ".csv":
            staged = {tmp / "observations_import.csv": str(source)}
            shutil.copyfile(source, tmp / "observations_import.csv")
        else:
            from dgm.rawio import Problem

            return [
                Problem(
                    str(source),
                    0,
                    "-",
                    f"unsupported file type (expected .xlsx or .csv, got '{source.suffix}')",
                )
            ], []
        _drop_known_sources(tmp / "sources_import.csv", raw)
        staged = {p: n for p, n in staged.items() if p.exists()}
        existing = sorted(raw.glob("observations*.csv")) + sorted(raw.glob("sources*.csv"))
        problems = check_dataset(
            existing + sorted(staged), manifests=False, reference_dir=raw, names=staged
        )
        problems = [p for p in problems if p.file in staged.values()]
        if not any(p.name.startswith("observations") for p in staged):
            from dgm.rawio import Problem

            problems.append(
                Problem(
                    str(source),
                    0,
                    "-",
                    "no observations sheet (expected a sheet named 'observations', as in data/templates/)",
                )
            )
        if problems:
            return problems, []
        targets = {p: raw / p.name.replace("_import", f"_{name}") for p in staged}
        clashes = [t for t in targets.values() if t.exists()]
        if clashes:
            from dgm.rawio import Problem

            return [
                Problem(str(t), 0, "-", "already exists (expected a new name; pass --name)")
                for t in clashes
            ], []
        written = []
        for src, dst in sorted(targets.items()):
            tmp_dst = dst.with_name(f".{dst.name}.tmp")
            shutil.copyfile(src, tmp_dst)
            tmp_dst.replace(dst)
            dst.with_name(dst.name + ".yml").write_text(
                manifest_text(dst.name.split("_")[0], source, dst), encoding="utf-8"
            )
            written.append(dst)
        return [], written


def main_import(args) -> int:
    """`dgm import FILE [--name NAME]`: exit 0 and list the new files, or list the problems and exit 1."""
    source = Path(args.file)
    if not source.is_file():
        print(
            f"{source}:0:-: no such file (expected an .xlsx or .csv laid out like data/templates/)"
        )
        return 1
    problems, written = import_file(source, args.name)
    for problem in problems:
        print(problem)
    if problems:
        print(f"nothing imported: {len(problems)} problem(s); data/raw unchanged", file=sys.stderr)
        return 1
    for path in written:
        print(f"added {path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path}")
    return 0


EXAMPLE_OBSERVATION = {
    "indicator": "gdp",
    "year": 2016,
    "value": 6827.67,
    "as_written": "6827.67亿元",
    "unit": "亿元",
    "kind": "estimate",
    "scope": "whole city",
    "price_basis": "current",
    "vintage": "2017-02-04",
    "source_id": "dg-jan-release-2016-southcn",
    "quote": "3日,东莞市统计局发布的经济运行情况显示,2016年,东莞实现地区生产总值6827.67亿元,比上年增长8.1%",
    "reliability": "C",
    "note": "example row: the January release as reported by 南方日报",
    "period": "",
}
EXAMPLE_SOURCE = {
    "source_id": "dg-jan-release-2016-southcn",
    "title": "2016年东莞经济运行情况——十三五开局良好",
    "publisher": "南方+（南方日报）",
    "published": "2017-02-04",
    "url": "http://static.nfapp.southcn.com/content/201702/04/c270555.html",
    "accessed": "2026-11-28",
}
INSTRUCTIONS = [
    "How to fill this workbook for `dgm import FILE.xlsx`",
    "One published figure per row of the 'observations' sheet; keep the header row as it is.",
    "indicator: an id from data/raw/indicators.csv (e.g. gdp, rd_intensity); unit: that indicator's unit.",
    "value: the number in that unit (亿元 for money: 2.5万亿元 → 25000); as_written: the figure exactly as the source writes it.",
    "quote: the source's words (≤ 200 characters) containing as_written.",
    "kind: exact, lower_bound (突破/超过), upper_bound, approx (约/左右), estimate (初步/预计) or plan_target.",
    "price_basis: current, comparable or blank; vintage: the publication date YYYY-MM-DD.",
    "period: blank for a full year (or a stock at year end); else jan-nov, h1, stock-end-nov … (docs/data-model.md).",
    "source_id: an id from data/raw/sources.csv or from this workbook's 'sources' sheet.",
    "reliability: A official document, B official release reposted verbatim, C news paraphrase, D secondary dataset.",
    "The example rows are a real figure; delete or replace them. Nothing is imported unless every row passes.",
]


def write_template(path: Path) -> None:
    """Write the import workbook: instructions, observations and sources sheets with one real example row."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    info = book.active
    info.title = "instructions"
    for line in INSTRUCTIONS:
        info.append([line])
    info["A1"].font = Font(bold=True)
    info.column_dimensions["A"].width = 120
    for sheet, example in (("observations", EXAMPLE_OBSERVATION), ("sources", EXAMPLE_SOURCE)):
        ws = book.create_sheet(sheet)
        ws.append(list(TABLES[sheet].columns))
        ws.append([example[c] for c in TABLES[sheet].columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    book.save(path)
