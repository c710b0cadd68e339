"""Figures and tables out: `save` (figure → PNG 300 dpi, SVG, PDF), `write_workbook` (→ .xlsx)."""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
from pathlib import Path

from dgm import paths
from dgm.data.atomic import write_file
from dgm.jsonsafe import plain
from dgm.words import FLATTENED_FLAG, ID_HEADERS, PROJECTION, README_ROWS, ROBUSTNESS

FORMATS = ("png", "svg", "pdf")
PNG_DPI = 300
PAD_INCHES = 0.05  # white margin around the tight bounding box of a saved figure
# The workbook's document dates and zip entry times, fixed so that reruns give identical bytes
# (openpyxl stamps the time of saving); the date is the policy's, 東府〔2015〕1號 of 2015-01-20.
WORKBOOK_DATE = (2015, 1, 20, 0, 0, 0)
MAX_STEM = 80  # characters; keeps full paths well under Windows' 260 and every file system's 255
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}  # Windows device names


def safe_name(name: str, max_len: int = MAX_STEM) -> str:
    """ASCII file-name stem safe on every file system: lower case, [a-z0-9._-], length-capped.

    Accents are stripped (é → e); other non-ASCII text (e.g. Chinese) is replaced by a short hash
    so two different Chinese names never collide; Windows device names get a suffix.
    """
    import hashlib

    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    stem = _UNSAFE.sub("-", text.lower()).strip("-._")
    stem = re.sub(r"-{2,}", "-", stem)
    lost = any(
        ord(c) > 127 and not unicodedata.combining(c)
        for c in unicodedata.normalize("NFKD", str(name))
    )
    if lost or not stem:
        digest = hashlib.sha1(str(name).encode("utf-8")).hexdigest()[:8]
        stem = f"{stem}-{digest}" if stem else f"figure-{digest}"
    if len(stem) > max_len:
        digest = hashlib.sha1(str(name).encode("utf-8")).hexdigest()[:8]
        stem = stem[: max_len - 9].rstrip("-._") + "-" + digest
    if stem.split(".")[0] in _RESERVED:
        stem = f"{stem}_"
    return stem


@contextlib.contextmanager
def laid_out(fig, dpi: float = PNG_DPI):
    """Lay ``fig`` out once at ``dpi`` and keep that layout inside the block; yields the tight
    bounding box (inches, padded by PAD_INCHES) for every save in the block.

    ``savefig(bbox_inches="tight")`` on a constrained-layout figure draws twice per file (once to
    lay out and find the box, once to render); inside this block each file is drawn once. The
    layout and box are those the 300 dpi PNG gets on its own, so that file is unchanged.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from dgm.present.style import house_style

    if not hasattr(fig.canvas, "get_renderer"):  # a bare Figure: give it the Agg canvas, whose
        FigureCanvasAgg(fig)  # one renderer keeps text sizes from the layout for the box and PNG
    engine = fig.get_layout_engine()
    with house_style(), _at_dpi(fig, dpi):
        fig.draw_without_rendering()  # runs the layout engine
        box = fig.get_tightbbox().padded(PAD_INCHES)
    fig.set_layout_engine(None)  # no engine: savefig neither lays out nor draws to lay out
    try:
        yield box
    finally:
        fig.set_layout_engine(engine)


@contextlib.contextmanager
def _at_dpi(fig, dpi: float):
    """``fig`` at ``dpi`` inside the block; a GUI window showing it is not resized."""
    canvas = fig.canvas
    manager, canvas.manager = canvas.manager, None
    old = fig.dpi
    fig.dpi = dpi
    try:
        yield
    finally:
        fig.dpi = old
        canvas.manager = manager


def save(
    fig, name: str, out_dir: Path | str | None = None, formats=FORMATS, box=None
) -> list[Path]:
    """Write ``fig`` as PNG (300 dpi), SVG and PDF to ``out_dir`` (default reports/figures/).

    The file stem is ``safe_name(name)``. The house style is applied while saving, so PDF text
    embeds the TrueType CJK font (Type 42) whoever made the figure. Every file is cropped to the
    same tight box, ``box`` when given by an enclosing ``laid_out(fig)``. Returns the paths written.
    """
    from dgm.present.style import house_style

    out = Path(out_dir) if out_dir is not None else paths.REPORTS / "figures"
    stem = safe_name(name)
    written = []
    layout = contextlib.nullcontext(box) if box is not None else laid_out(fig)
    with layout as box, house_style():
        for fmt in formats:
            dest = out / f"{stem}.{fmt}"
            kwargs = {"dpi": PNG_DPI} if fmt == "png" else {}
            # No dates in the files: two runs of the report give identical figures.
            if fmt == "pdf":
                kwargs["metadata"] = {"Creator": "dgm", "Title": str(name), "CreationDate": None}
            if fmt == "svg":
                kwargs["metadata"] = {"Date": None}
            write_file(
                dest,
                lambda tmp, fmt=fmt, kw=kwargs: fig.savefig(tmp, format=fmt, bbox_inches=box, **kw),
            )
            written.append(dest)
    return written


# ---------------------------------------------------------------------------------------------
# Excel workbook

NUMBER_FORMATS = {  # catalogue unit → Excel number format (no locale-dependent formulas)
    "亿元": "#,##0.00",
    "%": "0.00",
    "百分点": "0.0",
    "件": "#,##0",
    "家": "#,##0",
    "个": "#,##0",
    "index": "0.0",
    "吨标准煤/万元": "0.0000",
}
RATE_FORMAT = "0.00%"  # fractions per year (assess: 0.065 = 6.5 % a year)
PROB_FORMAT = "0%"
MAX_WIDTH = 60  # characters
WRAP_WIDTH = 28  # characters: longer text (quotes, notes, titles, URLs) wraps within this width
HEADER_WIDTH = 12  # characters: a longer header wraps rather than widening its column
LINE_PT = 15  # row height per line of FONT_PT text, in points
PROSE_CHARS_PER_UNIT = 1.0  # characters of prose per width unit (a digit's width), kept safe
PRINT_MARGIN_IN = 0.4  # page margins in inches (header and footer sit in them)
QUOTE_FLAG = "quote_check"  # observations column that flags quotes to re-read at the source
FLAG_FILL = "FCE4C4"
# A number with two or more decimal points (290.306.21317.25): table cells run together.
# Dates written 2015.1.20 are not flagged.
_RUN_TOGETHER = re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}(?![\d.])")
_DATE = re.compile(r"(19|20)\d\d\.\d{1,2}\.\d{1,2}")
HEADER_FILL = "DDE6F0"
# Every cell names an East Asian font, so LibreOffice and Excel draw the Chinese with simplified
# glyph forms where it is installed (Debian: fonts-noto-cjk); without it they fall back as before.
FONT_NAME = "Noto Sans CJK SC"
FONT_CHARSET = 134  # GB2312: the font's simplified-Chinese character set
FONT_PT = 10
LINK_FONT = "0563C1"  # hyperlinks: the usual blue, underlined
MIN_PRINT_PT = 8  # no sheet prints smaller (LibreOffice, tests/test_export.py)
# Width units (digits of the default font, FONT_NAME at FONT_PT) of the printed columns that fit
# across A4 landscape inside PRINT_MARGIN_IN at MIN_PRINT_PT / FONT_PT of full size (LibreOffice:
# 10 units measure 55.5 pt, so 784 pt hold 141 units at 100 % and 176 at 80 %); a little spare.
PRINT_UNITS = 170
TEXT_FLOOR = 10  # narrowest a printed text column is made (it wraps), in width units
# Columns of URLs, written as hyperlinks (LibreOffice draws a hyperlink on one line: a printed
# URL column comes last in its sheet's print area, where it is cut at the edge rather than
# hiding the next column).
LINKS = ("url", "source_url")
WORD_COLUMNS = (  # codes written in words, Chinese and English (dgm.present.tables.words)
    "status",
    "ex_post",
    "eurostat_category",
    "escap_category",
    "unsd_category",
    "basis",
    "evidence",
    "kind",
    "latest_kind",
    "method",
    "direction",
)
PRINTED = {  # sheet → the columns that print, in this order; the others follow, not printed
    "scorecard": [
        "label",
        "status",
        "evidence",
        "latest_value",
        "unit",
        "latest_year",
        "required_rate",
        "observed_rate",
        "p_attain",
        "crossing_year_median",
        "ex_post",
        "basis",
        "fragile",
        "reading",
    ],
    "scorecard_details": [
        "target_id",
        "n_points",
        "last_year",
        "baseline_year",
        "rate_ratio",
        "eurostat_category",
        "escap_gap",
        "escap_category",
        "unsd_q",
        "unsd_category",
        "reasons",
        "notes",
    ],
    "goals": [
        "label_zh",
        "label_en",
        "comparison",
        "target_value",
        "unit",
        "target_year",
        "baseline_year",
        "baseline_value",
        "kind",
        "clause",
        "quote",
    ],
    "observations": [
        "indicator_label",
        "year",
        "value",
        "unit",
        "kind",
        "reliability",
        "vintage",
        "quote",
        QUOTE_FLAG,
        "source_title",
    ],
    "sources": ["source_id", "title", "publisher", "published", "accessed", "url"],
    "forecasts": ["target_id", "unit", "year"]
    + [f"projection p{q}" for q in (2.5, 10, 25, 50, 75, 90, 97.5)],
}  # a sheet not named here prints all its columns
WRAP = {  # characters a printed text column wraps at (others: WRAP_WIDTH)
    "label": 26,
    "reading": 36,
    "notes": 36,
    "reasons": 18,
    "quote": 36,
    "source_title": 24,
    "title": 30,
    "url": 40,
    "source_id": 16,
    "label_zh": 18,
    "label_en": 22,
    "clause": 12,
    "indicator": 18,
    "status": 12,
    "ex_post": 10,
    "basis": 10,
    "publisher": 20,
}


def flattened_quote(text) -> bool:
    """Whether a quote is a flattened table row: numbers of adjacent cells run together
    (`- Secondary Industry (RMB billion)290.306.21317.25 7.21`)."""
    if not isinstance(text, str):
        return False
    return any(not _DATE.fullmatch(m.group()) for m in _RUN_TOGETHER.finditer(text))


def _cell_value(v):
    """A value openpyxl writes as is: None for NaN/NA, Python scalars, lists joined by '; '."""
    if v is None:
        return None
    if isinstance(v, list | tuple | set):
        return "; ".join(str(x) for x in v)
    if isinstance(v, dict):
        return "; ".join(f"{k}: {x}" for k, x in v.items())
    if isinstance(v, float) and math.isinf(v):  # ±inf stays a number; only NaN is a blank cell
        return float(v)
    v = plain(v)
    if v is None or isinstance(v, bool | int | float | str):
        return v
    return str(v)


def _width(v) -> int:
    """Display width of a value in characters (CJK = 2)."""
    if v is None:
        return 0
    s = v if isinstance(v, str) else (f"{v:,.2f}" if isinstance(v, float) else str(v))
    line = max(s.split("\n"), key=len) if s else ""
    return sum(2 if ord(c) > 0x2E7F else 1 for c in line)


def _font(**kw):
    """The workbook's font (FONT_NAME, FONT_PT, simplified-Chinese charset) with `kw` changed."""
    from openpyxl.styles import Font

    return Font(**({"name": FONT_NAME, "size": FONT_PT, "charset": FONT_CHARSET} | kw))


def column_header(col) -> str:
    """A column's header in the workbook: Chinese over English (dgm.words.HEADERS); ids say so."""
    from dgm.lang import pick
    from dgm.present.tables import header

    if str(col) in ID_HEADERS:
        return pick(*ID_HEADERS[str(col)], "both", "\n")
    if str(col).startswith("projection p"):
        return f"预测 {str(col).removeprefix('projection ')}\n{col}"
    return header(col, "both", sep="\n")


def _default_font(wb) -> None:
    """Make FONT_NAME the workbook's default (Normal style) font: spreadsheets measure column
    widths in its digits and use it for empty cells (openpyxl has no public setter)."""
    font = _font()
    wb._fonts = type(wb._fonts)([font])
    wb._named_styles["Normal"].font = font


def _url(v) -> str | None:
    """A web address to link to, None for anything else (offline notes, blanks)."""
    return v if isinstance(v, str) and v.startswith(("https://", "http://")) else None


def _write_sheet(wb, title: str, frame, formats: dict | None = None, row_formats=None) -> None:
    """One sheet from a DataFrame: bold frozen bilingual header, filters, widths, number formats,
    URLs as hyperlinks, the East Asian font, no formulas; the PRINTED columns come first and
    are the print area.

    ``formats``: column → number format; ``row_formats``: callable(row dict) → {column: format}
    for formats that depend on the row (the unit of an observation).
    """
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    TOP = Alignment(vertical="top")  # noqa: N806 - one shared style object for every data cell
    WRAPPED = Alignment(wrap_text=True, vertical="top")  # noqa: N806
    cols = [str(c) for c in frame.columns]
    heads = [column_header(c) for c in cols]
    ws.append(heads)
    bold, plain, link = _font(bold=True), _font(), _font(color=LINK_FONT, underline="single")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = WRAPPED
    widths = [min(_width(h), HEADER_WIDTH) for h in heads]  # longer headers wrap
    floors = [8.0] * len(cols)  # numbers never wrap: their column keeps their width
    formats = formats or {}
    for rec in frame.to_dict("records"):
        values = [_cell_value(rec[c]) for c in frame.columns]
        ws.append(values)
        r = ws.max_row
        per_row = row_formats(rec) if row_formats else {}
        for j, (c, v) in enumerate(zip(cols, values, strict=True), start=1):
            cell = ws.cell(row=r, column=j)
            if isinstance(v, str) and v.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
            cell.alignment = TOP
            cell.font = plain
            if c in LINKS and _url(v):
                cell.hyperlink = v
                cell.font = link
            fmt = per_row.get(c) or formats.get(c)
            if fmt and isinstance(v, int | float) and not isinstance(v, bool):
                cell.number_format = fmt
            widths[j - 1] = max(widths[j - 1], _width(v))
            if isinstance(v, int | float) and not isinstance(v, bool):
                floors[j - 1] = max(floors[j - 1], _width(v) + 2)
            elif v is not None:
                floors[j - 1] = max(floors[j - 1], min(TEXT_FLOOR, _width(v) + 2))
    n = sum(c in PRINTED.get(title, cols) for c in cols)  # the printed columns come first
    wraps = [WRAP.get(c, WRAP_WIDTH) if j < n else MAX_WIDTH for j, c in enumerate(cols)]
    full = [min(MAX_WIDTH, max(8, w + 2), x) for w, x in zip(widths, wraps, strict=True)]
    full[:n] = _print_widths(full[:n], floors[:n], PRINT_UNITS)
    for j, (width, w) in enumerate(zip(full, widths, strict=True), start=1):
        if w + 2 > width:  # long text wraps in a narrower column: the sheet prints legibly
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.alignment = WRAPPED
        ws.column_dimensions[get_column_letter(j)].width = round(width, 1)
    fit_row_heights(ws)
    ws.freeze_panes = "B2"
    if len(frame):
        ws.auto_filter.ref = ws.dimensions
    if QUOTE_FLAG in cols:  # flagged rows stand out on screen and on paper
        flag_col, quote_col = cols.index(QUOTE_FLAG) + 1, cols.index("quote") + 1
        for r in range(2, ws.max_row + 1):
            if ws.cell(row=r, column=flag_col).value:
                for c in (flag_col, quote_col):
                    ws.cell(row=r, column=c).fill = PatternFill("solid", fgColor=FLAG_FILL)
    print_setup(ws, repeat_header=True, columns=n)


def _print_widths(widths: list[float], floors: list[float], budget: float) -> list[float]:
    """Column widths whose sum is at most `budget`: each column above its floor gives up width in
    proportion to what it has above it (text then wraps); unchanged when they already fit."""
    excess = sum(widths) - budget
    spare = sum(w - f for w, f in zip(widths, floors, strict=True) if w > f)
    if excess <= 0 or spare <= 0:
        return list(widths)
    cut = min(1.0, excess / spare)
    return [w - cut * (w - f) if w > f else w for w, f in zip(widths, floors, strict=True)]


def fit_row_heights(ws, min_row: int = 1) -> None:
    """Row heights that show every line of wrapped cells (spreadsheets do not recompute them
    for a file written by openpyxl, so wrapped text would be cut on screen and on paper)."""
    import math

    from openpyxl.utils import get_column_letter

    widths = {
        j: ws.column_dimensions[get_column_letter(j)].width or 8
        for j in range(1, ws.max_column + 1)
    }
    for row in ws.iter_rows(min_row=min_row):
        lines = 1
        for cell in row:
            if not (cell.alignment and cell.alignment.wrap_text) or cell.value is None:
                continue
            room = max(1.0, (widths[cell.column] - 1) * PROSE_CHARS_PER_UNIT)
            text = str(cell.value)
            lines = max(lines, sum(math.ceil(max(1, _width(x)) / room) for x in text.split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = LINE_PT * lines


def print_setup(ws, repeat_header: bool = True, one_page: bool = False, columns=None) -> None:
    """A4 landscape, fitted to the page width (or onto one page), header row repeated on every
    page, sheet name and page number in the footer; `columns`: only the first so many print."""
    from openpyxl.utils import get_column_letter

    if columns and columns < ws.max_column:
        ws.print_area = f"A1:{get_column_letter(columns)}{ws.max_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages down as needed
    m = PRINT_MARGIN_IN
    ws.page_margins.left = ws.page_margins.right = m
    ws.page_margins.top = ws.page_margins.bottom = m + 0.2
    ws.page_margins.header = ws.page_margins.footer = 0.2
    ws.oddFooter.left.text = "&A"  # sheet name
    ws.oddFooter.right.text = "&P / &N"
    ws.print_options.gridLines = True
    if repeat_header:
        ws.print_title_rows = "1:1"


def _drop(frame, *cols):
    """frame without the given columns (those present)."""
    return frame.drop(columns=[c for c in cols if c in frame.columns])


def _quantile_name(c) -> str:
    """Header of a quantile column: 'projection p2.5' for 0.025."""
    return f"projection p{float(c) * 100:g}"


def _is_quantile(c) -> bool:
    """Whether a column name is a quantile level (a float in (0, 1))."""
    try:
        return 0 < float(c) < 1
    except (TypeError, ValueError):
        return False


def _printed_first(frame, sheet: str):
    """`frame` with the columns that print on `sheet` (PRINTED) first, in their order."""
    first = [c for c in PRINTED.get(sheet, []) if c in frame.columns]
    return frame[first + [c for c in frame.columns if c not in first]]


def _words(frame):
    """A copy of `frame` with its code columns (WORD_COLUMNS, also with a "(condition)" after
    the name) in words, Chinese · English."""
    from dgm.present.tables import words

    out = frame.copy()
    for c in out.columns:
        base = str(c).split(" (", 1)[0]  # "status (baseline 2014)": a status too
        if base in WORD_COLUMNS:
            table = words(base, "both")
            out[c] = out[c].map(lambda v, t=table: t.get(v, v) if isinstance(v, str) else v)
    return out


def robustness_columns(rob) -> dict:
    """A verdict's robustness record (dgm.engine.assess) as readable columns: the status under each other
    baseline, ESCAP half-life (and without the latest figure, when recorded) in words, whether it
    is fragile and why. Column names are "status (condition)", the condition in zh and en."""
    from dgm.lang import pick

    out = {}
    for key, value in (rob or {}).items():
        if key in ("fragile", "reasons"):
            continue
        for k, status in value.items() if isinstance(value, dict) else [(None, value)]:
            zh, en = ROBUSTNESS.get(key, (key, key))
            if k is not None:
                zh_k, en_k = ROBUSTNESS.get(str(k), (str(k), str(k)))
                zh, en = zh.format(k=zh_k), en.format(k=en_k)
            out[f"status ({pick(zh, en, 'both', ' · ')})"] = status
    out["fragile"] = bool((rob or {}).get("fragile"))
    out["reasons"] = "; ".join((rob or {}).get("reasons") or [])
    return out


def _scorecards(scorecard, targets):
    """(scorecard sheet, details sheet): per goal, the reader's columns (label, status, latest
    figure, rates, P(goal met), basis, fragile, reading) and every field of the record, its
    robustness as columns; codes in words."""
    import pandas as pd

    from dgm.lang import pick
    from dgm.present.readings import basis, reading_body
    from dgm.words import TEXT

    if scorecard is None:
        rows = []
    elif hasattr(scorecard, "to_dict"):  # a DataFrame of records: NaN back to None
        rows = [{k: plain(v) for k, v in r.items()} for r in scorecard.to_dict("records")]
    else:
        rows = [dict(r) for r in scorecard]
    labels = {}
    if targets is not None and len(targets):
        labels = targets.set_index("id")[["label_zh", "label_en", "unit"]].to_dict("index")
    details = []
    for r in rows:
        goal = labels.get(r.get("target_id"), {})
        rob = robustness_columns(r.pop("robustness", None))
        row = {"target_id": r.get("target_id"), "label_zh": goal.get("label_zh")}
        row |= {"label_en": goal.get("label_en")} | r | rob
        row.setdefault("unit", goal.get("unit"))
        row["label"] = "\n".join(x for x in (goal.get("label_zh"), goal.get("label_en")) if x)
        row["reading"] = reading_body(row, "both") if row.get("status") else None
        row["fragile"] = pick(*TEXT["yes" if row["fragile"] else "no"], "both", " · ")
        details.append(row)
    frame = pd.DataFrame(details)
    if frame.empty:
        return frame, frame
    reader = [c for c in PRINTED["scorecard"] if c in frame]
    score = frame[reader].copy()
    if "basis" in score:  # a reader sees no basis without a figure or a verdict
        score["basis"] = [basis(r) for r in details]
    score = _words(score)
    rest = [c for c in frame.columns if c not in ("label", "reading")]
    return score, _printed_first(_words(frame[rest]), "scorecard_details")


def workbook_tables(*, scorecard, targets, observations, sources, forecasts, backtests) -> dict:
    """The workbook's sheets as DataFrames (pure): name → (frame, formats, row_formats)."""
    import pandas as pd

    units = {}
    if targets is not None and len(targets):
        units = dict(zip(targets["id"].astype(str), targets["unit"].astype(str), strict=False))

    score, details = _scorecards(scorecard, targets)
    score_fmt = {c: RATE_FORMAT for c in ("required_rate", "observed_rate")}
    score_fmt.update(
        p_attain=PROB_FORMAT,
        rate_ratio="0.00",
        escap_gap="0.00",
        unsd_q="0.00",
        latest_year="0",
        crossing_year_median="0",
        target_year="0",
        baseline_year="0",
        basis_year="0",
        first_year="0",
        last_year="0",
    )

    def unit_fmt(col, key):
        return lambda rec: {col: NUMBER_FORMATS.get(str(rec.get(key)), "#,##0.####")}

    goals = _words(_drop(targets, "file")) if targets is not None else pd.DataFrame()

    src = _drop(sources, "file") if sources is not None else pd.DataFrame()
    obs = _drop(observations, "file").copy() if observations is not None else pd.DataFrame()
    if "quote" in obs:
        flags = obs["quote"].map(lambda q: FLATTENED_FLAG if flattened_quote(q) else None)
        obs.insert(obs.columns.get_loc("quote") + 1, QUOTE_FLAG, flags)
    if "source_id" in obs and len(src):
        meta = src.set_index("source_id")[["title", "publisher", "url"]].rename(
            columns={"title": "source_title", "publisher": "source_publisher", "url": "source_url"}
        )
        obs = obs.join(meta, on="source_id")
    if "indicator" in obs:
        from dgm.present.tables import names

        obs.insert(0, "indicator_label", obs["indicator"].map(names("indicator", "both")))
    obs = _words(obs)

    fc = pd.DataFrame(forecasts).copy() if forecasts is not None else pd.DataFrame()
    if len(fc):
        qcols = [c for c in fc.columns if _is_quantile(c)]
        fc = fc.rename(columns={c: _quantile_name(c) for c in qcols})
        if "target_id" in fc:
            fc.insert(
                fc.columns.get_loc("target_id") + 1, "unit", fc["target_id"].astype(str).map(units)
            )
        fc.insert(0, "series", PROJECTION)
        front = [c for c in ("series", "target_id", "indicator", "unit", "year") if c in fc]
        fc = fc[front + [c for c in fc.columns if c not in front]]
    qnames = [c for c in fc.columns if str(c).startswith("projection p")]

    def fc_fmt(rec):
        f = NUMBER_FORMATS.get(str(rec.get("unit")), "#,##0.00")
        return dict.fromkeys(qnames, f)

    bt = pd.DataFrame(backtests).copy() if backtests is not None else pd.DataFrame()
    if "coverage80_by_h" in bt:  # {horizon: share} -> one column per horizon
        by_h = pd.DataFrame([d or {} for d in bt.pop("coverage80_by_h")], index=bt.index)
        bt = bt.join(by_h.rename(columns=lambda h: f"coverage80 (h={h})"))
    bt = _words(bt)
    bt_fmt = {
        "mase": "0.00",
        "smape": "0.00",
        "crps": "0.00",
        "coverage80": PROB_FORMAT,
        "coverage95": PROB_FORMAT,
        "n_forecasts": "0",
    } | {c: PROB_FORMAT for c in bt.columns if str(c).startswith("coverage80 (h=")}
    return {
        "scorecard": (score, score_fmt, unit_fmt("latest_value", "unit")),
        "scorecard_details": (details, score_fmt, unit_fmt("latest_value", "unit")),
        "goals": (
            _printed_first(goals, "goals"),
            {"target_year": "0", "baseline_year": "0"},
            lambda rec: {
                k: NUMBER_FORMATS.get(str(rec.get("unit")), "General")
                for k in ("target_value", "baseline_value")
            },
        ),
        "observations": (
            _printed_first(obs, "observations"),
            {"year": "0"},
            unit_fmt("value", "unit"),
        ),
        "sources": (_printed_first(src, "sources"), {}, None),
        "forecasts": (_printed_first(fc, "forecasts"), {"year": "0"}, fc_fmt),
        "backtests": (bt, bt_fmt, None),
    }


def write_workbook(path, *, scorecard, targets, observations, sources, forecasts, backtests):
    """Write the report workbook (README, scorecard, scorecard_details, goals, observations,
    sources, forecasts, backtests) to ``path`` via a temporary file and a rename; returns the
    path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    path = Path(path)
    tables = workbook_tables(
        scorecard=scorecard,
        targets=targets,
        observations=observations,
        sources=sources,
        forecasts=forecasts,
        backtests=backtests,
    )
    from dgm.zh import simplified, simplify_columns

    wb = Workbook()
    _default_font(wb)
    ws = wb.active
    ws.title = "README"
    for row in README_ROWS:
        ws.append([simplified(x) for x in row])
    for row in ws.iter_rows():
        for cell in row:
            cell.font = _font(bold=cell.row == 4)
    ws["A1"].font = _font(bold=True, size=13)
    ws["A2"].font = _font(bold=True, size=12)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    fit_row_heights(ws, min_row=5)
    print_setup(ws, repeat_header=False, one_page=True)
    for name, (frame, formats, row_formats) in tables.items():
        # Simplified characters in every cell but the verbatim ones (dgm.zh.VERBATIM).
        _write_sheet(wb, name, simplify_columns(frame), formats, row_formats)
    wb["forecasts"].sheet_properties.tabColor = "E69F00"  # projections stand out
    write_file(path, lambda tmp: _fix_dates(tmp, wb.save))
    return path


def _fix_dates(dest, save) -> None:
    """save(dest), then rewrite the .xlsx with WORKBOOK_DATE as document dates and entry times."""
    import datetime as dt
    import io
    import zipfile

    buffer = io.BytesIO()
    save(buffer)
    stamp = dt.datetime(*WORKBOOK_DATE).strftime("%Y-%m-%dT%H:%M:%SZ")
    date = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = date.sub(rb"\g<1>" + stamp.encode() + rb"\g<3>", data)
            out.writestr(zipfile.ZipInfo(info.filename, WORKBOOK_DATE), data, zipfile.ZIP_DEFLATED)
