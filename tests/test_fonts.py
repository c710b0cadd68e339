"""The CJK font: converted once to TrueType, covers every registry/catalogue text, no warnings."""

import os
import subprocess
import sys
import warnings
from pathlib import Path

import platformdirs
import pytest

from dgm import paths
from dgm.present import fonts


@pytest.fixture(scope="module")
def ttf():
    """The converted font (converts on first use: ~20 s on a fresh machine)."""
    from fontTools.ttLib import TTFont

    path = fonts.cjk_font_path()
    with TTFont(str(path)) as font:
        yield path, font


MODULES = "dgm, dgm.present.fonts, dgm.present.style, dgm.present.export, dgm.present.charts"


def test_import_loads_no_matplotlib():
    code = f"import sys, {MODULES}\nassert 'matplotlib' not in sys.modules\n"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_sets_no_rcparams():
    code = (
        "import matplotlib as mpl\nbefore = dict(mpl.rcParams)\n"
        f"import {MODULES}\nassert dict(mpl.rcParams) == before\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_source_is_the_ofl_noto_font_from_mplfonts():
    from fontTools.ttLib import TTFont

    src = fonts.source_font()
    assert "mplfonts" in src.parts and src.name == "NotoSansCJKsc-Regular.otf"
    with TTFont(str(src), lazy=True) as font:
        assert "CFF " in font  # why the conversion exists
        assert "SIL Open Font License" in font["name"].getDebugName(13)


def test_converted_font_is_truetype_and_renamed(ttf):
    path, font = ttf
    assert path.parent == paths.USER_CACHE / "fonts" and path.suffix == ".ttf"
    assert "glyf" in font and "CFF " not in font
    assert font.sfntVersion == "\x00\x01\x00\x00"
    assert font["name"].getDebugName(1) == fonts.FAMILY
    assert font["name"].getDebugName(6) == fonts.POSTSCRIPT_NAME


@pytest.mark.parametrize(
    "label, chars",
    [
        ("GB2312 symbols + 3755 level-1 hanzi", sorted(fonts.gb2312_chars())),
        ("printable ASCII", range(0x20, 0x7F)),
        ("report punctuation", [ord(c) for c in "−–—‘’“”…‰±≥≤≈×÷℃·、。，：；（）《》〔〕「」％"]),
    ],
)
def test_coverage(ttf, label, chars):
    _, font = ttf
    cmap = font.getBestCmap()
    missing = [chr(c) for c in chars if c not in cmap]
    assert not missing, f"{label}: {len(missing)} missing, e.g. {''.join(missing[:20])}"


def test_font_is_subset_to_what_the_report_can_draw(ttf):
    _, font = ttf
    cmap = font.getBestCmap()
    kept = fonts.kept_codepoints()
    assert set(cmap) <= kept
    assert 6_000 < len(cmap) < 12_000  # not the 65k-glyph source, not an empty subset
    rare = [cp for cp in fonts.gb2312_chars(range(0xD8, 0xF8)) if cp not in kept]
    assert rare and not any(cp in cmap for cp in rare)  # level-2 hanzi the report never uses


def test_cache_lives_outside_the_work_tree_and_follows_dgm_cache(tmp_path):
    code = "from dgm import paths; print(paths.USER_CACHE)"
    env = {**os.environ, "DGM_CACHE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == str(tmp_path)
    env.pop("DGM_CACHE")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == platformdirs.user_cache_dir("dgm")
    assert not Path(out.stdout.strip()).is_relative_to(paths.ROOT)


def test_a_new_character_in_the_data_gives_a_new_cache_file():
    kept = fonts.kept_codepoints()
    assert fonts.cached_font_path(codepoints=kept) == fonts.cached_font_path()
    assert fonts.cached_font_path(codepoints=kept | {0x9F98}) != fonts.cached_font_path()


def test_every_chart_label_and_translation_has_glyphs():
    from dgm import zh
    from dgm.present import charts

    tables = (charts.STATUS, charts.COVERAGE, charts.METHODS, charts.DEPARTMENTS_EN)
    texts = [str(v) for t in tables for k, row in t.items() for v in (k, *row) if v]
    texts.append(fonts.report_text())  # data/raw, dgm's strings, notebooks, in both scripts
    text = "".join(texts)
    missing = fonts.missing_glyphs(text + zh.simplified(text))
    assert not missing, f"characters no font can draw: {''.join(missing)}"


def test_every_registry_and_catalogue_text_has_glyphs():
    import dgm
    from dgm import zh

    texts = []
    for frame in (
        dgm.load_targets(),
        dgm.load_indicators(),
        dgm.load_measures(),
        dgm.load_sources(),
    ):
        for col in frame.columns:
            if frame[col].dtype == object or str(frame[col].dtype).startswith("str"):
                texts += [str(v) for v in frame[col].dropna()]
    text = "".join(texts)
    missing = fonts.missing_glyphs(text + zh.simplified(text))
    assert not missing, f"characters no font can draw: {''.join(missing)}"


def test_minus_sign_and_cjk_render_without_warnings():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from dgm.present.style import house_style

    with house_style():
        path = font_manager.findfont(fonts.FAMILY, fallback_to_default=False)
        assert path == str(fonts.cjk_font_path())
        assert FT2Font(path).get_char_index(0x2212) != 0  # U+2212 MINUS SIGN has a glyph
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig, ax = plt.subplots()
            ax.plot([-3, -1, 2], [-4.2, 0, 1.5])
            ax.set_title("工業總產值達到2萬億元 · 规模以上工业增加值 −4.2% ≥ 20000 亿元")
            fig.canvas.draw()
            labels = [t.get_text() for t in ax.get_yticklabels()]
        plt.close(fig)
    assert any("\u2212" in s for s in labels), labels


def test_fonts_are_registered_only_inside_the_style():
    import matplotlib as mpl

    from dgm.present.style import house_style

    before = mpl.rcParams["font.family"]
    with house_style():
        assert mpl.rcParams["font.family"][0] == fonts.FAMILY
        assert mpl.rcParams["pdf.fonttype"] == 42
    assert mpl.rcParams["font.family"] == before


def test_a_damaged_cached_font_is_converted_again_once_saying_so(tmp_path, monkeypatch, capsys):
    """A cached font whose bytes changed on disk (here: its middle overwritten) is found by its
    checksum before matplotlib reads it, converted again with one line, and then used as is."""
    from matplotlib import ft2font

    monkeypatch.setattr(fonts.paths, "USER_CACHE", tmp_path)
    monkeypatch.setattr(fonts, "_KNOWN", {})
    monkeypatch.setattr(fonts, "kept_codepoints", lambda: {ord(c) for c in "东莞制造2025 abc"})
    path = fonts.cjk_font_path()  # a small font: only these characters
    assert "preparing the Chinese chart font" in capsys.readouterr().err
    good = path.read_bytes()
    damaged = bytearray(good)
    damaged[len(good) // 2 : len(good) // 2 + 64] = b"\0" * 64
    path.write_bytes(bytes(damaged))
    fonts._KNOWN.clear()  # a new process
    assert fonts.cjk_font_path() == path
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"dgm: the cached Chinese chart font {path} is damaged (its SHA-256 does not match); "
        "converting it again (~20 s) ..."
    )
    assert err[1].startswith(f"dgm: cached {path} (") and len(err) == 2
    assert path.read_bytes() != bytes(damaged) and fonts.intact(path)
    ft2font.FT2Font(str(path))  # matplotlib reads it
    fonts._KNOWN.clear()
    assert fonts.cjk_font_path() == path and capsys.readouterr().err == ""  # once, not each time
