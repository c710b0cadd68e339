"""Simplified Chinese throughout zh output: no character OpenCC's t2s would change is left in
chart texts, the workbook's non-verbatim cells, the HTML tables and landing page, or `dgm targets`;
the verbatim quotes keep the source's wording."""

import pytest

import dgm
from dgm import zh
from dgm.lang import label
from dgm.present import charts, export, tables
from dgm.present.goal_view import goal_chart, goal_row


def _traditional(texts) -> list[str]:
    """The texts that still hold a character the converter would change."""
    return [t for t in texts if zh.changes(t)]


def test_converter_known_answers():
    assert (
        zh.simplified("高技術制造業占規上工業增加值比重超過50%")
        == "高技术制造业占规上工业增加值比重超过50%"
    )
    assert zh.simplified("東府〔2015〕1號") == "东府〔2015〕1号"
    assert zh.simplified("plain ASCII") == "plain ASCII" and zh.simplified(None) is None
    assert zh.changes("東莞") and not zh.changes("东莞")


def _chart_texts(fig) -> list[str]:
    """Every text drawn in a figure (tick labels included, after a draw)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    FigureCanvasAgg(fig).draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


# make test-fast checks "both" (it holds every Chinese text); make test checks "zh" alone too
@pytest.mark.parametrize("lang", [pytest.param("zh", marks=pytest.mark.slow), "both"])
def test_chart_texts_are_simplified(lang):
    targets = dgm.load_targets()
    assert _traditional(targets["label_zh"]), "the registry keeps the policy's wording"
    goal = goal_row("hightech_mfg_share_2025")
    rows = [{"target_id": t, "status": "insufficient_data"} for t in targets["id"]]
    figs = [
        goal_chart(goal, None, None, lang),
        charts.scorecard_chart(rows, targets, sources=dgm.load_sources(), lang=lang),
        charts.measures_chart(dgm.load_measures(), lang=lang),
    ]
    for fig in figs:
        texts = _chart_texts(fig)
        assert any("目标" in t or "措施" in t or "资料来源" in t for t in texts)
        assert _traditional(texts) == []


def test_workbook_is_simplified_except_verbatim_columns(tmp_path):
    from openpyxl import load_workbook

    targets, obs = dgm.load_targets(), dgm.load_observations()
    path = export.write_workbook(
        tmp_path / "w.xlsx",
        scorecard=[{"target_id": "industrial_output_2025", "status": "met"}],
        targets=targets,
        observations=obs,
        sources=dgm.load_sources(),
        forecasts=None,
        backtests=None,
    )
    wb = load_workbook(path)
    left, checked = [], 0
    verbatim = {export.column_header(c) for c in zh.VERBATIM}
    for ws in wb.worksheets:
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=1):
            for cell, col in zip(row, header, strict=False):
                if ws.title != "README" and col in verbatim:
                    continue
                checked += 1
                if zh.changes(cell.value):
                    left.append(f"{ws.title}!{cell.coordinate} {cell.value}")
    assert checked > 1000 and left == []
    head = [c.value for c in wb["goals"][1]]
    col = head.index(export.column_header("quote")) + 1
    quotes = [r[0].value for r in wb["goals"].iter_rows(min_row=2, min_col=col, max_col=col)]
    assert quotes == targets["quote"].tolist()  # the policy text's quote, as written


def test_html_tables_and_landing_text_are_simplified():
    targets = dgm.load_targets()
    frame = targets.assign(goal=label(targets, "zh"))[["id", "goal", "clause", "unit"]]
    html = tables.to_html(frame, "zh")
    assert "先进制造业" in html and _traditional([html]) == []
    from dgm.present import landing

    assert _traditional(landing._text("zh").values()) == []


def test_registry_table_is_simplified():
    from dgm.present.goal_registry import registry_table

    text = registry_table()
    assert "规模结构领先" in text and not zh.changes(text)
