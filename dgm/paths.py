"""Every path dgm reads or writes, in one place (no notebook hard-codes a path)."""

import os
from pathlib import Path

ROOT = Path(os.environ.get("DGM_ROOT", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
TEMPLATES = DATA / "templates"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
CACHE = ROOT / ".cache"
POLICY_TEXT = RAW / "policy" / "dongguan-manufacturing-2025.txt"
