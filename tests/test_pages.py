"""dgm.present.pages: the cells a page keeps per language and edition, and a page that loads nothing."""

import re

import nbformat
import pytest

from dgm.present import pages
from dgm.present.notebook_records import RECORD_MIME, hidden_text


def _md(source, *tags):
    cell = nbformat.v4.new_markdown_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _notebook():
    """An executed notebook as the collection writes them: titles per language, a reviewer note,
    parameters, a shown record, a hidden record, narrative pairs with a verbatim quote and a link."""
    params = nbformat.v4.new_code_cell('lang = "both"')
    params.metadata["tags"] = ["parameters"]
    shown = nbformat.v4.new_code_cell(
        'record("n", 3)',
        outputs=[
            nbformat.v4.new_output(
                "display_data", data={RECORD_MIME: {"name": "n", "value": 3}, "text/plain": "3"}
            ),
            nbformat.v4.new_output(
                "display_data",
                data={
                    RECORD_MIME: {"name": "as_of", "value": None},
                    "text/plain": hidden_text("as_of"),
                },
            ),
        ],
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _md("# 01 · 工業總產值\n\n副標題", "lang-zh"),
        _md("# 01 · Gross output\n\nSubtitle", "lang-en"),
        _md("**Builds on:** `dgm.series`", "reviewer"),
        params,
        shown,
        _md("東莞：<q>工業總產值翻一番</q>，見[總表](05_scorecard.ipynb)。", "lang-zh"),
        _md(
            "Dongguan: <q>工業總產值翻一番</q>, see [the scorecard](05_scorecard.ipynb).", "lang-en"
        ),
        _md("A note for both languages."),
    ]
    return nb


ZH, EN = (
    "# 01 · 工业总产值",
    "# 01 · Gross output",
)  # first lines of the title cells (zh simplified)
ZH_PROSE, EN_PROSE, BOTH = (
    "东莞：<q>工業總產值翻一番</q>…",
    "Dongguan: <q>…",
    "A note for both languages.",
)


@pytest.mark.parametrize(
    ("lang", "edition", "kept"),
    [
        ("zh", "reader", [ZH, ZH_PROSE, BOTH]),
        ("en", "reader", [EN, EN_PROSE, BOTH]),
        ("both", "reader", [ZH, EN, ZH_PROSE, EN_PROSE, BOTH]),
        ("en", "reviewer", [EN, "**Builds on:** `dgm.series`", EN_PROSE, BOTH]),
    ],
)
def test_a_page_keeps_the_cells_of_its_language_and_edition(lang, edition, kept):
    nb = pages.page_notebook(_notebook(), lang, edition)
    firsts = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown"]
    assert len(firsts) == len(kept)
    for first, expected in zip(firsts, kept, strict=True):
        assert first.startswith(expected.rstrip("…")), (first, expected)
    assert sum(c.cell_type == "code" for c in nb.cells) == 2  # code stays; nbconvert hides it


def test_zh_prose_is_simplified_except_quotes_and_links_point_to_pages():
    nb = pages.page_notebook(_notebook(), "zh", "reader")
    zh = next(c.source for c in nb.cells if c.source.startswith("东莞"))
    assert zh == "东莞：<q>工業總產值翻一番</q>，见[总表](05_scorecard.html)。"
    reviewer = pages.page_notebook(_notebook(), "zh", "reviewer")
    assert "(05_scorecard.reviewer.html)" in "".join(c.source for c in reviewer.cells)
    assert nb.metadata["title"] == "01 · 工业总产值"


def test_hidden_records_leave_nothing_and_records_stay_out_of_the_page():
    nb = pages.page_notebook(_notebook(), "en", "reader")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert [o["data"] for o in outputs] == [{"text/plain": "3"}]


def test_title_per_language():
    nb = _notebook()
    assert pages.title(nb, "en") == "01 · Gross output"
    assert pages.title(nb, "both") == "01 · 工業總產值 · Gross output"


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_rendered_page_loads_nothing_and_links_home(lang):
    html = pages.render(_notebook(), lang, "reader")
    assert not re.search(r"<script[^>]+src=|cdnjs|mathjax|require\.js", html, re.I)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no remote resource"
    assert html.count('href="index.html"') == 2  # at the top and the bottom
    assert f'<html lang="{pages.HTML_LANG[lang]}">' in html
    assert "[as_of]" not in html and "record(" not in html  # no placeholder, no code
    assert "@page { size: A4 landscape" in html


def test_reviewer_page_shows_code_and_builds_on():
    html = pages.render(_notebook(), "en", "reviewer")
    assert "record" in html and "Builds on" in html


def test_say_shows_each_line_as_an_escaped_paragraph(monkeypatch):
    import IPython.display

    from dgm.present.notebook_records import say

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw: shown.append(obj))
    say("21 goals <met 2>\n\n共21项目标。")
    assert shown == [
        {
            "text/html": '<div class="dgm-say"><p>21 goals &lt;met 2&gt;</p><p>共21项目标。</p></div>',
            "text/plain": "21 goals <met 2>\n\n共21项目标。",
        }
    ]
