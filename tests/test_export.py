"""dgm.present.export: figures in three formats with safe names and a clean TrueType PDF; the workbook."""

import re
import shutil
import subprocess

import pytest

from dgm.present import export
from dgm.present.fonts import POSTSCRIPT_NAME

SAFE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("01 output path", "01-output-path"),
        ("Gross output: 2 trillion?", "gross-output-2-trillion"),
        ('a/b\\c:d*e?f"g<h>i|j', "a-b-c-d-e-f-g-h-i-j"),
        ("Café résumé", "cafe-resume"),
        ("CON", "con_"),
        ("nul.txt", "nul.txt_"),
    ],
)
def test_safe_name_known_answers(name, expected):
    assert export.safe_name(name) == expected


@pytest.mark.parametrize(
    "name", ["工業總產值", "工業總產值 2025", "", "../../etc/passwd", "x" * 500, "…"]
)
def test_safe_name_is_safe_everywhere(name):
    stem = export.safe_name(name)
    assert SAFE.match(stem) and len(stem) <= export.MAX_STEM and stem.isascii()
    assert ".." not in stem and "/" not in stem


def test_different_chinese_names_do_not_collide():
    assert export.safe_name("工业总产值") != export.safe_name("先进制造业")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dgm.present.style import house_style

    with house_style():
        fig, ax = plt.subplots(figsize=(4, 2.5))
        ax.plot([2014, 2020, 2025], [-1.5, 3.2, 10])
        ax.set_title("工業總產值 · Gross industrial output")
        ax.set_ylabel("亿元（100 million yuan）")
    out = tmp_path_factory.mktemp("figs")
    files = export.save(fig, "工業總產值: path/to goal?", out)
    plt.close(fig)
    return out, files


def test_saving_twice_gives_identical_files(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dgm.present.style import house_style

    with house_style():
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([2014, 2025], [1.0, 2.0])
        ax.set_title("工業總產值")
    first = export.save(fig, "twice", tmp_path / "a")
    second = export.save(fig, "twice", tmp_path / "b")
    plt.close(fig)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    pdf, svg = (next(p for p in first if p.suffix == f".{x}") for x in ("pdf", "svg"))
    assert b"/CreationDate" not in pdf.read_bytes()  # no clock in the files
    assert "<dc:date>" not in svg.read_text(encoding="utf-8")


def test_save_writes_three_formats_with_a_safe_name(saved):
    out, files = saved
    assert [p.suffix for p in files] == [".png", ".svg", ".pdf"]
    assert all(p.parent == out and p.is_file() and p.stat().st_size > 0 for p in files)
    assert len({p.stem for p in files}) == 1 and SAFE.match(files[0].stem)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in files)  # no temp left


def test_png_is_300_dpi(saved):
    from PIL import Image

    with Image.open(saved[1][0]) as im:
        assert round(im.info["dpi"][0]) == 300


def test_svg_has_no_font_dependency(saved):
    svg = saved[1][1].read_text(encoding="utf-8")
    assert "<text" not in svg  # text drawn as paths: no reader needs the font


def test_pdf_embeds_no_type3_font(saved):
    pdf = saved[1][2].read_bytes()
    assert b"/Type3" not in pdf
    assert b"/CIDFontType2" in pdf and POSTSCRIPT_NAME.encode() in pdf
    assert b"/FontFile2" in pdf  # TrueType program embedded


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_shows_embedded_truetype(saved):
    pdf = saved[1][2]
    res = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert res.stderr == ""
    rows = res.stdout.splitlines()[2:]
    cjk = [r for r in rows if POSTSCRIPT_NAME in r]
    assert cjk, res.stdout
    for row in rows:
        assert "Type 3" not in row, row
        assert re.search(r"TrueType\s.*\byes\s+yes\b", row), row  # type TrueType, emb yes, sub yes


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdftoppm_renders_without_warnings(saved, tmp_path):
    pdf = saved[1][2]
    res = subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0 and res.stderr == "", res.stderr
    assert list(tmp_path.glob("page*.png"))


# --- workbook ------------------------------------------------------------------------------

QS = [0.025, 0.1, 0.5, 0.9, 0.975]


@pytest.fixture(scope="module")
def book_inputs():
    import pandas as pd

    targets = pd.DataFrame(
        {
            "id": ["industrial_output_2025", "advanced_mfg_share_2025"],
            "label_zh": ["工業總產值達到2萬億元", "先進制造業占比超過60%"],
            "label_en": [
                "Gross industrial output reaches 2 trillion yuan",
                "Advanced mfg above 60 %",
            ],
            "indicator": ["industrial_output_all", "advanced_mfg_share"],
            "unit": ["亿元", "%"],
            "comparison": [">=", ">"],
            "target_value": [20000.0, 60.0],
            "target_year": [2025, 2025],
            "baseline_year": [2014, None],
            "baseline_value": [10000.0, None],
            "kind": ["level", "share"],
            "clause": ["二——規模結構領先"] * 2,
            "quote": ["工業總產值翻一番,實現由1萬億向2萬億跨越", "先進制造業…比重超過60%"],
            "note": ["", "=not a formula"],
            "file": ["targets.csv"] * 2,
        }
    )
    observations = pd.DataFrame(
        {
            "indicator": ["industrial_output_all", "advanced_mfg_share", "advanced_mfg_share"],
            "year": [2024, 2021, 2022],
            "value": [25000.0, 50.9, -4.2],
            "as_written": ["2.5万亿元", "50.9%", "4.2%"],
            "unit": ["亿元", "%", "%"],
            "kind": ["lower_bound", "exact", "estimate"],
            "scope": ["all industry"] * 3,
            "price_basis": ["current", "", ""],
            "vintage": ["2025-04-14", "2022-01", "2023"],
            "source_id": ["dg-plan-report-2025", "dg-bulletin-2021", "dg-bulletin-2021"],
            "quote": ["突破2.5万亿元", "50.9%", "下降4.2%"],
            "reliability": ["A", "B", "C"],
            "note": ["", "", ""],
            "file": ["observations.csv"] * 3,
        }
    )
    sources = pd.DataFrame(
        {
            "source_id": ["dg-plan-report-2025", "dg-bulletin-2021"],
            "title": [
                "关于东莞市2024年计划执行情况的报告",
                "2021年东莞市国民经济和社会发展统计公报",
            ],
            "publisher": ["东莞市发展和改革局", "东莞市统计局"],
            "published": ["2025-02", "2022-03-30"],
            "url": ["https://www.dg.gov.cn/a", "https://tjj.dg.gov.cn/b"],
            "accessed": ["2026-11-28"] * 2,
        }
    )
    scorecard = [
        {
            "target_id": "industrial_output_2025",
            "indicator": "industrial_output_all",
            "status": "met",
            "latest_year": 2025,
            "latest_value": 26000.0,
            "latest_kind": "lower_bound",
            "required_rate": None,
            "observed_rate": None,
            "rate_ratio": None,
            "escap_gap": None,
            "unsd_q": None,
            "p_attain": 1.0,
            "crossing_year_median": None,
            "unit": "亿元",
            "models": ["log_linear", "theta"],
            "notes": ["2025 has only a published lower bound"],
        },
        {
            "target_id": "advanced_mfg_share_2025",
            "indicator": "advanced_mfg_share",
            "status": "deterioration",
            "latest_year": 2022,
            "latest_value": 46.0,
            "latest_kind": "exact",
            "required_rate": 0.02244797,
            "observed_rate": -0.00268467,
            "rate_ratio": -0.1196,
            "escap_gap": 0.8758,
            "unsd_q": -0.1053,
            "p_attain": 0.012,
            "crossing_year_median": None,
            "unit": "%",
            "models": [],
            "notes": [],
            "robustness": {
                "baseline": {"2014": "deterioration", "first": "limited_progress"},
                "escap_half_life": {"2": "acceleration_needed", "10": None},
                "fragile": True,
                "reasons": ["the baselines disagree"],
            },
        },
    ]
    fc = pd.DataFrame({q: [40 + 10 * q, 41 + 10 * q] for q in QS})
    fc.insert(0, "year", [2023, 2024])
    fc.insert(0, "indicator", "advanced_mfg_share")
    fc.insert(0, "target_id", "advanced_mfg_share_2025")
    backtests = pd.DataFrame(
        {
            "indicator": ["gdp", "gdp"],
            "method": ["naive_drift", "ensemble"],
            "mase": [1.504587, 1.141114],
            "smape": [7.475666, 5.607559],
            "coverage80": [0.410256, 0.589744],
            "coverage95": [0.538462, 0.871795],
            "n_forecasts": [39, 39],
        }
    )
    return dict(
        scorecard=scorecard,
        targets=targets,
        observations=observations,
        sources=sources,
        forecasts=fc,
        backtests=backtests,
    )


@pytest.fixture(scope="module")
def book(book_inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("book") / "dgm.xlsx"
    assert export.write_workbook(out, **book_inputs) == out
    return out


def _rows(ws):
    """(headers, rows as dicts keyed by field name): a header is read back through
    export.column_header (Chinese over English) for the fields the sheet may hold."""
    rows = list(ws.iter_rows(values_only=True))
    fields = {export.column_header(f): f for f in FIELDS} | {
        h: h.split("\n")[-1] for h in rows[0] if "\nprojection p" in str(h)
    }
    head = [fields.get(h, h) for h in rows[0]]
    return head, [dict(zip(head, r, strict=True)) for r in rows[1:]]


FIELDS = [  # every field name a sheet of the test workbook holds
    *"target_id label label_zh label_en status latest_value latest_kind latest_year unit".split(),
    *"required_rate observed_rate rate_ratio escap_gap unsd_q p_attain crossing_year_median".split(),
    *"models notes indicator indicator_label year value kind reliability quote vintage".split(),
    *"source_title source_url source_id series mase clause note id fragile reading".split(),
    *"title url publisher published accessed as_written scope price_basis period".split(),
    *"comparison target_value target_year baseline_year baseline_value proxy reasons".split(),
    *"method smape coverage80 coverage95 n_forecasts basis ex_post quote_check".split(),
]


def test_workbook_sheets_and_no_temp_file(book):
    from openpyxl import load_workbook

    wb = load_workbook(book)
    assert wb.sheetnames == [
        "README",
        "scorecard",
        "scorecard_details",
        "goals",
        "observations",
        "sources",
        "forecasts",
        "backtests",
    ]
    readme = " ".join(str(c.value) for row in wb["README"].iter_rows() for c in row if c.value)
    for name in wb.sheetnames[1:]:
        assert name in readme
    assert [p.name for p in book.parent.iterdir()] == [book.name]


def test_workbook_round_trip_numbers(book, book_inputs):
    import math

    from openpyxl import load_workbook

    wb = load_workbook(book)
    _, obs = _rows(wb["observations"])
    src = book_inputs["observations"]
    assert [r["value"] for r in obs] == src["value"].tolist()
    assert [r["year"] for r in obs] == src["year"].tolist()
    assert obs[0]["source_title"] == "关于东莞市2024年计划执行情况的报告"
    assert obs[0]["source_url"] == "https://www.dg.gov.cn/a"
    assert {"kind", "reliability", "quote", "vintage"} <= set(obs[0])

    _, score = _rows(wb["scorecard"])
    _, details = _rows(wb["scorecard_details"])
    for got, more, want in zip(score, details, book_inputs["scorecard"], strict=True):
        for key in ("latest_value", "required_rate", "observed_rate", "p_attain"):
            w = want[key]
            assert (got[key] is None) if w is None else math.isclose(got[key], w), key
        w = want["rate_ratio"]
        assert (more["rate_ratio"] is None) if w is None else math.isclose(more["rate_ratio"], w)
        assert got["label"].startswith(more["label_zh"]) and got["label"].endswith(more["label_en"])
    assert details[0]["models"] == "log_linear; theta"
    assert [r["status"] for r in score] == ["已达成 · met", "倒退 · deterioration"]  # in words

    head, fc = _rows(wb["forecasts"])
    assert all(r["series"].startswith("projection") for r in fc)
    qheads = [h for h in head if h.startswith("projection p")]
    assert qheads == [
        "projection p2.5",
        "projection p10",
        "projection p50",
        "projection p90",
        "projection p97.5",
    ]
    want = book_inputs["forecasts"]
    for r, (_, w) in zip(fc, want.iterrows(), strict=True):
        assert r["year"] == w["year"] and r["unit"] == "%"
        for q in QS:
            assert r[f"projection p{q * 100:g}"] == w[q]

    _, bt = _rows(wb["backtests"])
    assert [r["mase"] for r in bt] == book_inputs["backtests"]["mase"].tolist()

    _, goals = _rows(wb["goals"])
    # labels in simplified characters, the policy text's quote as written (dgm.zh.VERBATIM)
    assert goals[0]["clause"] == "二——规模结构领先" and goals[0]["quote"].startswith("工業總產值")
    assert goals[1]["note"] == "=not a formula"  # text, not a formula
    assert "file" not in goals[0]


def test_workbook_formatting(book):
    from openpyxl import load_workbook

    wb = load_workbook(book)
    for name in wb.sheetnames[1:]:
        ws = wb[name]
        assert ws.freeze_panes == "B2", name
        assert all(c.font.b for c in ws[1] if c.value), name
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (name, c.coordinate)
        widths = [ws.column_dimensions[k].width for k in ws.column_dimensions]
        assert all(8 <= w <= export.MAX_WIDTH + 2 for w in widths), name
    obs = wb["observations"]
    head = [c.value for c in obs[1]]
    vcol = head.index(export.column_header("value"))
    unit = head.index(export.column_header("unit"))
    fmts = {r[unit].value: r[vcol].number_format for r in obs.iter_rows(min_row=2)}
    assert fmts == {"亿元": "#,##0.00", "%": "0.00"}
    score = wb["scorecard"]
    head = [c.value for c in score[1]]
    col = head.index(export.column_header("required_rate")) + 1
    assert score.cell(row=3, column=col).number_format == "0.00%"


def test_workbook_links_every_url_and_writes_words_not_codes(book):
    """Every URL is a hyperlink; the robustness record is columns, not a dict printout; headers
    are Chinese over English; statuses in words; every cell names the East Asian font."""
    from openpyxl import load_workbook

    from dgm.words import HEADERS

    same = {zh for zh, en in HEADERS.values() if zh == en}  # one word in both (MASE, UNSD Q)
    wb = load_workbook(book)
    urls = links = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                assert not (isinstance(v, str) and v.startswith("{")), (ws.title, c.coordinate, v)
                urls += isinstance(v, str) and v.startswith("https://")
                links += c.hyperlink is not None
                if v is not None:
                    assert c.font.name == export.FONT_NAME, (ws.title, c.coordinate)
                    assert c.font.charset == export.FONT_CHARSET
        if ws.title != "README":
            for h in (c.value for c in ws[1]):
                assert "\n" in h or h in same, (ws.title, h)
    assert urls == links == 5  # two sources, the source URLs of three observations
    head, details = _rows(wb["scorecard_details"])
    assert details[1]["fragile"] == "是 · yes" and details[1]["reasons"] == "the baselines disagree"
    baseline = next(h for h in head if "baseline 2014" in str(h))
    assert details[1][baseline] == "倒退 · deterioration"  # the status had the baseline been 2014
    assert "结论\nStatus (基期为第一个数字 · baseline first figure)" in head
    assert wb._fonts[0].name == export.FONT_NAME  # the default font: column widths in its digits


def test_printed_columns_fit_a4_landscape_at_8_pt(book):
    """The columns each sheet prints (its print area) add up to at most PRINT_UNITS, the width
    that fits A4 landscape at MIN_PRINT_PT (measured in LibreOffice by the slow test below)."""
    from openpyxl import load_workbook
    from openpyxl.utils import column_index_from_string, get_column_letter

    for ws in load_workbook(book).worksheets[1:]:
        area = ws.print_area
        last = (
            area.split(":")[-1].strip("$0123456789") if area else get_column_letter(ws.max_column)
        )
        n = column_index_from_string(last.replace("$", ""))
        total = sum(ws.column_dimensions[get_column_letter(j)].width for j in range(1, n + 1))
        assert total <= export.PRINT_UNITS + 0.5, (ws.title, total)


def _pdf_pages(pdf) -> list[tuple[str, float]]:
    """(sheet name from the footer, smallest word height in points above the footer) per page."""
    import re

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True)
    pages = []
    for height, body in re.findall(
        r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out.stdout, re.S
    ):
        words = [
            (float(y0), float(y1), w)
            for y0, y1, w in re.findall(
                r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', body
            )
        ]
        foot = float(height) - 72 * (export.PRINT_MARGIN_IN + 0.2)  # the footer's band
        names = [w for y0, _, w in words if y0 >= foot]
        sizes = [y1 - y0 for y0, y1, _ in words if y0 < foot]
        pages.append((names[0] if names else "", min(sizes, default=float("inf"))))
    return pages


def _convert(xlsx, tmp_path, fmt: str = "pdf"):
    """LibreOffice's conversion of a workbook into tmp_path (pdf: what printing it gives)."""
    res = subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            fmt,
            "--outdir",
            str(tmp_path),
            str(xlsx),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    return tmp_path / f"{xlsx.stem}.{fmt}"


@pytest.mark.slow  # drives LibreOffice, the workbook's real client (as browsers are for HTML)
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler not installed",
)
def test_libreoffice_prints_no_sheet_below_8_pt(tmp_path):
    """The report's workbook printed by LibreOffice: every sheet on its own pages, none smaller
    than MIN_PRINT_PT, measured against a cell of that size printed at 100 % (a word's box height
    depends on the font, so the reference is printed with the workbook's own font)."""
    from openpyxl import Workbook

    from dgm.present.pages import WORKBOOK_FILE
    from dgm.run import workbook

    ref = Workbook()
    export._default_font(ref)
    ref.active["A1"] = "参考 reference 8 pt"
    ref.active["A1"].font = export._font(size=export.MIN_PRINT_PT)
    ref.save(tmp_path / "ref.xlsx")
    (_, smallest), *_ = _pdf_pages(_convert(tmp_path / "ref.xlsx", tmp_path))
    assert workbook.run_workbook(tmp_path, n_paths=500, seed=2015).ok
    pages = _pdf_pages(_convert(tmp_path / WORKBOOK_FILE, tmp_path))
    by_sheet = {}
    for sheet, size in pages:
        by_sheet.setdefault(sheet, []).append(size)
    print(
        {
            s: (len(v), round(min(v) / smallest * export.MIN_PRINT_PT, 1))
            for s, v in by_sheet.items()
        }
    )
    from openpyxl import load_workbook

    assert list(by_sheet) == load_workbook(tmp_path / WORKBOOK_FILE).sheetnames
    assert len(pages) <= 120  # was 31 pages at 2-5 pt; about 75 at 8-10 pt
    for sheet, sizes in by_sheet.items():
        assert min(sizes) >= smallest - 0.05, (sheet, min(sizes), smallest)


@pytest.mark.slow  # drives LibreOffice, the workbook's real client (as browsers are for HTML)
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_workbook_converts_with_libreoffice(book, tmp_path):
    assert _convert(book, tmp_path, "ods").stat().st_size > 0


def test_workbook_reruns_are_byte_identical(book, book_inputs, tmp_path):
    import zipfile

    again = export.write_workbook(tmp_path / "again.xlsx", **book_inputs)
    assert again.read_bytes() == book.read_bytes()
    with zipfile.ZipFile(book) as z:
        assert {i.date_time for i in z.infolist()} == {export.WORKBOOK_DATE}
        core = z.read("docProps/core.xml").decode()
    assert core.count(">2015-01-20T00:00:00Z<") == 2  # created and modified


@pytest.mark.parametrize(
    ("quote", "flagged"),
    [
        ("- Secondary Industry (RMB billion)290.306.21317.25 7.21", True),
        ("Value-added Industrial Output2 (RMB billion)271.11 5.31287.83 7.01", True),
        ("Gross Domestic Product (RMB billion)627.518.01682.778.11", True),
        ("2021年东莞实现地区生产总值(初步核算数)10855.35亿元,比上年增长8.2%。", False),
        ("• Total | ¥ 501.014 billion (2012) |", False),
        ("印发日期 2015.1.20", False),
        (None, False),
    ],
)
def test_flattened_quote(quote, flagged):
    assert export.flattened_quote(quote) is flagged


def test_flattened_quotes_flagged_in_the_workbook(tmp_path):
    """The real quotes are clean (the HKTDC table rows were re-separated at the source row); a
    flattened one, as those rows once read, gets a visible flag and a shaded quote."""
    from openpyxl import load_workbook

    import dgm

    obs = dgm.load_observations()
    assert not any(export.flattened_quote(q) for q in obs["quote"])
    garbled = "- Secondary Industry (RMB billion)290.306.21317.25 7.21"
    obs.loc[obs.index[0], "quote"] = garbled
    path = export.write_workbook(
        tmp_path / "w.xlsx",
        scorecard=None,
        targets=dgm.load_targets(),
        observations=obs,
        sources=dgm.load_sources(),
        forecasts=None,
        backtests=None,
    )
    ws = load_workbook(path)["observations"]
    head = [c.value for c in ws[1]]
    flag = head.index(export.column_header(export.QUOTE_FLAG))
    quote = head.index(export.column_header("quote"))
    assert flag == quote + 1
    flagged = {r[0].row: r[quote].value for r in ws.iter_rows(min_row=2) if r[flag].value}
    assert list(flagged.values()) == [garbled]
    row = next(iter(flagged))
    assert ws.cell(row=row, column=quote + 1).fill.fgColor.rgb.endswith(export.FLAG_FILL)


def test_workbook_prints_landscape_fitted_to_width_with_header_rows(book):
    from openpyxl import load_workbook

    wb = load_workbook(book)
    readme = wb["README"]
    assert readme.page_setup.fitToHeight == 1 and readme.page_setup.fitToWidth == 1
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        if ws.title != "README":
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
            assert ws.print_title_rows == "$1:$1", ws.title
            assert all(
                ws.column_dimensions[k].width <= export.MAX_WIDTH for k in ws.column_dimensions
            )
