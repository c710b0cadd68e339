"""Every path dgm reads or writes, in one place (no notebook hard-codes a path)."""

import os
from pathlib import Path

import platformdirs

PACKAGE = Path(__file__).resolve().parent  # the dgm package: its code and templates
ROOT = Path(os.environ.get("DGM_ROOT", PACKAGE.parent))
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
TEMPLATES = DATA / "templates"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
CACHE = ROOT / ".cache"  # per work tree: benchmark figures
# Per user, outside any work tree, so every clone on the machine shares it (the converted CJK font).
# DGM_CACHE overrides it (tests, CI).
USER_CACHE = Path(os.environ.get("DGM_CACHE") or platformdirs.user_cache_dir("dgm"))
POLICY_TEXT = RAW / "policy" / "dongguan-manufacturing-2025.txt"


def shown(path: os.PathLike | str) -> str:
    """A path as messages show it: relative to the project when inside it, else as it is."""
    path = Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
