"""Figures and tables out: `save` (figure → PNG 300 dpi, SVG, PDF), `write_workbook` (→ .xlsx)."""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
from pathlib import Path

from dgm import paths
from dgm.atomic import write_file
from dgm.jsonsafe import plain

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

    from dgm.style import house_style

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
    from dgm.style import house_style

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
LINE_PT = 15  # row height per line of 11-point text, in points
PROSE_CHARS_PER_UNIT = 1.15  # prose fits more characters than the width unit (a digit's width)
PRINT_MARGIN_IN = 0.4  # page margins in inches (header and footer sit in them)
QUOTE_FLAG = "quote_check"  # observations column that flags quotes to re-read at the source
FLATTENED_FLAG = (
    "flattened table row: the numbers ran together when the source table was copied; "
    "read the figure in the source / 表格行被压平，数字粘连：请核对原文"
)
FLAG_FILL = "FCE4C4"
# A number with two or more decimal points (290.306.21317.25): table cells run together.
# Dates written 2015.1.20 are not flagged.
_RUN_TOGETHER = re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}(?![\d.])")
_DATE = re.compile(r"(19|20)\d\d\.\d{1,2}\.\d{1,2}")
PROJECTION = "projection (model simulation, not an official figure) / 预测（模型模拟，非官方数据）"
HEADER_FILL = "DDE6F0"

README_ROWS = [
    ("dgm: Dongguan Manufacturing 2025 (東府〔2015〕1號) — goals, sourced data, projections", ""),
    ("东莞制造2025：目标、有出处的数据、预测与评估", ""),
    ("", ""),
    ("Sheet / 工作表", "What it holds / 内容"),
    (
        "scorecard",
        "One row per goal: status, latest figure, required vs observed compound yearly "
        "rate (as % a year), ESCAP gap, UNSD Q, P(goal met) from simulated paths, median crossing "
        "year. 每个目标一行：评估结论、最新值、所需与实际年均变化率、达成概率。",
    ),
    (
        "goals",
        "The goal registry: each goal with its policy clause and the verbatim quote of the "
        "policy text. 目标登记表：条款与政策原文引文。",
    ),
    (
        "observations",
        "Every published figure, one per row, with its kind (exact, approx, "
        "estimate, lower_bound, upper_bound, plan_target), reliability (A official, B official "
        "reposted, C news, D secondary), vintage, verbatim quote and source (title, publisher, "
        "URL). quote_check flags (and shades) quotes that are flattened table rows, whose "
        "numbers ran together when copied: read those figures in the source. "
        "每个已公布数字一行：类型、可靠性、出处（标题、发布者、网址）及原文引文；"
        "quote_check 标出表格行被压平、数字粘连的引文，请核对原文。",
    ),
    ("sources", "The documents behind the observations. 资料来源文件。"),
    (
        "forecasts",
        "PROJECTIONS, not data: quantiles of the simulated ensemble by goal and year; "
        "every row and every quantile header says projection. 预测（非官方数据）：按目标和年份的"
        "模拟分位数。",
    ),
    (
        "backtests",
        "Out-of-sample accuracy of each forecasting method per indicator: MASE (naive = "
        "1), sMAPE (%), share of outcomes inside the 80 % and 95 % intervals, number of forecasts. "
        "回测：各方法的预测误差与区间覆盖率。",
    ),
    ("", ""),
    (
        "Units / 单位",
        "Money in 亿元 (100 million yuan); percentages in percent (3.54 = 3.54 %); "
        "rates in the scorecard as fractions shown with a % format. 金额单位亿元；百分比以百分数计。",
    ),
    (
        "Formulas / 公式",
        "None: every cell is a value, so the workbook reads the same in any locale. "
        "本工作簿不含公式。",
    ),
]


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


def _write_sheet(wb, title: str, frame, formats: dict | None = None, row_formats=None) -> None:
    """One sheet from a DataFrame: bold frozen header, filters, widths, number formats, no formulas.

    ``formats``: column → number format; ``row_formats``: callable(row dict) → {column: format}
    for formats that depend on the row (the unit of an observation).
    """
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    TOP = Alignment(vertical="top")  # noqa: N806 - one shared style object for every data cell
    cols = [str(c) for c in frame.columns]
    ws.append(cols)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    widths = [min(_width(c), HEADER_WIDTH) for c in cols]  # longer headers wrap
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
            fmt = per_row.get(c) or formats.get(c)
            if fmt and isinstance(v, int | float) and not isinstance(v, bool):
                cell.number_format = fmt
            widths[j - 1] = max(widths[j - 1], _width(v))
    for j, w in enumerate(widths, start=1):
        width = min(MAX_WIDTH, max(8, w + 2))
        if w > WRAP_WIDTH:  # long text wraps in a narrower column: the sheet prints legibly
            width = WRAP_WIDTH
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = width
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
    print_setup(ws, repeat_header=True)


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


def print_setup(ws, repeat_header: bool = True, one_page: bool = False) -> None:
    """A4 landscape, fitted to the page width (or onto one page), header row repeated on every
    page, sheet name and page number in the footer."""
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


def workbook_tables(*, scorecard, targets, observations, sources, forecasts, backtests) -> dict:
    """The workbook's sheets as DataFrames (pure): name → (frame, formats, row_formats)."""
    import pandas as pd

    units = {}
    if targets is not None and len(targets):
        units = dict(zip(targets["id"].astype(str), targets["unit"].astype(str), strict=False))

    score = pd.DataFrame(scorecard).copy() if scorecard is not None else pd.DataFrame()
    if "target_id" in score and targets is not None and len(targets):
        labels = targets.set_index("id")[["label_zh", "label_en"]]
        score = score.join(labels, on="target_id")
        front = ["target_id", "label_zh", "label_en"]
        score = score[front + [c for c in score.columns if c not in front]]
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
    )

    def unit_fmt(col, key):
        return lambda rec: {col: NUMBER_FORMATS.get(str(rec.get(key)), "#,##0.####")}

    goals = _drop(targets, "file") if targets is not None else pd.DataFrame()

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
        bt = bt.join(by_h.add_prefix("coverage80_h"))
    bt_fmt = {
        "mase": "0.00",
        "smape": "0.00",
        "crps": "0.00",
        "coverage80": PROB_FORMAT,
        "coverage95": PROB_FORMAT,
        "n_forecasts": "0",
    } | {c: PROB_FORMAT for c in bt.columns if str(c).startswith("coverage80_h")}
    return {
        "scorecard": (score, score_fmt, unit_fmt("latest_value", "unit")),
        "goals": (
            goals,
            {"target_year": "0", "baseline_year": "0"},
            lambda rec: {
                k: NUMBER_FORMATS.get(str(rec.get("unit")), "General")
                for k in ("target_value", "baseline_value")
            },
        ),
        "observations": (obs, {"year": "0"}, unit_fmt("value", "unit")),
        "sources": (src, {}, None),
        "forecasts": (fc, {"year": "0"}, fc_fmt),
        "backtests": (bt, bt_fmt, None),
    }


def write_workbook(path, *, scorecard, targets, observations, sources, forecasts, backtests):
    """Write the report workbook (README, scorecard, goals, observations, sources, forecasts,
    backtests) to ``path`` via a temporary file and a rename; returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

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
    ws = wb.active
    ws.title = "README"
    for row in README_ROWS:
        ws.append([simplified(x) for x in row])
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"].font = Font(bold=True, size=12)
    for cell in ws[4]:
        cell.font = Font(bold=True)
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
