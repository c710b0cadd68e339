"""Screenshots of a built report in headless Chromium → docs/gallery/*.png.

    python docs/gallery/screenshots.py [REPORT_DIR]   (default reports/)

Takes the landing page (desktop and phone widths) and the reader edition of the scorecard page.
Needs Playwright for Python and a Chromium (default /usr/bin/chromium; set CHROMIUM to change).
"""

from __future__ import annotations

import sys
from pathlib import Path

from dgm.run.browser import launch

HERE = Path(__file__).resolve().parent
SHOTS = [  # (page in the report, viewport (w, h), output file, full page?)
    ("index.html", (1280, 900), "index.png", True),
    ("index.html", (390, 844), "index-phone.png", False),
    ("05_scorecard.html", (1280, 900), "reader-05_scorecard.png", True),
]


def _shrink(png: Path, colours: int = 128) -> None:
    """Rewrite a screenshot as a 128-colour PNG (the gallery's convention: small files in git)."""
    from PIL import Image

    with Image.open(png) as im:
        small = im.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)


def main(report: Path) -> int:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        for page_name, (w, h), out, full in SHOTS:
            src = report / page_name
            if not src.exists():
                print(f"skipped {page_name}: not in {report}", file=sys.stderr)
                continue
            page = browser.new_page(viewport={"width": w, "height": h})
            page.goto(src.resolve().as_uri(), wait_until="load")
            # lazy images below the fold load for a full-page shot too
            page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
            page.wait_for_function("[...document.images].every(i => i.complete)")
            page.screenshot(path=str(HERE / out), full_page=full)
            page.close()
            _shrink(HERE / out)
            print(f"wrote {(HERE / out).relative_to(HERE.parent.parent)}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parent.parent / "reports")))
