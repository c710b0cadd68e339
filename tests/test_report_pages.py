"""Every page of a real report, opened offline in headless Chromium (slow: two reports, a browser).

`dgm report` runs twice on the real notebooks, in `zh` and in `both` (both editions, fewer
simulated paths than the default: the pages, not the numbers, are under test). Each page must
load with no failed request and no console error while the browser is offline, fit a 1280 px
window and an A4 landscape sheet (print media) without any element sticking out, and link back to
index.html. A reader's text (reader pages and the landing page) must carry no `[parameter]`
placeholder, no registry id (goal, indicator or source) and no True/False, and only the text of
verbatim quotes (`<q>`) and source titles (`<cite>`) may change under OpenCC t2s.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dgm.run import browser, report, selection

pytestmark = pytest.mark.slow

N_PATHS = 1000  # simulated paths per forecast: enough to draw every chart and table
WIDTH_PX = 1280
A4_LANDSCAPE_PX = 1032  # 297 mm less the 12 mm margins of the print CSS, at 96 px per inch
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width && (r.right > width + 1 || r.left < -1)) {
      out.push(`${e.tagName.toLowerCase()}.${e.className}: ${Math.round(r.left)}–${Math.round(r.right)}`);
    }
  }
  return [document.documentElement.scrollWidth - width, out.slice(0, 5)];
}
"""
# The page's text without verbatim quotes and source titles (kept as written, dgm.zh.VERBATIM).
TEXT_JS = """
() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('q, cite, script, style').forEach(e => e.remove());
  document.documentElement.appendChild(body);  // innerText needs a rendered node
  body.style.position = 'absolute';
  const text = body.innerText;
  body.remove();
  return text;
}
"""


def _browser_or_skip():
    if not browser.CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {browser.CHROMIUM}")
    return pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """{lang: report directory} for `zh` and `both`."""
    out = {}
    for lang in ("zh", "both"):
        d = tmp_path_factory.mktemp(f"report-{lang}") / "reports"
        results = report.run_report(
            d,
            lang=lang,
            edition="both",
            parameters={"n_paths": N_PATHS},
            n_paths=N_PATHS,
            workbook=False,
            echo=print,
        )
        assert all(r.ok for r in results), [r.error for r in results if not r.ok]
        out[lang] = d
    return out


def _ids() -> re.Pattern:
    """Every id of the registry, the catalogue and the sources, as a whole token."""
    import dgm

    ids = {
        *dgm.load_targets()["id"],
        *dgm.load_indicators()["id"],
        *dgm.load_sources()["source_id"],
    }
    alternatives = "|".join(sorted((re.escape(str(i)) for i in ids), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


def _problems(page, path: Path, reader: bool, ids: re.Pattern) -> list[str]:
    """What is wrong with one opened page (empty when nothing is)."""
    from dgm.zh import simplified

    problems = []
    wide, where = page.evaluate(OVERFLOW_JS)
    if wide > 0 or where:
        problems.append(f"wider than {WIDTH_PX} px by {wide} px: {where}")
    if not page.locator('a[href="index.html"]').count() and path.name != "index.html":
        problems.append("no link back to index.html")
    if reader:
        text = page.evaluate(TEXT_JS)
        full = page.inner_text("body")
        for pattern, what in (
            (r"\[[a-z_]+\]", "a [parameter] placeholder"),
            (r"\b(True|False)\b", "True/False"),
        ):
            if m := re.search(pattern, full):
                problems.append(f"{what}: {full[max(0, m.start() - 40) : m.end() + 40]!r}")
        if m := ids.search(full):
            problems.append(f"an id: {full[max(0, m.start() - 40) : m.end() + 40]!r}")
        changed = [(a, b) for a, b in zip(text, simplified(text), strict=True) if a != b]
        if changed:
            problems.append(f"traditional characters outside quotes: {changed[:10]}")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_LANDSCAPE_PX, "height": 800})
    wide, where = page.evaluate(OVERFLOW_JS)
    if wide > 0 or where:
        problems.append(f"printed on A4 landscape: wider by {wide} px: {where}")
    return problems


def test_every_page_loads_offline_fits_and_reads_in_words(reports):
    sync_api = _browser_or_skip()
    ids = _ids()
    problems, opened = [], 0
    with sync_api.sync_playwright() as pw:
        chromium = browser.launch(pw)
        context = chromium.new_context(viewport={"width": WIDTH_PX, "height": 900}, offline=True)
        for lang, folder in reports.items():
            for path in sorted(folder.glob("*.html")):
                page = context.new_page()
                failed, errors = [], []
                page.on("requestfailed", lambda r, f=failed: f.append(r.url))
                page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else 0)
                page.on("pageerror", lambda err, e=errors: e.append(str(err)))
                page.goto(path.as_uri(), wait_until="load")
                page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
                page.wait_for_function("[...document.images].every(i => i.complete)")
                reader = ".reviewer." not in path.name
                found = _problems(page, path, reader, ids)
                found += [f"failed request {u}" for u in failed]
                found += [f"console error {e}" for e in errors]
                problems += [f"{lang}/{path.name}: {p}" for p in found]
                opened += 1
                page.close()
        chromium.close()
    assert opened == 2 * (2 * len(selection.notebooks()) + 1), opened  # every page of both reports
    assert not problems, "\n".join(problems)


def test_zh_pages_tell_their_story_in_chinese(reports):
    """The zh edition keeps the Chinese narrative: no English title cell or English paragraph."""
    html = (reports["zh"] / "05_scorecard.html").read_text(encoding="utf-8")
    assert "<title>05 · 目标评估总表</title>" in html and "Scorecard: every goal" not in html
    assert "各目标的结论" in html and "Verdict per goal" not in html
    both = (reports["both"] / "05_scorecard.html").read_text(encoding="utf-8")
    assert "各目标的结论" in both and "Verdict per goal" in both
