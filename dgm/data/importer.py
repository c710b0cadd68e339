"""A user's .xlsx/.csv of figures (laid out like data/templates/) → a new validated raw file; `dgm import`.

The incoming rows are checked with the same schemas as data/raw, against its catalogue and
sources; only a clean file is written (as `observations_<name>.csv`, plus `sources_<name>.csv`
when the workbook brings sources), each with a manifest. Nothing existing is overwritten. Only
visible sheets are read: a hidden `observations` or `sources` sheet is refused by name (what Excel
shows is what is imported). An import holds the project lock (dgm.data.locks) from check to write, so
two imports of one file under two names cannot both pass.
"""

import csv
import datetime as dt
import os
import re
import shutil
import tempfile
from pathlib import Path

from dgm import paths
from dgm.data.atomic import write_file, write_files
from dgm.data.rawio import MAX_FILE_BYTES, Problem, read_bytes
from dgm.data.schemas import TABLES
from dgm.data.validate import check_dataset, sha256
from dgm.errors import DgmError, excerpt

SHEETS = ("observations", "sources")
HIDDEN = {"hidden": "hidden", "veryHidden": "very hidden (hidden by a macro)"}  # sheet_state: words
MAX_UNPACKED_BYTES = 50_000_000  # an .xlsx whose parts unpack to more is refused unopened


def _cell(value) -> str:
    """An Excel cell as text the CSV reader would see (dates ISO, whole floats without .0)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _workbook_problem(path: Path) -> str | None:
    """Why `path` cannot be an .xlsx workbook (checked before openpyxl opens it), or None."""
    import zipfile

    with path.open("rb") as fh:
        head = fh.read(4)
    if not head:
        return "file is empty (expected an Excel .xlsx workbook, got 0 bytes)"
    if not head.startswith(b"PK"):
        return "file is not an .xlsx workbook (expected a zip archive as Excel saves it; a CSV file must be named .csv)"
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return "file is a damaged or truncated .xlsx (expected a complete workbook; save it again)"
    if "xl/workbook.xml" not in names:
        return "file is a zip archive but not an Excel workbook (expected an .xlsx file)"
    if unpacked > MAX_UNPACKED_BYTES:
        return f"workbook is too large (expected at most {MAX_UNPACKED_BYTES // 1_000_000} MB unpacked, got {unpacked / 1e6:.0f} MB)"
    return None


def workbook_to_csvs(path: Path, out_dir: Path) -> tuple[dict[Path, str], list[Problem]]:
    """Write each known sheet of a workbook as CSV in `out_dir`; map each CSV to `FILE[sheet]`.

    A formula cell is a problem (its value would be whatever Excel last cached); values beyond the
    header's width are kept, so the row-length check rejects them as it does in a CSV file.
    """
    import openpyxl

    why = _workbook_problem(path)
    if why:
        return {}, [Problem(str(path), 0, "-", why)]
    written, problems = {}, []
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        for sheet in SHEETS:
            if sheet not in book.sheetnames:
                continue
            name = f"{path}[{sheet}]"
            state = book[sheet].sheet_state
            if state != "visible":
                why = HIDDEN.get(state, state)
                problems.append(
                    Problem(
                        name,
                        0,
                        "-",
                        f"the sheet is {why} (expected a visible sheet: dgm imports only what "
                        "Excel shows; unhide it, or delete it if it is not the data to import)",
                    )
                )
                continue
            width = 0
            target = out_dir / f"{sheet}_import.csv"
            with target.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                for line, row in enumerate(book[sheet].iter_rows(), start=1):
                    values = []
                    for cell in row:
                        if getattr(cell, "data_type", None) == "f":
                            got = excerpt(cell.value)
                            problems.append(
                                Problem(
                                    name,
                                    line,
                                    f"{cell.column_letter}",
                                    f"a formula (expected a typed value; paste values only, got '{got}')",
                                )
                            )
                        values.append(_cell(getattr(cell, "value", None)))
                    if line == 1:  # the header's own width: its trailing blank cells are no columns
                        while values and values[-1] == "":
                            values.pop()
                        width = len(values)
                    while len(values) > width and values[-1] == "":
                        values.pop()
                    writer.writerow(values + [""] * (width - len(values)))
            written[target] = name
        book.close()
    except Exception as err:  # openpyxl raises many types on a damaged part of a workbook
        why = f"cannot read the workbook (expected an .xlsx saved by Excel or LibreOffice, got {type(err).__name__}: {excerpt(err)})"
        return {}, [Problem(str(path), 0, "-", why)]
    return written, problems


def slug(name: str) -> str:
    """A file-name-safe lower-case slug (`Yearbook 2024.xlsx` → `yearbook_2024`)."""
    return re.sub(r"[^a-z0-9]+", "_", Path(name).stem.lower()).strip("_") or "import"


def manifest_text(table: str, source_file: Path, data_file: Path, file_name: str) -> str:
    """The manifest of raw file `file_name` (bytes in `data_file`), YAML by a dumper: any name is safe."""
    import yaml

    meta = {
        "file": file_name,
        "description": f"{table} imported by `dgm import` from {source_file.name} on {dt.date.today().isoformat()}",
        "gathered": "supplied by a user; validated with the same schemas as the shipped raw data",
        "caveats": "the figures are the user's; their sources are in the sources tables",
        "sha256": sha256(data_file),
    }
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)


def _drop_known_sources(path: Path, raw: Path) -> None:
    """Remove incoming source rows that repeat a row of raw/sources.csv exactly, column by column
    (a column one side leaves out reads as blank); the file goes if none remain."""
    if not path.exists():
        return
    columns = list(TABLES["sources"].columns)
    with (raw / "sources.csv").open(encoding="utf-8", newline="") as fh:
        known = {tuple(r.get(c) or "" for c in columns) for r in csv.DictReader(fh)}
    with path.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    new = [
        r
        for r in rows
        if len(r) > len(header)  # a ragged row stays, for the row-length check to refuse
        or tuple(dict(zip(header, r, strict=False)).get(c, "") for c in columns) not in known
    ]
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
    _, unreadable = read_bytes(source, str(source), MAX_FILE_BYTES)
    if unreadable:
        return unreadable, []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if source.suffix.lower() == ".xlsx":
            staged, problems = workbook_to_csvs(source, tmp)
            if problems:
                return problems, []
        elif source.suffix.lower() == ".csv":
            staged = {tmp / "observations_import.csv": str(source)}
            shutil.copyfile(source, tmp / "observations_import.csv")
        else:
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
        clashes = []  # per new file: the file, or else its manifest, already there
        for dst in targets.values():
            there = [t for t in (dst, dst.with_name(dst.name + ".yml")) if os.path.lexists(t)]
            clashes += there[:1]
        if clashes:
            return [
                Problem(str(t), 0, "-", "already exists (expected a new name; pass --name)")
                for t in clashes
            ], []
        return [], _install(targets, source)


def _install(targets: dict[Path, Path], source: Path) -> list[Path]:
    """Copy each staged file and its manifest into data/raw: all are written as hidden temporary
    files first, then renamed; on any failure every file of this import is removed again."""
    moves = []
    for src, dst in sorted(targets.items()):
        manifest = manifest_text(dst.name.split("_")[0], source, src, dst.name)
        moves.append((src.read_bytes(), dst))
        moves.append((manifest.encode("utf-8"), dst.with_name(dst.name + ".yml")))
    try:
        write_files(moves)
    except OSError as err:
        raise DgmError(
            f"import: cannot write {err.filename} ({err.strerror.lower()}); data/raw left as it was"
        ) from err
    return sorted(targets.values())


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
    "copy_of": "",
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
GAPS_README = [
    "The figures dgm gaps asks for, to fill from your own copies (yearbook, bulletins), then `dgm import FILE.xlsx`",
    "Each row of 'observations' is one missing figure dgm gaps ranked first for a goal: indicator, year, unit, period and scope are filled in.",
    "The 'where' sheet says, row by row, which goals the figure serves and where such a figure is usually published (data/raw/publications.csv).",
    "Fill value, as_written (the figure exactly as printed), quote (the printed words containing it, ≤ 200 characters), kind, vintage (the publication date), source_id and reliability.",
    "price_basis: current, comparable or blank; period: leave blank for a full year (or a year-end stock), else jan-nov, h1, stock-end-nov …",
    "Add your source (the yearbook edition, the bulletin) as a row of the 'sources' sheet: source_id, title, publisher, published, url (or offline: and where your copy is), accessed.",
    "kind and reliability offer their allowed values in a list; a printed yearbook is reliability A (an official document).",
    "Delete the rows you could not fill: every row is checked, and an empty one is refused with its FILE:ROW:COLUMN.",
    "Nothing is imported unless every row passes; `dgm build` and `dgm assess` then show the verdicts the figures move.",
]
VALIDATION_ROWS = 2000  # rows of the observations sheet that carry the drop-down lists
WIDTHS = {  # column widths (characters) of the workbook's sheets; others 12
    "indicator": 36,
    "scope": 22,
    "source_id": 30,
    "quote": 60,
    "note": 40,
    "title": 50,
    "publisher": 30,
    "url": 50,
    "copy_of": 40,
    "goals": 45,
    "where it is usually published": 100,
}


def _choices(ws, column: str, choices: tuple[str, ...]) -> None:
    """A drop-down list of `choices` on the observations sheet's `column` (blank allowed)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(list(TABLES["observations"].columns).index(column) + 1)
    rule = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=f"{column}: not allowed",
        error=f"expected one of {', '.join(choices)}",
    )
    ws.add_data_validation(rule)
    rule.add(f"{letter}2:{letter}{VALIDATION_ROWS}")


def _header(ws) -> None:
    """Bold header row, frozen, and column widths from WIDTHS."""
    from openpyxl.styles import Font

    for cell in ws[1]:
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = WIDTHS.get(str(cell.value), 12)
    ws.freeze_panes = "A2"


def _book(info: tuple[str, list[str]], observations: list[dict], sources: list[dict]):
    """The import workbook: an information sheet, then observations and sources (header, rows),
    with drop-down lists for kind, reliability, price_basis and period."""
    import openpyxl
    from openpyxl.styles import Font

    from dgm.data.schemas import KINDS, PERIODS, PRICE_BASIS, RELIABILITY

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = info[0]
    for line in info[1]:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 120
    for name, rows in (("observations", observations), ("sources", sources)):
        ws = book.create_sheet(name)
        ws.append(list(TABLES[name].columns))
        for row in rows:
            ws.append([row.get(c, "") for c in TABLES[name].columns])
        _header(ws)
    obs = book["observations"]
    for column, choices in (
        ("kind", KINDS),
        ("reliability", RELIABILITY),
        ("price_basis", PRICE_BASIS),
        ("period", PERIODS[1:]),
    ):
        _choices(obs, column, choices)
    return book


def write_template(path: Path) -> None:
    """Write the import workbook: instructions, observations and sources sheets with one real example row."""
    book = _book(("instructions", INSTRUCTIONS), [EXAMPLE_OBSERVATION], [EXAMPLE_SOURCE])
    write_file(Path(path), book.save)


def write_gaps_template(path, rows) -> Path:
    """Write the import workbook pre-filled with the figures `dgm gaps` lists (`rows`: indicator,
    year, unit, period, scope, goals, where), the rest of each row left for the user; a README
    sheet first and a 'where' sheet beside it. Refuses a file that exists (nothing is replaced)."""
    from dgm.data.atomic import write_file

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise DgmError(f"gaps --template: {path} is not an .xlsx file name (expected FILE.xlsx)")
    if os.path.lexists(path):
        raise DgmError(
            f"gaps --template: {path} already exists (expected a new file name); nothing was written"
        )
    filled = [
        {c: r[c] for c in ("indicator", "year", "unit", "period", "scope")}
        for r in rows.to_dict("records")
    ]
    book = _book(("README", GAPS_README), filled, [])
    where = book.create_sheet("where")
    where.append(["row", "indicator", "year", "goals", "where it is usually published"])
    _header(where)
    for line, r in enumerate(rows.to_dict("records"), start=2):
        where.append([line, r["indicator"], r["year"], "; ".join(r["goals"]), r["where"]])
    write_file(path, book.save)
    return path
