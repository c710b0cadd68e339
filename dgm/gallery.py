"""Assessments -> docs/gallery's verdict charts and the input table they were drawn from.

`python -m dgm.gallery` redraws `scorecard_zh.png` and `rate_en.png` (100 dpi, 128 colours) from
`dgm.assess.assessments()` and writes `scorecard_inputs.json` beside them: the rounded fields the
two charts show. tests/test_gallery.py recomputes that table and fails when it differs, so a
committed gallery can never contradict the current verdicts unnoticed.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from dgm import paths
from dgm.constants import N_PATHS, SEED

GALLERY = paths.ROOT / "docs" / "gallery"
INPUTS = "scorecard_inputs.json"
# field -> decimals kept (None: as is); rounding keeps float noise out of the comparison
SHOWN = {
    "target_id": None,
    "status": None,
    "basis": None,
    "latest_year": None,
    "latest_value": 6,
    "latest_kind": None,
    "required_rate": 4,
    "observed_rate": 4,
    "p_attain": 2,
}


def inputs(records: list[dict]) -> list[dict]:
    """The fields the scorecard and rate charts draw, rounded, one dict per goal sorted by id."""
    out = []
    for r in sorted(records, key=lambda r: r["target_id"]):
        row = {
            k: (r.get(k) if d is None or r.get(k) is None else round(r[k], d))
            for k, d in SHOWN.items()
        }
        row["fragile"] = bool((r.get("robustness") or {}).get("fragile"))
        out.append(row)
    return out


def _save_png(fig, path: Path) -> None:
    """100 dpi, quantised to 128 colours (small files in git)."""
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    Image.open(buf).convert("RGB").quantize(colors=128).save(path, optimize=True)


def build(out: Path = GALLERY) -> list[Path]:
    """Redraw the verdict charts and write their input table; returns the files written."""
    from dgm import charts
    from dgm.assess import assess_all
    from dgm.data import load_sources, load_targets

    recs = assess_all(n_paths=N_PATHS, seed=SEED)
    targets, sources = load_targets(), load_sources()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in (
        ("scorecard_zh.png", charts.scorecard_chart(recs, targets, sources=sources, lang="zh")),
        ("rate_en.png", charts.rate_chart(recs, targets, lang="en")),
    ):
        _save_png(fig, out / name)
        written.append(out / name)
    (out / INPUTS).write_text(
        json.dumps(inputs(recs), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return [*written, out / INPUTS]


if __name__ == "__main__":
    for p in build():
        print(p)
