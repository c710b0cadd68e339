"""dgm.export: figures in three formats with safe names and a clean TrueType PDF; the workbook."""

import re
import shutil
import subprocess

import pytest

from dgm import export
from dgm.fonts import POSTSCRIPT_NAME

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

    from dgm.style import house_style

    with house_style():
        fig, ax = plt.subplots(figsize=(4, 2.5))
        ax.plot([2014, 2020, 2025], [-1.5, 3.2, 10])
        ax.set_title("工業總產值 · Gross industrial output")
        ax.set_ylabel("亿元（100 million yuan）")
    out = tmp_path_factory.mktemp("figs")
    files = export.save(fig, "工業總產值: path/to goal?", out)
    plt.close(fig)
    return out, files


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
