"""An executed notebook → its HTML page in one edition (reader, reviewer) and language (zh, en, both).

Narrative markdown cells carry a language tag (`lang-zh` or `lang-en`): a page in `zh` or `en`
keeps the cells of its language and the untagged ones, a page in `both` keeps all of them (each
zh cell stands before its en twin). Cells tagged `reviewer` (what a notebook builds on, how its
parameters work) are shown in the reviewer edition only; the reader edition also hides code and
prompts. Chinese prose is shown in simplified characters (dgm.zh) except inside `<q>…</q>`, the
mark of a verbatim quotation from a source, which stays as written. Records a notebook keeps
without showing them (dgm.present.notebook_records, `show=False`) leave nothing on the page. A markdown
link to another notebook (`[…](01_name.ipynb)`) points to that notebook's page in the same edition.

The page template (templates/nbconvert/dgm_page) extends nbconvert's `lab` template: nothing is
loaded from the network (no require.js, MathJax or Mermaid; no page uses maths, and the notebook
conventions test says so), every page links back to the landing page index.html, and tables wrap
to the page and print on A4 landscape.
"""

from __future__ import annotations

import re
from pathlib import Path

from dgm.words import PAGE

LANG_TAGS = {"zh": "lang-zh", "en": "lang-en"}  # markdown cell tag → the language of its prose
REVIEWER_TAG = "reviewer"  # cells shown in the reviewer edition only
TEMPLATE = "dgm_page"  # nbconvert template in templates/nbconvert/
TEMPLATES = Path(__file__).parent / "templates" / "nbconvert"
HTML_LANG = {"zh": "zh-Hans", "en": "en", "both": "zh-Hans"}  # <html lang> of a page
_QUOTE = re.compile(r"(<q\b[^>]*>.*?</q>)", re.S)  # a verbatim quotation, kept as written
_NOTEBOOK_LINK = re.compile(r"\]\((\d\d_[A-Za-z0-9_]+)\.ipynb\)")  # [text](01_name.ipynb)
WORKBOOK_FILE = "dgm_manufacturing_2025.xlsx"  # the report's Excel workbook, beside its pages


def cell_lang(cell) -> str | None:
    """The language of a cell's prose from its tags ("zh", "en"), None when untagged."""
    tags = cell.get("metadata", {}).get("tags", [])
    return next((lang for lang, tag in LANG_TAGS.items() if tag in tags), None)


def keep_cell(cell, lang: str, edition: str) -> bool:
    """Whether a cell belongs on the page of `lang` ("zh", "en", "both") and `edition`."""
    tags = cell.get("metadata", {}).get("tags", [])
    if edition == "reader" and REVIEWER_TAG in tags:
        return False
    own = cell_lang(cell)
    return own is None or lang == "both" or own == lang


def simplified_prose(text: str) -> str:
    """Markdown prose in simplified characters, `<q>` quotations left exactly as written."""
    from dgm.zh import simplified

    parts = _QUOTE.split(text)
    return "".join(p if i % 2 else simplified(p) for i, p in enumerate(parts))


def title(nb, lang: str = "both") -> str:
    """A notebook's title in `lang`: the H1 of its title cell in that language ("both": the
    Chinese title, then the English one without its number); "" when it has none."""
    heads = {}
    for cell in nb.cells:
        own = cell_lang(cell)
        first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "markdown" and first.startswith("# ") and own not in heads:
            heads[own] = first[2:].strip()
    if lang in ("zh", "en"):
        return heads.get(lang) or heads.get(None, "")
    zh, en = heads.get("zh"), heads.get("en")
    if zh and en:
        return f"{zh} · {en.split(' · ', 1)[-1]}"
    return zh or en or heads.get(None, "")


def page_name(stem: str, edition: str) -> str:
    """File name of a notebook's page: NN_name.html (reader), NN_name.reviewer.html (reviewer)."""
    return f"{stem}.html" if edition == "reader" else f"{stem}.{edition}.html"


def _linked_pages(text: str, edition: str) -> str:
    """Markdown links to notebooks (`(01_name.ipynb)`) turned into links to their pages."""
    return _NOTEBOOK_LINK.sub(lambda m: f"]({page_name(m[1], edition)})", text)


def _hidden(output) -> bool:
    """Whether an output is a record kept without being shown (only its placeholder text)."""
    from dgm.present.notebook_records import RECORD_MIME, hidden_text

    data = output.get("data", {})
    rec = data.get(RECORD_MIME)
    return (
        bool(rec)
        and set(data) <= {RECORD_MIME, "text/plain"}
        and (data.get("text/plain") == hidden_text(rec.get("name", "")))
    )


def page_notebook(nb, lang: str, edition: str):
    """A copy of an executed notebook holding what the page of `lang` and `edition` shows."""
    import copy

    from dgm.present.notebook_records import RECORD_MIME

    nb = copy.deepcopy(nb)
    nb.metadata["title"] = simplified_prose(title(nb, lang))  # the page's <title>
    cells = []
    for cell in nb.cells:
        if not keep_cell(cell, lang, edition):
            continue
        if cell.cell_type == "markdown":
            cell.source = _linked_pages(simplified_prose(cell.source), edition)
        if cell.cell_type == "code":
            outputs = [o for o in cell.get("outputs", []) if not _hidden(o)]
            for o in outputs:
                o.get("data", {}).pop(RECORD_MIME, None)  # JSON for tests, never drawn
            cell.outputs = outputs
        cells.append(cell)
    nb.cells = cells
    return nb


def render(nb, lang: str = "both", edition: str = "reader") -> str:
    """The HTML page of an executed notebook (nbformat node) in `lang` and `edition`."""
    from nbconvert import HTMLExporter

    from dgm.lang import pick

    class PageExporter(HTMLExporter):
        def _init_resources(self, resources):
            resources = super()._init_resources(resources)
            resources["language_code"] = HTML_LANG[lang]
            resources["dgm_home"] = pick(*PAGE["home"], lang, " · ")
            resources["dgm_title"] = pick(*PAGE["title"], lang, " · ")
            return resources

    exporter = PageExporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)])
    if edition == "reader":
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(page_notebook(nb, lang, edition))
    return body


def write_page(executed: Path, html: Path, edition: str = "reviewer", lang: str = "both") -> None:
    """Write the page of an executed notebook file (images embedded, nothing loaded from afar),
    by temp file and rename (dgm.data.atomic)."""
    import nbformat

    from dgm.data import atomic

    nb = nbformat.read(executed, as_version=4)
    atomic.write_text(html, render(nb, lang, edition))
