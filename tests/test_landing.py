"""The report's landing page: scorecard table, findings, every figure format linked, data escaped."""

from html.parser import HTMLParser

import nbformat
import pytest

from dgm.present import landing, pages
from dgm.present.notebook_records import RECORD_MIME
from dgm.run import report_pages
from dgm.words import PAGE


class _Links(HTMLParser):
    """Collects href and src attributes and the page's text."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.srcs, self.text = set(), set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "href" in a:
            self.hrefs.add(a["href"])
        if "src" in a:
            self.srcs.add(a["src"])

    def handle_data(self, data):
        self.text.append(data)


def _executed(path, records: dict, titles: tuple[str, str] | None = None) -> None:
    """An executed notebook whose outputs carry dgm records (after zh and en title cells)."""
    nb = nbformat.v4.new_notebook()
    for tag, head in zip(("lang-zh", "lang-en"), titles or (), strict=False):
        nb.cells.append(nbformat.v4.new_markdown_cell(f"# {head}\n\nsubtitle"))
        nb.cells[-1].metadata["tags"] = [tag]
    nb.cells += [
        nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output(
                    "display_data", data={RECORD_MIME: {"name": k, "value": v}, "text/plain": k}
                )
                for k, v in records.items()
            ],
        )
    ]
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A report directory as `dgm report` leaves it: pages, executed notebooks, figures."""
    from PIL import Image

    work = tmp_path_factory.mktemp("report")
    figs = work / "figures"
    (work / "notebooks").mkdir()
    figs.mkdir()
    stems = {
        "05_scorecard": ("png", "svg", "pdf"),
        "01_output_path_to_goal": ("png", "svg", "pdf"),
        "04_hightech_mfg_share_2025_path_to_goal": ("png", "svg", "pdf"),
        "06_scenarios_rd_intensity_2025": ("png", "pdf"),  # a figure without its SVG
    }
    for stem, fmts in stems.items():
        for fmt in fmts:
            if fmt == "png":
                Image.new("RGB", (900, 600), "white").save(figs / f"{stem}.png")
            else:
                (figs / f"{stem}.{fmt}").write_bytes(b"x")
    scorecard = [
        {
            "target_id": "industrial_output_2025",
            "status": "met",
            "latest_year": 2025.0,
            "latest_value": 26000.0,
            "p_attain": 1.0,
            "reading": "已达成 · met: <b>latest</b> ≥ 26000 (2025)",
            "basis": "lower bound above the goal",
            "evidence": "bound",
        },
        {
            "target_id": "hightech_mfg_share_2025",
            "status": "limited_progress",
            "latest_year": 2022.0,
            "latest_value": 37.2,
            "p_attain": 0.02,
            "reading": "limited progress",
            "evidence": "series",
        },
        {
            "target_id": "energy_intensity_industry_reduction_2025",
            "status": "on_track",
            "evidence": "proxy",
            "reading": "on track (proxy): judged on a proxy",
        },
    ]
    _executed(
        work / "notebooks" / "05_scorecard.ipynb",
        {"scorecard": scorecard},
        ("05 · 目标评估總表", "05 · Scorecard: every goal, four ways"),
    )
    gaps = [
        {
            "target_id": "clusters_over_100bn_2025",
            "status": "insufficient_data",
            "indicator": "clusters_over_100bn",
            "year": "2025",
            "status_low": "not_met",
            "status_mid": "met",
            "status_high": "met",
            "p_low": 0.0,
            "p_mid": 1.0,
            "p_high": 1.0,
            "where": "东莞市政府工作报告: <review>",
        }
    ]
    _executed(
        work / "notebooks" / "00_overview.ipynb",
        {"gaps_headline": "1 figures would settle 1 of the 1 open goals", "gaps": gaps},
    )
    _executed(
        work / "notebooks" / "01_output_two_trillion.ipynb",
        {"assessment": [{"target_id": "industrial_output_2025"}]},
    )
    _executed(
        work / "notebooks" / "04_structure_and_innovation.ipynb",
        {"assessment": [{"target_id": "hightech_mfg_share_2025"}, {"target_id": "x_2025"}]},
    )
    for stem in ("01_output_two_trillion", "04_structure_and_innovation", "05_scorecard"):
        for edition in report_pages.EDITIONS:
            (work / pages.page_name(stem, edition)).write_text("<html></html>")
    (work / pages.WORKBOOK_FILE).write_bytes(b"xlsx")
    landing.write_index(work, "both")
    html = (work / "index.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(html)
    return work, html, parser


def test_landing_page_links_every_format_of_every_figure(built):
    work, _, links = built
    files = sorted(p for p in (work / "figures").iterdir() if p.is_file())
    assert len(files) == 11
    for f in files:
        assert f"figures/{f.name}" in links.hrefs, f.name
    assert "figures/06_scenarios_rd_intensity_2025.svg" not in links.hrefs  # never a dead link
    for f in files:
        if f.suffix == ".png":  # a thumbnail of each figure, a fraction of the full size
            thumb = work / landing.THUMBS / f.name
            assert f"{landing.THUMBS}/{f.name}" in links.srcs
            assert thumb.stat().st_size < f.stat().st_size or thumb.stat().st_size < 20_000


def test_landing_page_opens_with_the_scorecard_and_links_goal_pages(built):
    _, html, links = built
    assert html.index('id="scorecard"') < html.index('id="figures"')
    assert 'src="figures/05_scorecard.png"' in html
    assert "<caption>" in html and 'scope="row"' in html  # an accessible table
    row = html[html.index('id="goal-industrial_output_2025"') :]
    row = row[: row.index("</tr>")]
    assert 'href="01_output_two_trillion.html"' in row  # the reader page of the goal
    assert "已达成 · met" in row and "100 %" in row and "26,000 亿元 (2025)" in row  # as published
    assert "lower bound above the goal" in row  # the assessment's basis, when it gives one
    assert 'href="figures/01_output_path_to_goal.pdf"' in row  # a one-goal page's figures
    hightech = html[html.index('id="goal-hightech_mfg_share_2025"') :]
    hightech = hightech[: hightech.index("</tr>")]
    assert "04_hightech_mfg_share_2025_path_to_goal.svg" in hightech
    assert "01_output_path_to_goal" not in hightech
    assert {"04_structure_and_innovation.reviewer.html", pages.WORKBOOK_FILE} <= links.hrefs


def test_landing_page_names_goals_and_figures_in_words_not_ids(built):
    """A reader sees names: no goal id or figure file stem in the page's text (they stay in
    links and anchors), and no basis for a goal without a figure."""
    import dgm

    _, _, links = built
    text = "".join(links.text)
    for gid in dgm.load_targets()["id"]:
        assert gid not in text, gid
    for stem in ("01_output_path_to_goal", "04_hightech_mfg_share_2025_path_to_goal"):
        assert stem not in text, stem
    assert "05 · 目标评估总表 · Scorecard: every goal, four ways" in text  # the page, simplified
    assert "目标进展评分表 · Scorecard: progress towards each goal" in text  # the chart's title
    assert (
        "研发经费支出占生产总值比例超过4% · R&D expenditure above 4 % of GDP：情景 · scenarios"
        in text
    )
    assert "走势与预测 · path and projection" in text  # a goal's figure in its row


def test_landing_page_shows_the_evidence_and_counts_proxies_apart(built):
    _, html, _ = built
    row = html[html.index('id="goal-industrial_output_2025"') :]
    assert "公布的界限 · bound" in row[: row.index("</tr>")]
    head = html[html.index('class="headline"') :]
    head = head[: head.index("</p>")]
    assert "3 goals. Judged on their own figures: met 1, limited progress 1." in head
    assert "Judged on a proxy (counted apart): on track 1." in head
    assert "依据代理指标（另计）：按计划推进1" in head


def test_landing_page_escapes_data_and_keeps_a_run_record(built):
    _, html, links = built
    assert "<b>latest</b>" not in html and "&lt;b&gt;latest&lt;/b&gt;" in html
    text = "".join(links.text)
    for key in ("run_date", "commit", "checksum", "vintage"):
        assert PAGE[key][1] in text
    record = landing.run_record()
    assert record["checksum"] in text and len(record["checksum"]) == 16
    assert record["vintage"][:4].isdigit() and record["vintage"] in text
    assert dict(record["versions"])["dgm"] in text


def test_data_checksum_changes_with_the_raw_files(tmp_path):
    (tmp_path / "a.csv").write_text("x\n1\n")
    first = landing.data_checksum(tmp_path)
    (tmp_path / "a.csv").write_text("x\n2\n")
    assert landing.data_checksum(tmp_path) != first


def test_landing_page_shows_what_would_settle_the_open_goals(built):
    _, html, links = built
    assert "#gaps" in links.hrefs
    section = html[html.index('id="gaps"') : html.index('id="pages"')]
    assert "1 figures would settle 1 of the 1 open goals." in section
    assert 'href="#goal-clusters_over_100bn_2025"' in section
    assert "5个千亿元产业集群" in section  # simplified characters, as the rest of the page
    assert "<td>千亿元产业集群数 · Industrial clusters over 100 billion yuan 2025</td>" in section
    assert "clusters_over_100bn 2025" not in section  # the figure by name, not by id
    assert (  # low → high, the repeated "met" once
        '<td class="gap-status"><span class="status status-not_met">未达成 · not met</span> → '
        '<span class="status status-met">已达成 · met</span></td>'
    ) in section
    assert 'title="东莞市政府工作报告: &lt;review&gt;">东莞市政府工作报告</td>' in section
    assert "<review>" not in section  # escaped


def test_landing_page_without_notebook_00_has_no_gaps_section(tmp_path):
    (tmp_path / "notebooks").mkdir()
    landing.write_index(tmp_path, "en")
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'id="gaps"' not in html and "#gaps" not in html
