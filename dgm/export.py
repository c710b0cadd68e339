"""Figures and tables out: `save` (figure → PNG 300 dpi, SVG, PDF), `write_workbook` (→ .xlsx)."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from dgm import paths

FORMATS = ("png", "svg", "pdf")
PNG_DPI = 300
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


def _atomic_write(dest: Path, write) -> None:
    """Call write(tmp_path) on a temp file beside dest, then rename it onto dest."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.stem}.", suffix=dest.suffix, dir=dest.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def save(fig, name: str, out_dir: Path | str | None = None, formats=FORMATS) -> list[Path]:
    """Write ``fig`` as PNG (300 dpi), SVG and PDF to ``out_dir`` (default reports/figures/).

    The file stem is ``safe_name(name)``. The house style is applied while saving, so PDF text
    embeds the TrueType CJK font (Type 42) whoever made the figure. Returns the paths written.
    """
    from dgm.style import house_style

    out = Path(out_dir) if out_dir is not None else paths.REPORTS / "figures"
    stem = safe_name(name)
    written = []
    with house_style():
        for fmt in formats:
            dest = out / f"{stem}.{fmt}"
            kwargs = {"dpi": PNG_DPI} if fmt == "png" else {}
            if fmt == "pdf":
                kwargs["metadata"] = {"Creator": "dgm", "Title": str(name)}
            _atomic_write(
                dest,
                lambda tmp, fmt=fmt, kw=kwargs: fig.savefig(
                    tmp, format=fmt, bbox_inches="tight", pad_inches=0.05, **kw
                ),
            )
            written.append(dest)
    return written
