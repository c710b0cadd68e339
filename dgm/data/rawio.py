"""Raw CSV bytes → typed DataFrame plus a list of problems (`FILE:ROW:COLUMN: …`), never a traceback.

ROW is the line number in the file (the header is line 1, the first data row line 2); 0 means the
whole file. Reading never modifies a file.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dgm.data.schemas import DATE_PATTERN, Table
from dgm.errors import DgmError, capped, excerpt

MAX_FILE_BYTES = 50_000_000  # a raw CSV larger than this is refused unread (data/raw holds ~1 MB)
MAX_ROWS = 20_000  # rows of one raw file (data/raw holds a few hundred; checks cost ~1 ms a row)
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell: what the workbook can show in full

_MAGIC = {
    b"PK\x03\x04": "an Excel workbook (.xlsx, a zip archive) renamed",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls) renamed",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one cell (row 0 / column '-' when it concerns the whole file)."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class DataError(DgmError, ValueError):
    """Raised by loaders when a raw file has problems; `problems` lists them (str: the first 20)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(capped([str(p) for p in problems])))


def _decode(data: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of a file, or the reason it is not plain UTF-8 CSV text."""
    if not data.strip():
        return None, [
            Problem(name, 0, "-", "file is empty (expected a header row and data rows, got 0 rows)")
        ]
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return None, [
                Problem(
                    name,
                    0,
                    "-",
                    f"file is {what} .csv (expected UTF-8 CSV text; export the sheet as CSV or use `dgm import`)",
                )
            ]
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [
            Problem(
                name,
                1,
                "-",
                "file starts with a UTF-8 byte-order mark (expected UTF-8 without BOM; re-save as plain UTF-8)",
            )
        ]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = "; it reads as GBK/GB18030, re-save it as UTF-8"
        except UnicodeDecodeError:
            pass
        got = data[err.start : err.start + 2].hex(" ")
        return None, [
            Problem(
                name, line, "-", f"file is not UTF-8 (expected UTF-8 text, got bytes {got}{hint})"
            )
        ]


def read_bytes(path: Path, name: str, limit: int = MAX_FILE_BYTES) -> tuple[bytes | None, list]:
    """A file's bytes, or the one problem saying why it cannot be read (missing, a directory, too big)."""
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "is a directory")
        if not path.exists():
            what = "a link to a missing file" if path.is_symlink() else "no such file"
            raise FileNotFoundError(2, what)
        size = path.stat().st_size
        if size > limit:
            why = f"file is too large (expected at most {limit // 1_000_000} MB, got {size / 1e6:.0f} MB)"
            return None, [Problem(name, 0, "-", why)]
        return path.read_bytes(), []
    except OSError as err:
        return None, [
            Problem(name, 0, "-", f"cannot read the file ({(err.strerror or str(err)).lower()})")
        ]


def read_strings(
    path: Path | str, table: Table, name: str | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV as strings (index = line number), checking encoding, header and row lengths."""
    path = Path(path)
    name = name or str(path)
    data, problems = read_bytes(path, name)
    if data is None:
        return None, problems
    text, problems = _decode(data, name)
    if text is None:
        return None, problems
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as err:
        return None, [
            Problem(
                name, 0, "-", f"not a valid CSV file (expected comma-separated values, got: {err})"
            )
        ]
    if len(rows) - 1 > MAX_ROWS:
        why = f"file has too many rows (expected at most {MAX_ROWS}, got {len(rows) - 1}); split it"
        return None, [Problem(name, 0, "-", why)]
    header = [h.strip() for h in rows[0]]
    expected = list(table.columns)
    omitted = [c for c, spec in table.columns.items() if spec.may_omit and c not in header]
    missing = [c for c in expected if c not in header and c not in omitted]
    unknown = [c for c in header if c not in expected]
    if not set(header) & set(expected):  # not a header at all: say so without echoing the line
        why = (
            f"first line is not a header (expected the {table.name} columns {_columns(table)}, "
            f"got a line of {len(','.join(rows[0]))} characters naming none of them)"
        )
        return None, [Problem(name, 1, "-", why)]
    if missing or unknown or len(set(header)) != len(header):
        got = excerpt(",".join(header), 200)
        what = []
        if missing:
            what.append("missing " + ", ".join(missing))
        if unknown:
            what.append("unknown " + ", ".join(unknown))
        if len(set(header)) != len(header):
            what.append("a repeated column")
        return None, [
            Problem(
                name,
                1,
                "-",
                f"header has {'; '.join(what)} (expected the {table.name} columns {_columns(table)}, got {got})",
            )
        ]
    records, index = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    name,
                    line,
                    "-",
                    f"row has {len(row)} fields (expected {len(header)}, as in the header)",
                )
            )
            continue
        long = [i for i, cell in enumerate(row) if len(cell) > MAX_CELL_CHARS]
        for i in long:
            problems.append(
                Problem(
                    name,
                    line,
                    header[i],
                    f"cell too long (expected at most {MAX_CELL_CHARS} characters, got {len(row[i])})",
                )
            )
        if long:
            continue
        records.append([cell.strip() for cell in row])
        index.append(line)
    if not records and not problems:
        problems.append(
            Problem(name, 0, "-", "file has a header but no data rows (expected at least one row)")
        )
    frame = pd.DataFrame(records, columns=header, index=pd.Index(index, name="line"), dtype="str")
    return frame.assign(**dict.fromkeys(omitted, ""))[expected], problems


def _columns(table: Table) -> str:
    """The columns a file of `table` must have, and those it may leave out."""
    required = ",".join(c for c, spec in table.columns.items() if not spec.may_omit)
    optional = ",".join(c for c, spec in table.columns.items() if spec.may_omit)
    return f"{required}, optionally {optional}" if optional else required


def _bad_cells(name: str, col: str, raw: pd.Series, bad: pd.Series, what: str) -> list[Problem]:
    """One problem per flagged cell: `what` (ending in its open "(expected …") then ", got 'cell')"."""
    return [
        Problem(name, int(line), col, f"{what}, got '{excerpt(raw[line])}')")
        for line in raw.index[bad]
    ]


def typed(frame: pd.DataFrame, table: Table, name: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Convert string columns to their types; a cell that does not convert becomes NA and a problem."""
    out, problems = {}, []
    for col, spec in table.columns.items():
        raw = frame[col]
        cells = raw.to_numpy(dtype=object)  # numpy, not Series methods: 15x faster a column
        blank = cells == ""
        for line in raw.index[blank] if spec.required else ():
            problems.append(
                Problem(
                    name,
                    int(line),
                    col,
                    f"missing value (expected {spec.expected()}, got an empty cell)",
                )
            )
        if spec.type in ("float", "int"):
            values = pd.to_numeric(
                raw.str.replace(",", "", regex=False).where(~blank), errors="coerce"
            )
            bad = values.isna().to_numpy() & ~blank
            if spec.type == "int":
                bad |= (values.notna() & (values % 1 != 0)).to_numpy()
            what = "a whole number" if spec.type == "int" else "a number"
            problems += _bad_cells(name, col, raw, bad, f"not {what} (expected {spec.expected()}")
            values = values.mask(bad) if bad.any() else values
            out[col] = values.astype("Int64") if spec.type == "int" else values.astype("float64")
        else:
            if spec.type == "date":
                bad = ~blank & ~np.array([is_date(c) for c in cells], dtype=bool)
                problems += _bad_cells(
                    name, col, raw, bad, f"not a date (expected {spec.expected()}"
                )
            out[col] = raw.mask(blank) if blank.any() else raw
    return pd.DataFrame(out, index=frame.index), problems


def first_day(text: str) -> dt.date | None:
    """The first day a date written YYYY-MM-DD, YYYY-MM or YYYY can mean; None when it is no
    real calendar date (2017-13-45)."""
    if not re.match(DATE_PATTERN, text):
        return None
    year, month, day = ([int(x) for x in text.split("-")] + [1, 1])[:3]
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def is_date(text: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD, YYYY-MM or YYYY (not 2017-13-45)."""
    return first_day(text) is not None


def read_table(
    path: Path | str, table: Table, name: str | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and type one raw CSV; the frame is None when the file could not be read at all."""
    frame, problems = read_strings(path, table, name)
    if frame is None:
        return None, problems
    frame, more = typed(frame, table, name or str(path))
    return frame, problems + more
