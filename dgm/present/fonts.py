"""CJK font for charts: mplfonts' Noto Sans CJK SC (CFF) → cached TrueType (glyf) → matplotlib.

matplotlib embeds CFF-based OpenType fonts into PDF in a way poppler flags ("Mismatch between font
type and embedded font file"), so the CFF outlines are converted once to quadratic TrueType outlines
with fontTools (cu2qu) and cached under ``dgm.paths.USER_CACHE / "fonts"`` (outside the work tree,
shared by every clone) keyed by the source checksum and the recipe, character set included.
Before conversion the font is subset to the characters the report can draw (``kept_codepoints``):
Latin, Greek, punctuation, symbols, full-width forms, GB2312's symbols and 3,755 level-1 hanzi,
and every character, with its simplified form, in data/raw, dgm's own sources and the notebooks.
That is about 6,000 glyphs of 65,000, and keeps the one-time conversion near 20 s on two cores.
Nothing here runs at import time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import time
from pathlib import Path

from dgm import paths

SOURCE_PACKAGE = "mplfonts"
SOURCE_FILE = "NotoSansCJKsc-Regular.otf"
# Renamed family so the converted font never collides with an installed CFF Noto Sans CJK SC.
FAMILY = "dgm Noto Sans CJK SC"
POSTSCRIPT_NAME = "dgmNotoSansCJKsc-Regular"
LATIN_FALLBACK = "DejaVu Sans"  # ships inside matplotlib
CONVERTER_VERSION = "3"  # bump when the conversion code changes (settings below are hashed in)
MAX_ERR = 1.0  # cu2qu tolerance in font units (1000 units per em): invisible at any print size

LAYOUT_FEATURES = ["ccmp", "liga", "rlig", "calt", "kern", "mark", "mkmk"]
# Unicode ranges kept whole (inclusive); hanzi are added character by character (kept_codepoints).
KEEP_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A/B (pinyin tone marks)
    (0x02B0, 0x02FF),  # spacing modifier letters
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x2000, 0x206F),  # General Punctuation (– — ‘ ’ “ ” … ‰)
    (0x2070, 0x209F),  # super/subscripts
    (0x20A0, 0x20CF),  # currency
    (0x2100, 0x214F),  # letterlike (℃ №)
    (0x2150, 0x218F),  # number forms (Ⅰ Ⅱ Ⅲ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # math operators (− ≥ ≤ ≈ ±)
    (0x2460, 0x24FF),  # enclosed alphanumerics (①)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (■ ▲ ○)
    (0x2600, 0x26FF),  # misc symbols (★)
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。《》「」〔〕)
    (0x3040, 0x30FF),  # kana (part of GB2312)
    (0x3200, 0x33FF),  # enclosed CJK letters, CJK compatibility (㈠ ㎡)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms (（）：％，)
)


def source_font() -> Path:
    """Path of the CFF Noto Sans CJK SC file shipped in the installed mplfonts package."""
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            f"the {SOURCE_PACKAGE!r} package is not installed; it is a dgm dependency "
            "(pip install -e .)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / SOURCE_FILE
    if not path.is_file():
        raise RuntimeError(f"{SOURCE_FILE} not found in the {SOURCE_PACKAGE} package at {path}")
    return path


def _sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# GB2312 rows (lead bytes): 0xA1-0xA9 symbols, kana, Greek, Cyrillic; 0xB0-0xD7 the 3,755 level-1
# (frequent) hanzi. Level 2 (0xD8-0xF7, 3,008 rare hanzi) is left out; any of them the data uses
# comes in through the texts below.
GB2312_ROWS = (*range(0xA1, 0xAA), *range(0xB0, 0xD8))
TEXT_SUFFIXES = (".csv", ".yml", ".yaml", ".txt", ".md", ".json", ".py", ".ipynb", ".j2", ".html")


def gb2312_chars(rows=GB2312_ROWS) -> set[int]:
    """Code points of the GB2312 ``rows`` (lead bytes; default symbols + level-1 hanzi)."""
    out: set[int] = set()
    for hi in rows:
        for lo in range(0xA1, 0xFF):
            try:
                ch = bytes((hi, lo)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            out.add(ord(ch))
    return out


def report_text_files() -> list[Path]:
    """Text files whose characters the charts can show: data/raw (policy copy included), dgm's
    sources and templates (translation tables, labels), the notebooks."""
    roots = (paths.RAW, paths.PACKAGE, paths.NOTEBOOKS)
    return sorted(
        p
        for root in roots
        if root.is_dir()
        for p in root.rglob("*")
        if p.suffix in TEXT_SUFFIXES and p.is_file()
    )


def _text(path: Path) -> str:
    """A file's text; of a notebook, its cells' sources only (saved outputs would change the
    character set, hence the cache key, whenever someone saves a run notebook)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".ipynb":
        return text
    import json

    cells = json.loads(text).get("cells", [])
    return "".join("".join(c.get("source", "")) for c in cells)


def report_text() -> str:
    """All characters of ``report_text_files``, each file also in simplified characters."""
    from dgm import zh

    texts = [_text(p) for p in report_text_files()]
    return "".join(texts + [zh.simplified(t) for t in texts])


def kept_codepoints() -> set[int]:
    """Code points kept in the converted font (before intersecting with the font's cmap)."""
    keep = gb2312_chars()
    for lo, hi in KEEP_RANGES:
        keep.update(range(lo, hi + 1))
    keep.update(ord(c) for c in set(report_text()) if not c.isspace() or c == " ")
    return keep


def cached_font_path(source: Path | None = None, codepoints: set[int] | None = None) -> Path:
    """Where the converted TrueType font for ``source`` lives (it may not exist yet).

    The name carries the source checksum and a hash of the recipe and character set: new data with
    a character the cached font lacks gives a new file (one more conversion), never a missing glyph.
    """
    source = source or source_font()
    codepoints = kept_codepoints() if codepoints is None else codepoints
    recipe = repr((CONVERTER_VERSION, MAX_ERR, LAYOUT_FEATURES, sorted(codepoints))).encode()
    key = f"{_sha256(source)[:12]}-{hashlib.sha256(recipe).hexdigest()[:6]}"
    return paths.USER_CACHE / "fonts" / f"{POSTSCRIPT_NAME}-{key}.ttf"


def _subset(font, codepoints: set[int]) -> None:
    """Subset ``font`` in place to ``codepoints`` (layout tables kept, CFF hints left: cu2qu ignores
    them, and stripping them costs a third of the subset time)."""
    from fontTools import subset

    options = subset.Options()
    # Only the horizontal features libraqm (matplotlib's shaper) applies by default. "*" or the
    # fontTools default (which has locl) would pull in vertical, alternate and JP/KR/TC glyph forms:
    # 40-48k glyphs instead of 23k, twice the conversion time, for nothing an SC chart draws.
    options.layout_features = LAYOUT_FEATURES
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = True  # the CFF is replaced by hint-free glyf outlines anyway
    options.drop_tables += ["VORG", "DSIG", "BASE", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    cmap = font.getBestCmap()
    subsetter.populate(unicodes=sorted(cp for cp in codepoints if cp in cmap))
    subsetter.subset(font)


def _cff_to_glyf(font, max_err: float = MAX_ERR) -> None:
    """Replace the CFF table of ``font`` by quadratic glyf/loca outlines (fontTools otf2ttf)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    quad = {}
    for name in glyph_order:
        tt_pen = TTGlyphPen(glyph_set)
        # CFF contours run counter-clockwise; TrueType wants clockwise, hence reverse_direction.
        glyph_set[name].draw(Cu2QuPen(tt_pen, max_err, reverse_direction=True))
        quad[name] = tt_pen.glyph()

    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = quad
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    for glyph in quad.values():  # bounds now, for the side bearings; glyf is compiled once, at save
        glyph.recalcBounds(glyf)

    # Left side bearings must equal each glyph's xMin in TrueType.
    hmtx = font["hmtx"]
    for name, glyph in quad.items():
        advance, _ = hmtx.metrics[name]
        hmtx.metrics[name] = (advance, getattr(glyph, "xMin", 0) if glyph.numberOfContours else 0)

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(glyph_order)
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    maxp.recalc(font)  # maxPoints, maxContours, ...

    post = font["post"]
    post.formatType = 3.0  # no glyph names: CID-keyed source has none worth keeping
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font) -> None:
    """Give the converted font its own family and PostScript name (OFL: modified version)."""
    name = font["name"]
    full = f"{FAMILY} Regular"
    for rec in list(name.names):
        if rec.nameID in (1, 16):
            name.setName(FAMILY, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID in (2, 17):
            name.setName("Regular", rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 4:
            name.setName(full, 4, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 6:
            name.setName(POSTSCRIPT_NAME, 6, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 3:
            name.setName(
                f"{POSTSCRIPT_NAME};dgm-ttf-v{CONVERTER_VERSION}",
                3,
                rec.platformID,
                rec.platEncID,
                rec.langID,
            )
    # Localised (zh) family names would let a system lookup find the CFF original: drop them.
    name.names = [
        r
        for r in name.names
        if not (r.nameID in (1, 4, 16) and r.toUnicode() not in (FAMILY, full))
    ]


def convert(
    source: Path, dest: Path, *, subset: bool = True, codepoints: set[int] | None = None
) -> float:
    """Convert ``source`` (CFF OTF) to a TrueType-outline TTF at ``dest``; return seconds taken.

    Written to a temporary file in the destination folder and renamed (dgm.data.atomic), so a crash
    never leaves a half-written font in the cache; its SHA-256 is written beside it (`checksum_path`)
    so a font damaged later is found before matplotlib reads it.
    """
    from fontTools.ttLib import TTFont

    from dgm.data.atomic import write_file, write_text

    t0 = time.perf_counter()
    font = TTFont(str(source))
    if subset:
        _subset(font, kept_codepoints() if codepoints is None else codepoints)
    _cff_to_glyf(font)
    _rename(font)
    write_file(dest, font.save)
    write_text(checksum_path(dest), _sha256(dest) + "\n")
    return time.perf_counter() - t0


def checksum_path(font: Path) -> Path:
    """The file holding the SHA-256 of a converted font (`NAME.ttf.sha256`)."""
    return font.with_name(font.name + ".sha256")


def intact(font: Path) -> bool:
    """Whether the converted font is there and its bytes hash to the SHA-256 written beside it."""
    try:
        expected = checksum_path(font).read_text(encoding="ascii").strip()
        return font.is_file() and not font.is_symlink() and _sha256(font) == expected
    except (OSError, UnicodeDecodeError):
        return False


def cjk_font_path() -> Path:
    """Path of the cached TrueType CJK font, converting it first (and saying so) if there is none.

    A cached font whose checksum does not match (damaged on disk) is converted again, once, with
    a line saying so; one written before checksums is converted again as a new one.
    """
    from dgm.data import locks
    from dgm.data.atomic import own_dir

    source = source_font()
    known = _KNOWN.get(source)
    if known is not None and known.is_file():
        return known  # hashing the 16 MB source and reading the texts once per process is enough
    codepoints = kept_codepoints()
    dest = cached_font_path(source, codepoints)
    if intact(dest):
        _KNOWN[source] = dest
        return dest
    own_dir(dest.parent, "chart font")
    # parallel report jobs convert once, not N times
    with locks.held(dest.with_name(dest.stem + ".lock"), "chart font"):
        if not intact(dest):
            if checksum_path(dest).exists():  # it was whole when written: damaged since
                line = (
                    f"dgm: the cached Chinese chart font {dest} is damaged (its SHA-256 does not "
                    "match); converting it again (~20 s) ..."
                )
            else:
                line = (
                    "dgm: preparing the Chinese chart font (one time, ~20 s): "
                    f"{source.name} → TrueType, {len(codepoints):,} characters ..."
                )
            print(line, file=sys.stderr, flush=True)
            seconds = convert(source, dest, codepoints=codepoints)
            size = dest.stat().st_size / 1e6
            print(f"dgm: cached {dest} ({size:.1f} MB) in {seconds:.0f} s", file=sys.stderr)
    _KNOWN[source] = dest
    return dest


_KNOWN: dict[Path, Path] = {}


_REGISTERED: Path | None = None


def register() -> str:
    """Register the CJK TrueType font with matplotlib's font manager; return its family name."""
    global _REGISTERED
    from matplotlib import font_manager

    path = cjk_font_path()
    if _REGISTERED != path:
        font_manager.fontManager.addfont(str(path))
        _REGISTERED = path
    return FAMILY


def font_families() -> list[str]:
    """font.family list: the CJK font (it has Latin too), then DejaVu Sans as per-glyph fallback."""
    return [register(), LATIN_FALLBACK]


def missing_glyphs(text: str) -> list[str]:
    """Characters of ``text`` that neither the CJK font nor the Latin fallback can draw."""
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    cmaps = []
    for path in (cjk_font_path(), font_manager.findfont(LATIN_FALLBACK, fallback_to_default=False)):
        with TTFont(str(path), lazy=True) as f:
            cmaps.append(set(f.getBestCmap()))
    return [
        c for c in dict.fromkeys(text) if not c.isspace() and not any(ord(c) in m for m in cmaps)
    ]
