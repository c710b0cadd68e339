"""A report directory → its landing page `index.html` (jinja2 template, every value escaped).

The page opens with the scorecard (figure and an accessible table), one line of finding per goal
with links to the goal's notebook page and figures (PNG, SVG, PDF), thumbnails of every figure and
a run record (date, commit, data checksum, latest vintage, versions). It reads what the report
wrote: the executed notebooks' records (`dgm.present.notebook_records.read_records`) and DIR/figures/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from dgm import paths
from dgm.data.atomic import write_file, write_text
from dgm.lang import label, pick
from dgm.words import EVIDENCE_LABELS, PAGE, STATUS_LABELS

TEMPLATE = "index.html.j2"
FIGURE_FORMATS = ("png", "svg", "pdf")
THUMBS = "thumbs"  # DIR/thumbs/: small PNG previews of each figure in DIR/figures/
THUMB_WIDTH_PX = 480
# Figures that show no one goal → the key of their chart title in dgm.words.TEXT.
FIGURE_TITLES = {
    "00_coverage_matrix": "coverage_title",
    "05_scorecard": "scorecard_title",
    "05_required_vs_observed": "rate_title",
    "07_measures_by_programme": "measures_title",
    "08_backtest_errors": "backtest_title",
}
SCORECARD_NOTEBOOK = "05_scorecard"
SCORECARD_FIGURE = "05_scorecard"
LIBRARIES = ("pandas", "numpy", "statsmodels", "matplotlib", "nbconvert", "openpyxl", "opencc")


def _text(lang: str) -> dict:
    """PAGE in one language ("both": 中文 · English)."""
    return {k: pick(zh, en, lang, " · ") for k, (zh, en) in PAGE.items()}


def _git(*args: str) -> str:
    """The output of `git ARGS` in the project (raises when git is missing or fails)."""
    run = subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True, check=True)
    return run.stdout.strip()


def commit() -> str:
    """The git commit of the code (short hash, "+changes" when the tree has edits), or "unknown"."""
    try:
        head = _git("rev-parse", "--short=12", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}+changes" if dirty else head


def data_checksum(raw: Path | None = None) -> str:
    """SHA-256 (first 16 hex digits) over the names and bytes of data/raw/*.csv, in name order."""
    h = hashlib.sha256()
    for p in sorted(Path(raw or paths.RAW).glob("*.csv")):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def latest_vintage() -> str:
    """The most recent publication date (vintage) of any figure in data/raw, "" when none."""
    from dgm.data.loaders import load_observations

    vintages = load_observations()["vintage"].dropna().astype(str)
    return max(vintages) if len(vintages) else ""


def versions() -> list[tuple[str, str]]:
    """(name, version) of Python, dgm and the libraries behind the numbers and pages (dgm's from
    its installed metadata, pyproject's version, as the libraries' are: no import of the API)."""
    out = [("Python", platform.python_version())]
    for name in ("dgm", *LIBRARIES):
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            continue
    return out


def run_record(now: dt.datetime | None = None) -> dict:
    """Date of run (UTC), commit, data checksum, latest vintage, versions."""
    now = now or dt.datetime.now(dt.UTC)
    return {
        "run_date": now.strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
        "checksum": data_checksum(),
        "vintage": latest_vintage(),
        "versions": versions(),
    }


def figure_sets(figures: Path) -> list[dict]:
    """One entry per figure stem in DIR/figures: {stem, files: {fmt: relative path}, thumb}."""
    if not figures.is_dir():
        return []
    stems = sorted({p.stem for p in figures.iterdir() if p.suffix[1:] in FIGURE_FORMATS})
    out = []
    for stem in stems:
        files = {
            fmt: f"{figures.name}/{stem}.{fmt}"
            for fmt in FIGURE_FORMATS
            if (figures / f"{stem}.{fmt}").exists()
        }
        thumb = figures.parent / THUMBS / f"{stem}.png"
        out.append(
            {
                "stem": stem,
                "files": files,
                "thumb": f"{THUMBS}/{stem}.png" if thumb.exists() else None,
            }
        )
    return out


def make_thumbnails(figures: Path, width: int = THUMB_WIDTH_PX) -> None:
    """DIR/thumbs/STEM.png, `width` px wide, for every PNG figure of DIR/figures (remade when
    older than the figure)."""
    from PIL import Image

    if not figures.is_dir():
        return
    for png in sorted(figures.glob("*.png")):
        dest = figures.parent / THUMBS / png.name
        if dest.exists() and dest.stat().st_mtime >= png.stat().st_mtime:
            continue
        try:
            with Image.open(png) as im:
                h = max(1, round(im.height * width / im.width))
                small = im.convert("RGB").resize((width, h), Image.Resampling.LANCZOS)
        except OSError:  # not a readable image: the figure is listed without a thumbnail
            continue
        write_file(dest, lambda tmp, small=small: small.save(tmp, format="PNG", optimize=True))


def _records(work: Path) -> dict[str, dict]:
    """{notebook stem: its records} of every executed notebook in DIR/notebooks/."""
    from dgm.present.notebook_records import read_records

    out = {}
    for nb in sorted((work / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        try:
            out[nb.stem] = read_records(nb)
        except Exception:  # an unreadable notebook has no records; its page says why
            out[nb.stem] = {}
    return out


def _goal_pages(records: dict[str, dict]) -> dict[str, str]:
    """{goal id: notebook stem} of the notebooks that assess goals (their `assessment` record)."""
    out = {}
    for stem, recs in records.items():
        for row in recs.get("assessment") or []:
            out.setdefault(str(row.get("target_id")), stem)
    return out


def _figure_kind(stem: str, lang: str) -> str:
    """What a goal's figure shows, in words: its scenarios or its path and projection."""
    key = "fig_scenarios" if "_scenarios_" in stem else "fig_path"
    return pick(*PAGE[key], lang, " · ")


def _goal_figures(
    goal_id: str, page: str | None, single: bool, figures: list[dict], lang: str = "both"
) -> list:
    """The figures of a goal (stems naming the goal, or every figure of a one-goal page), each
    with a short name in words ("path and projection", "scenarios")."""
    number = page.split("_", 1)[0] + "_" if page else None
    return [
        f | {"short": _figure_kind(f["stem"], lang)}
        for f in figures
        if goal_id in f["stem"] or (single and number and f["stem"].startswith(number))
    ]


def figure_names(figures: list[dict], goal_pages: dict[str, str], lang: str = "both") -> None:
    """Give every figure a `name` in words: the goal it shows (its id in the stem, or the one
    goal of its page) and what it shows, or the chart's title; the stem when none is known."""
    from dgm.data.loaders import load_targets
    from dgm.labels import t
    from dgm.zh import simplified

    targets = load_targets()
    labels = dict(zip(targets["id"], label(targets, lang), strict=True))
    per_page: dict[str, list[str]] = {}
    for gid, page in goal_pages.items():
        per_page.setdefault(page.split("_", 1)[0], []).append(gid)
    for f in figures:
        stem = f["stem"]
        goal = next((g for g in labels if g in stem), None)
        page_goals = [g for g in per_page.get(stem.split("_", 1)[0], []) if g in labels]
        if goal is None and len(page_goals) == 1 and stem not in FIGURE_TITLES:
            goal = page_goals[0]
        if goal is not None:
            name = f"{labels[goal]}：{_figure_kind(stem, lang)}"
        elif stem in FIGURE_TITLES:
            name = t(FIGURE_TITLES[stem], lang, sep=" · ")
        else:
            name = stem
        f["name"] = simplified(name) if lang != "en" else name


def _pct(p) -> str:
    """A probability (0–1) as whole percent, "—" when missing."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "—"
    return f"{100 * float(p):.0f} %"


def _basis_text(basis, lang: str) -> str:
    """The basis of a verdict in words (observed, published bound, projection)."""
    from dgm.present.tables import words

    return words("basis", lang).get(basis, basis or "")


def findings(work: Path, lang: str, figures: list[dict]) -> list[dict]:
    """One finding per goal of the registry: label, status, evidence, basis (only for a goal
    with a figure), the reading, latest figure (rounded as published, with unit), P(met), links."""
    from dgm.data.loaders import load_targets
    from dgm.present.readings import basis, latest_text
    from dgm.zh import simplified

    targets = load_targets().sort_values("id")
    records = _records(work)
    score = {
        str(r.get("target_id")): r
        for r in (records.get(SCORECARD_NOTEBOOK, {}).get("scorecard") or [])
    }
    pages = _goal_pages(records)
    per_page: dict[str, int] = {}
    for page in pages.values():
        per_page[page] = per_page.get(page, 0) + 1
    labels = dict(zip(targets["id"], label(targets, lang), strict=True))
    out = []
    for goal in targets.to_dict("records"):
        gid = goal["id"]
        row = score.get(gid, {})
        status = row.get("status")
        page = pages.get(gid)
        latest = latest_text({**goal, **row}, lang)
        out.append(
            {
                "id": gid,
                "label": simplified(labels[gid]),
                "status": status or "",
                "status_text": pick(*STATUS_LABELS[status], lang, " · ")
                if status in STATUS_LABELS
                else "—",
                "basis": _basis_text(basis({**goal, **row}), lang),
                "evidence": row.get("evidence") or "",
                "evidence_text": pick(*EVIDENCE_LABELS[row["evidence"]], lang, " · ")
                if row.get("evidence") in EVIDENCE_LABELS
                else "—",
                "reading": simplified(row.get("reading") or ""),
                "latest": simplified(latest) or "—",
                "p_attain": _pct(row.get("p_attain")),
                "page": page,
                "figures": _goal_figures(gid, page, per_page.get(page, 0) == 1, figures, lang),
            }
        )
    return out


def gap_rows(records: dict[str, dict], lang: str) -> tuple[str, list[dict]]:
    """(headline, rows) of notebook 00's `gaps` records (dgm.engine.gaps.top_rows): goal and missing
    figure by name, status under the low, middle and high value, where published; ("", []) when
    00 was not run."""
    from dgm.present.tables import names
    from dgm.zh import simplified

    recs = records.get("00_overview", {})
    goals, indicators = names("goal", lang), names("indicator", lang)
    rows = []
    for r in recs.get("gaps") or []:
        where = simplified(str(r.get("where", "")))
        statuses = [r.get(f"status_{k}") for k in ("low", "mid", "high")]
        rows.append(
            {
                "id": r["target_id"],
                "goal": simplified(goals.get(r["target_id"], r["target_id"])),
                "figure": simplified(
                    f"{indicators.get(r['indicator'], r['indicator'])} {r['year']}"
                ),
                "statuses": [  # low → high, a repeated status once
                    (s, pick(*STATUS_LABELS[s], lang, " · ") if s in STATUS_LABELS else "—")
                    for i, s in enumerate(statuses)
                    if i == 0 or s != statuses[i - 1]
                ],
                "publication": where.split(": ", 1)[0],  # the document; the rest in its title
                "where": where,
            }
        )
    return str(recs.get("gaps_headline") or ""), rows


def _page_title(executed: Path, lang: str) -> str:
    """The title of an executed notebook's page in `lang` (dgm.present.pages.title), "" when unreadable."""
    import nbformat

    from dgm.present.pages import simplified_prose, title

    try:
        return simplified_prose(title(nbformat.read(executed, as_version=4), lang))
    except (OSError, ValueError, KeyError, IndexError):
        return ""


def context(work: Path, lang: str = "both", editions=("reader", "reviewer")) -> dict:
    """Everything the landing page shows, as plain values (the template only lays them out)."""
    from dgm.present.pages import WORKBOOK_FILE, page_name
    from dgm.present.readings import headline
    from dgm.zh import simplified

    figs = figure_sets(work / "figures")
    stems = sorted(
        {p.name.split(".", 1)[0] for p in work.glob("[0-9][0-9]_*.html")}
        | {p.stem for p in (work / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    )
    pages = [
        {
            "stem": s,
            "title": _page_title(work / "notebooks" / f"{s}.ipynb", lang) or s,
            "links": [(e, page_name(s, e)) for e in editions if (work / page_name(s, e)).exists()],
        }
        for s in stems
    ]
    found = findings(work, lang, figs)
    figure_names(figs, _goal_pages(_records(work)), lang)
    scored = [f for f in found if f["status"]]
    gaps_headline, gaps = gap_rows(_records(work), lang)
    for f in found:
        f["page_href"] = page_name(f["page"], editions[0]) if f["page"] else None
    scorecard_fig = next((f for f in figs if f["stem"] == SCORECARD_FIGURE), None)
    return {
        "lang": {"zh": "zh-Hans", "en": "en"}.get(lang, "zh-Hans"),
        "t": _text(lang),
        "findings": found,
        "gaps": gaps,
        "gaps_headline": gaps_headline,
        "has_scorecard": bool(scored),
        "headline": simplified(headline(scored, lang)) if scored else "",
        "show_evidence": any(f["evidence"] for f in found),
        "show_basis": any(f["basis"] for f in found),
        "scorecard_figure": scorecard_fig,
        "figures": figs,
        "pages": pages,
        "main_edition": editions[0],
        "workbook": WORKBOOK_FILE if (work / WORKBOOK_FILE).exists() else None,
        "record": run_record(),
    }


def render(ctx: dict) -> str:
    """The landing page HTML from the package template (autoescape on)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dgm.present", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(TEMPLATE).render(**ctx)


def write_index(work: Path, lang: str = "both", editions=("reader", "reviewer")) -> Path:
    """Write DIR/index.html (and the figure thumbnails it shows); returns its path."""
    make_thumbnails(work / "figures")
    dest = work / "index.html"
    write_text(dest, render(context(work, lang, editions)))
    return dest
