"""Every command against bad input: exit status, the exact message, no traceback, nothing changed.

Each case runs `dgm.cli.main` in a private copy of the project (data/raw, a built data/processed
and an earlier report in reports/); every file and link of the project (a link by its target,
and a planted link's target by its bytes) must be byte-identical afterwards.
"""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import yaml
from projects import built_project, digest

from dgm import paths
from dgm.cli import main
from dgm.data import build
from dgm.run import outdir

CLI = Path(__file__).parent / "fixtures" / "bad" / "cli"
HEADER = "dgm assess: error: argument"
DUP = "indicator: duplicate row (expected one row per indicator, year, kind, source_id, vintage, value, got a repeat of line 2)"
URL = "url: bad format (expected a URL starting with http:// or https:// (or offline: and where the copy is)"
FUTURE = (
    "vintage: a publication date after today (expected a date on or before "
    f"{dt.date.today().isoformat()}, got '2030-12-31')"
)


def _place(name: str, as_name: str):
    """Setup: copy a fixture (a link stays a link) into data/raw under another name."""
    return lambda root: shutil.copy2(
        CLI / name, root / "data" / "raw" / as_name, follow_symlinks=False
    )


def _mkdir(relative: str):
    """Setup: a directory at `relative` in the project."""
    return lambda root: (root / relative).mkdir(parents=True)


def _link(relative: str, target: str):
    """Setup: `relative` in the project replaced by a link to `target` (relative to the project)."""

    def plant(root: Path) -> None:
        where = root / relative
        if where.is_dir() and not where.is_symlink():
            shutil.rmtree(where)
        elif os.path.lexists(where):
            where.unlink()
        where.symlink_to(root / target)

    return plant


def _fifo(relative: str):
    """Setup: a FIFO at `relative` in the project (opening it for writing would block)."""

    def plant(root: Path) -> None:
        (root / relative).unlink(missing_ok=True)
        os.mkfifo(root / relative)

    return plant


def _partial_open_to_others(root: Path) -> None:
    """Setup: `.reports.partial` as another local user could leave it: a sentinel anyone may edit."""
    work = root / ".reports.partial"
    work.mkdir()
    (work / ".dgm-report").write_text(outdir.WORK_HEADER + "\n")
    os.chmod(work / ".dgm-report", 0o666)


def _partial_of_another_user(root: Path) -> None:
    """Setup: `.reports.partial` with a valid sentinel, owned by another user (uid 65534)."""
    work = root / ".reports.partial"
    work.mkdir()
    (work / ".dgm-report").write_text(outdir.WORK_HEADER + "\n")
    os.chown(work / ".dgm-report", 65534, 65534)
    os.chown(work, 65534, 65534)


def _legacy_report_with_notes(root: Path) -> None:
    """Setup: old/, a report from before the sentinel (.gitignore mark), holding a user's notes."""
    (root / "old" / "notebooks").mkdir(parents=True)
    (root / "old" / ".gitignore").write_text("# written by dgm report\n*\n")
    (root / "old" / "index.html").write_text("an old report")
    (root / "old" / "notebooks" / "my_notes.txt").write_text("mine")


def _failed_run_with_a_user_file(root: Path) -> None:
    """Setup: reports.failed as a failed run left it, then a file of the user's put in it."""
    failed = root / "reports.failed"
    failed.mkdir()
    (failed / "index.html").write_text("a failed run")
    outdir.mark(failed)
    (failed / "what I found.txt").write_text("mine")


def _replace_processed_by_a_file(root: Path) -> None:
    """Setup: data/processed is a file, so the build cannot write there."""
    shutil.rmtree(root / "data" / "processed")
    (root / "data" / "processed").write_text("not a directory")


def _too_many_rows(root: Path) -> None:
    """Setup: observations_big.csv in the project, the header and 20,001 copies of one row."""
    lines = (CLI / "observations_many_duplicates.csv").read_text(encoding="utf-8").splitlines()
    text = "\n".join([lines[0]] + [lines[1]] * 20_001) + "\n"
    (root / "observations_big.csv").write_text(text, encoding="utf-8")


# id: (setup or None, argv ({fix} = fixtures dir), exit status, lines the output must hold ({root} = project)
CASES = {
    "import_empty_xlsx": (
        None,
        "import {fix}/empty.xlsx",
        1,
        ["{fix}/empty.xlsx:0:-: file is empty (expected an Excel .xlsx workbook, got 0 bytes)"],
    ),
    "import_truncated_xlsx": (
        None,
        "import {fix}/truncated.xlsx",
        1,
        [
            "{fix}/truncated.xlsx:0:-: file is a damaged or truncated .xlsx (expected a complete workbook; save it again)"
        ],
    ),
    "import_zip_not_workbook": (
        None,
        "import {fix}/not_a_workbook.xlsx",
        1,
        [
            "{fix}/not_a_workbook.xlsx:0:-: file is a zip archive but not an Excel workbook (expected an .xlsx file)"
        ],
    ),
    "import_csv_renamed_xlsx": (
        None,
        "import {fix}/csv_renamed.xlsx",
        1,
        [
            "{fix}/csv_renamed.xlsx:0:-: file is not an .xlsx workbook (expected a zip archive as Excel saves it; a CSV file must be named .csv)"
        ],
    ),
    "import_formula_cell": (
        None,
        "import {fix}/formula.xlsx",
        1,
        [
            "{fix}/formula.xlsx[observations]:2:C: a formula (expected a typed value; paste values only, got '=6800+27.67')"
        ],
    ),
    "import_fourteen_values": (
        None,
        "import {fix}/fourteen_values.xlsx",
        1,
        [
            "{fix}/fourteen_values.xlsx[observations]:2:-: row has 14 fields (expected 13, as in the header)"
        ],
    ),
    "import_unpacks_too_large": (
        None,
        "import {fix}/unpacks_too_large.xlsx",
        1,
        [
            "{fix}/unpacks_too_large.xlsx:0:-: workbook is too large (expected at most 50 MB unpacked, got 60 MB)"
        ],
    ),
    "import_hidden_sheet": (
        None,
        "import {fix}/hidden_sheet.xlsx",
        1,
        [
            "{fix}/hidden_sheet.xlsx[observations]:0:-: the sheet is hidden (expected a visible sheet: "
            "dgm imports only what Excel shows; unhide it, or delete it if it is not the data to import)"
        ],
    ),
    "import_very_hidden_sheet": (
        None,
        "import {fix}/very_hidden_sheet.xlsx",
        1,
        [
            "{fix}/very_hidden_sheet.xlsx[observations]:0:-: the sheet is very hidden (hidden by a macro) "
            "(expected a visible sheet: dgm imports only what Excel shows; unhide it, or delete it if "
            "it is not the data to import)"
        ],
    ),
    "import_future_vintage": (
        None,
        "import {fix}/observations_future_vintage.csv",
        1,
        ["{fix}/observations_future_vintage.csv:2:" + FUTURE],
    ),
    "check_future_vintage": (
        None,
        "check {fix}/observations_future_vintage.csv",
        1,
        ["{fix}/observations_future_vintage.csv:2:" + FUTURE],
    ),
    "build_future_vintage": (
        _place("observations_future_vintage.csv", "observations_later.csv"),
        "build",
        1,
        [
            "data/raw/observations_later.csv:2:" + FUTURE,
            "build stopped: 2 problem(s); data/processed left as it was",  # and no manifest
        ],
    ),
    "import_a_directory": (
        None,
        "import {fix}",
        1,
        ["{fix}:0:-: no such file (expected an .xlsx or .csv laid out like data/templates/)"],
    ),
    "check_system_text_file": (
        None,
        "check {fix}/passwd.txt",
        1,
        [
            "{fix}/passwd.txt:0:-: not a raw data file (expected a .csv file named after its table, e.g. observations_mine.csv)"
        ],
    ),
    "check_system_file_named_csv": (
        None,
        "check {fix}/observations_passwd.csv",
        1,
        [
            "{fix}/observations_passwd.csv:1:-: first line is not a header (expected the observations columns "
            "indicator,year,value,as_written,unit,kind,scope,price_basis,vintage,source_id,quote,reliability,note, optionally period, "
            "got a line of 31 characters naming none of them)"
        ],
    ),
    "check_manifest_given": (
        None,
        "check {fix}/observations.csv.yml",
        1,
        [
            "{fix}/observations.csv.yml:0:-: is a manifest (expected a raw .csv file; `dgm check observations.csv` checks it with its manifest)"
        ],
    ),
    "check_offline_formula_url": (
        None,
        "check {fix}/sources_offline_formula.csv",
        1,
        ["{fix}/sources_offline_formula.csv:2:" + URL + ", got 'offline:=cmd|' /C calc'!A0')"],
    ),
    "check_offline_empty_url": (
        None,
        "check {fix}/sources_offline_empty.csv",
        1,
        ["{fix}/sources_offline_empty.csv:2:" + URL + ", got 'offline:')"],
    ),
    "check_note_over_excel_limit": (
        None,
        "check {fix}/observations_long_note.csv",
        1,
        [
            "{fix}/observations_long_note.csv:2:note: cell too long (expected at most 32767 characters, got 40000)"
        ],
    ),
    "check_300_duplicates_capped": (
        None,
        "check {fix}/observations_many_duplicates.csv",
        1,
        [f"{{fix}}/observations_many_duplicates.csv:{n}:{DUP}" for n in range(3, 23)]
        + ["… and 279 more", "299 problem(s) in 1 file(s)"],
    ),
    "check_too_many_rows": (
        _too_many_rows,
        "check observations_big.csv",
        1,
        [
            "observations_big.csv:0:-: file has too many rows (expected at most 20000, got 20001); split it"
        ],
    ),
    "check_yaml_alias_bomb": (
        None,
        "check {fix}/observations_alias_bomb.csv",
        1,
        [
            "{fix}/observations_alias_bomb.csv.yml:0:-: manifest is not valid YAML (expected a mapping, got: YAML anchors and aliases (&, *) are not allowed)"
        ],
    ),
    "check_control_chars_escaped": (
        None,
        "check {fix}/observations_control_chars.csv",
        1,
        [
            "{fix}/observations_control_chars.csv:2:indicator: unknown indicator (expected an id from indicators.csv, got 'gdp\\x1b[2J"
            + "x" * 53
            + "…')"
        ],
    ),
    "check_dangling_link": (
        None,
        "check {fix}/observations_dangling.csv",
        1,
        ["{fix}/observations_dangling.csv:0:-: cannot read the file (a link to a missing file)"],
    ),
    "check_raw_dangling_link": (
        _place("observations_dangling.csv", "observations_gone.csv"),
        "check",
        1,
        ["data/raw/observations_gone.csv:0:-: cannot read the file (a link to a missing file)"],
    ),
    "build_raw_dangling_link": (
        _place("observations_dangling.csv", "observations_gone.csv"),
        "build",
        1,
        [
            "data/raw/observations_gone.csv:0:-: cannot read the file (a link to a missing file)",
            "build stopped: 2 problem(s); data/processed left as it was",
        ],
    ),
    "check_raw_directory": (
        _mkdir("data/raw/observations_dir.csv"),
        "check",
        1,
        ["data/raw/observations_dir.csv:0:-: cannot read the file (is a directory)"],
    ),
    "build_raw_directory": (
        _mkdir("data/raw/observations_dir.csv"),
        "build",
        1,
        ["data/raw/observations_dir.csv:0:-: cannot read the file (is a directory)"],
    ),
    "coverage_raw_directory": (
        _mkdir("data/raw/observations_dir.csv"),
        "coverage",
        1,
        [
            "{root}/data/raw/observations_dir.csv:0:-: cannot read the file (is a directory)",
            "dgm: 1 problem(s) in the raw data; `dgm check` lists them",
        ],
    ),
    "coverage_bad_cell": (
        _place("observations_bad_cell.csv", "observations_extra.csv"),
        "coverage",
        1,
        [
            "{root}/data/raw/observations_extra.csv:2:value: not a number (expected a decimal number, got 'abc')",
            "dgm: 1 problem(s) in the raw data; `dgm check` lists them",
        ],
    ),
    "assess_bad_cell": (
        _place("observations_bad_cell.csv", "observations_extra.csv"),
        "assess --paths 10",
        1,
        [
            "{root}/data/raw/observations_extra.csv:2:value: not a number (expected a decimal number, got 'abc')",
            "dgm: 1 problem(s) in the raw data; `dgm check` lists them",
        ],
    ),
    "targets_bad_cell": (
        _place("targets_bad_value.csv", "targets_extra.csv"),
        "targets",
        1,
        [
            "{root}/data/raw/targets_extra.csv:2:target_value: not a number (expected a decimal number, got '两万亿')",
            "dgm: 1 problem(s) in the raw data; `dgm check` lists them",
        ],
    ),
    "backtest_bad_cell": (
        _place("observations_bad_cell.csv", "observations_extra.csv"),
        "backtest",
        1,
        [
            "{root}/data/raw/observations_extra.csv:2:value: not a number (expected a decimal number, got 'abc')",
            "dgm: 1 problem(s) in the raw data; `dgm check` lists them",
        ],
    ),
    "backtest_as_of_999": (
        None,
        "backtest --as-of 999",
        1,
        ["dgm backtest: error: argument --as-of: expected a year from 1949 to 2100, got '999'"],
    ),
    "assess_seed_negative": (
        None,
        "assess --seed -1",
        1,
        [f"{HEADER} --seed: expected a whole number ≥ 0, got '-1'"],
    ),
    "assess_paths_negative": (
        None,
        "assess --paths -5",
        1,
        [f"{HEADER} --paths: expected a whole number ≥ 1, got '-5'"],
    ),
    "assess_paths_zero": (
        None,
        "assess --paths 0",
        1,
        [f"{HEADER} --paths: expected a whole number ≥ 1, got '0'"],
    ),
    "assess_as_of_999": (
        None,
        "assess --as-of 999",
        1,
        [f"{HEADER} --as-of: expected a year from 1949 to 2100, got '999'"],
    ),
    "assess_as_of_10000": (
        None,
        "assess --as-of 10000",
        1,
        [f"{HEADER} --as-of: expected a year from 1949 to 2100, got '10000'"],
    ),
    "build_processed_is_a_file": (
        _replace_processed_by_a_file,
        "build",
        1,
        [
            "dgm: build: data/processed is not a directory (expected dgm's own directory); nothing was changed"
        ],
    ),
    "build_generations_link_to_raw": (
        _link("data/processed/.generations", "data/raw"),
        "build",
        1,
        [
            "dgm: build: data/processed/.generations is a link (expected dgm's own directory; dgm never "
            "writes through a link: remove it); nothing was changed"
        ],
    ),
    "report_index_link_to_raw": (
        _link("reports/index.html", "data/raw/sources.csv"),
        "report --only 07",
        1,
        [
            "dgm: report --out reports: {root}/reports/index.html is a link (dgm writes its own files "
            "in a report directory; remove the link); nothing was changed"
        ],
    ),
    "report_gitignore_link_to_raw": (
        _link("reports/.gitignore", "data/raw/sources.csv"),
        "report",
        1,
        [
            "dgm: report --out reports: {root}/reports/.gitignore is a link (dgm writes its own files "
            "in a report directory; remove the link); nothing was changed"
        ],
    ),
    "report_executed_notebook_link_to_raw": (
        _link("reports/notebooks/07_policy_measures.ipynb", "data/raw/observations.csv"),
        "report --only 07",
        1,
        [
            "dgm: report --out reports: {root}/reports/notebooks/07_policy_measures.ipynb is a link "
            "(dgm writes its own files in a report directory; remove the link); nothing was changed"
        ],
    ),
    "report_figures_link_to_raw": (
        _link("reports/figures", "data/raw"),
        "report --only 07",
        1,
        [
            "dgm: report --out reports: {root}/reports/figures is a link (dgm writes its own files in "
            "a report directory; remove the link); nothing was changed"
        ],
    ),
    "report_out_link_to_raw": (
        _link("elsewhere", "data/raw"),
        "report --out elsewhere",
        1,
        [
            "dgm: report --out elsewhere: {root}/elsewhere is a link (expected a directory; dgm never "
            "writes through a link); nothing was changed"
        ],
    ),
    "report_partial_open_to_others": (
        _partial_open_to_others,
        "report --only 07",
        1,
        [
            "dgm: report --out reports: {root}/.reports.partial is not a directory dgm report created "
            "(its .dgm-report is writable by others); expected a new or empty directory; nothing was changed"
        ],
    ),
    "report_partial_of_another_user": (
        _partial_of_another_user,
        "report --only 07",
        1,
        [
            "dgm: report --out reports: {root}/.reports.partial is not a directory dgm report created "
            "(its .dgm-report belongs to another user); expected a new or empty directory; nothing was changed"
        ],
    ),
    "report_legacy_dir_with_user_notes": (
        _legacy_report_with_notes,
        "report --out old",
        1,
        [
            "dgm: report --out old: {root}/old is not a directory dgm report created (it has no "
            ".dgm-report: a report of an older dgm); remove it or choose another directory; nothing was changed"
        ],
    ),
    "report_failed_holds_a_user_file": (
        _failed_run_with_a_user_file,
        "report --only 07",
        1,
        [
            "dgm: report --out reports: {root}/reports.failed holds files dgm did not write "
            "(what I found.txt); move them out of it; nothing was changed"
        ],
    ),
    "report_out_empty": (
        None,
        ["report", "--out", ""],
        1,
        [
            "dgm: report --out '': is empty (expected a directory, e.g. reports/); nothing was changed"
        ],
    ),
    "explore_port_too_large": (
        None,
        "explore --port 65536",
        1,
        [
            "dgm explore: error: argument --port: expected a port from 0 to 65535 (0: any free port), got '65536'"
        ],
    ),
    "explore_port_negative": (
        None,
        "explore --port -1",
        1,
        [
            "dgm explore: error: argument --port: expected a port from 0 to 65535 (0: any free port), got '-1'"
        ],
    ),
    "report_jobs_zero": (
        None,
        "report --jobs 0",
        1,
        ["dgm report: error: argument --jobs: expected a whole number ≥ 1, got '0'"],
    ),
    "report_out_data": (
        None,
        "report --out data",
        1,
        [
            "dgm: report --out data: is inside data/ (expected a directory outside data/, e.g. reports/); nothing was changed"
        ],
    ),
    "report_out_existing_file": (
        lambda root: (root / "a_file").write_text("mine"),
        "report --out a_file",
        1,
        [
            "dgm: report --out a_file: {root}/a_file exists and is not a directory (expected a directory); nothing was changed"
        ],
    ),
    "report_out_under_a_file": (
        lambda root: (root / "a_file").write_text("mine"),
        "report --out a_file/sub",
        1,
        [
            "dgm: report --out a_file/sub: {root}/a_file is a file (expected a directory to write in); nothing was changed"
        ],
    ),
}


def _digest(root: Path) -> dict[str, str]:
    """The whole project (data/raw, data/processed, reports/ and what is beside it): every entry
    with its mode, owner and the hash of its bytes (a link by its target, never followed)."""
    return digest(root, modes=True)


def earlier_report(reports: Path) -> None:
    """A report dgm made earlier in `reports` (pages, an executed notebook, a figure, sentinel)."""
    (reports / "notebooks").mkdir(parents=True)
    (reports / "figures").mkdir()
    (reports / "index.html").write_text("<p>the earlier report</p>")
    (reports / ".gitignore").write_text("# written by dgm report\n*\n")
    (reports / "07_policy_measures.html").write_text("<p>measures</p>")
    (reports / "notebooks" / "07_policy_measures.ipynb").write_text("{}")
    (reports / "figures" / "07_measures.png").write_bytes(b"\x89PNG")
    outdir.mark(reports)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A project with data/raw, a data/processed built from it and an earlier report in reports/,
    to be copied per case."""
    root = built_project(tmp_path_factory.mktemp("built") / "project")
    earlier_report(root / "reports")
    return root


@pytest.fixture
def project(built, tmp_path, point_dgm_at):
    """A private copy of the built project, with every dgm path pointing into it."""
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return point_dgm_at(root)


def test_there_are_at_least_40_bad_input_fixtures():
    fixtures = [p for p in CLI.parent.rglob("*") if p.name != "README.md" and not p.is_dir()]
    assert len(fixtures) >= 40


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gets_its_message_and_changes_nothing(case, project, capsys):
    setup, argv, status, lines = CASES[case]
    if setup:
        setup(project)
    before = _digest(project)
    argv = argv.format(fix=CLI).split() if isinstance(argv, str) else argv
    try:
        code = main(argv)
    except SystemExit as usage:  # argparse refuses a flag value: one line, exit 1
        code = usage.code
    out, err = capsys.readouterr()
    printed = (out + err).splitlines()
    expected = [line.format(fix=CLI, root=project) for line in lines]
    assert code == status, out + err
    assert [line for line in expected if line not in printed] == [], out + err
    assert "Traceback" not in out + err
    assert _digest(project) == before


@pytest.mark.parametrize("stem", ["Yearbook: 2024", "Yearbook\n2024", "year: &a [*a]"])
def test_any_file_name_makes_a_valid_manifest(stem, project, tmp_path, capsys):
    source = tmp_path / f"{stem}.csv"
    shutil.copyfile(CLI / "observations_new_vintage.csv", source)
    assert main(["import", str(source)]) == 0, capsys.readouterr()
    manifest = project / "data" / "raw" / "observations_yearbook_2024.csv.yml"
    if stem.startswith("year:"):
        manifest = project / "data" / "raw" / "observations_year_a_a.csv.yml"
    meta = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert meta["file"] == manifest.name.removesuffix(".yml")
    assert f"from {stem}.csv on " in meta["description"]
    capsys.readouterr()
    assert main(["check"]) == 0, capsys.readouterr().out
    assert main(["build"]) == 0


def test_debug_flag_keeps_the_traceback(project):
    from dgm.data.rawio import DataError

    _place("observations_bad_cell.csv", "observations_extra.csv")(project)
    with pytest.raises(DataError, match="observations_extra.csv:2:value: not a number"):
        main(["--debug", "coverage"])


def test_an_unexpected_error_is_one_line_naming_it_a_bug(monkeypatch, capsys):
    from dgm.cli import targets

    def boom(args):
        raise TypeError("boom\nsecond line")

    monkeypatch.setattr(targets, "run", boom)
    assert main(["targets"]) == 1
    assert capsys.readouterr().err == (
        "dgm: unexpected error TypeError: boom\\nsecond line "
        "(this is a bug in dgm; rerun with --debug for the traceback)\n"
    )


def _denied(real, path_to_deny: Path):
    """A Path method that raises PermissionError for one path (tests run as root ignore chmod)."""

    def method(self, *args, **kwargs):
        if Path(self).name == path_to_deny.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    return method


def test_unreadable_raw_file_is_one_problem(project, monkeypatch, capsys):
    target = project / "data" / "raw" / "sources.csv"
    before = _digest(project)
    with monkeypatch.context() as patch:
        patch.setattr(Path, "read_bytes", _denied(Path.read_bytes, target))
        assert main(["check"]) == 1
        out = capsys.readouterr().out
        assert main(["build"]) == 1
    assert "data/raw/sources.csv:0:-: cannot read the file (permission denied)" in out.splitlines()
    assert _digest(project) == before


def test_unwritable_raw_refuses_the_import_and_leaves_nothing(project, monkeypatch, capsys):
    target = project / "data" / "raw" / "observations_mine.csv.yml"
    before = _digest(project)

    def denied(
        self, data
    ):  # the manifest's temporary file (.dgm-tmp.XXXXXXXX.NAME) cannot be written
        if self.name.endswith(target.name):
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, data)

    real = Path.write_bytes
    monkeypatch.setattr(Path, "write_bytes", denied)
    assert main(["import", str(CLI / "observations_new_vintage.csv"), "--name", "mine"]) == 1
    assert capsys.readouterr().err == (
        f"dgm: import: cannot write {target} (permission denied); data/raw left as it was\n"
    )
    assert _digest(project) == before  # the data file written before the manifest is gone again


def test_a_failed_rename_takes_back_the_files_already_renamed(project, monkeypatch, capsys):
    from dgm.data import atomic

    target = project / "data" / "raw" / "observations_mine.csv.yml"
    before = _digest(project)

    def replace(src, dst):
        if Path(dst) == target:  # the data file is in place already; its manifest fails
            raise PermissionError(13, "Permission denied")
        return real(src, dst)

    real = os.replace
    monkeypatch.setattr(atomic.os, "replace", replace)
    assert main(["import", str(CLI / "observations_new_vintage.csv"), "--name", "mine"]) == 1
    assert capsys.readouterr().err == (
        f"dgm: import: cannot write {target} (permission denied); data/raw left as it was\n"
    )
    assert _digest(project) == before


def test_report_out_in_an_unwritable_directory_is_refused(project, monkeypatch, capsys):
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    before = _digest(project)
    assert main(["report", "--out", "reports"]) == 1
    assert capsys.readouterr().err == (
        f"dgm: report --out reports: cannot write in {project} (permission denied); nothing was changed\n"
    )
    assert _digest(project) == before


def test_a_current_link_to_itself_is_replaced_by_the_build_saying_so(project, capsys):
    current = project / "data" / "processed" / build.CURRENT
    current.unlink()
    current.symlink_to(build.CURRENT)  # a link to itself: resolving it loops
    raw = _digest(project / "data" / "raw")
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    assert err == (
        "dgm build: data/processed/.current was a link to '.current', not to a generation; "
        "this build replaces it\n"
    )
    assert "Traceback" not in out + err
    assert build.current_generation(project / "data" / "processed") is not None
    assert (project / "data" / "processed" / "panel.csv").read_text().startswith("indicator,")
    assert _digest(project / "data" / "raw") == raw


def test_a_users_file_named_like_a_temporary_file_is_kept(project, capsys):
    mine = project / "data" / "processed" / ".x.csv.abcdefgh"
    mine.write_text("mine")
    assert main(["build"]) == 0, capsys.readouterr()
    assert mine.read_text() == "mine"


def test_dgm_root_that_is_no_directory_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("DGM_ROOT", "/nonexistent")
    assert main(["assess"]) == 1
    assert capsys.readouterr().err == (
        "dgm: DGM_ROOT=/nonexistent is not a directory (expected the project directory, the one "
        "holding data/raw; or leave DGM_ROOT unset)\n"
    )


def test_a_project_without_raw_data_is_one_line(tmp_path, point_dgm_at, capsys):
    point_dgm_at(tmp_path)
    assert main(["targets"]) == 1
    assert capsys.readouterr().err == (
        f"dgm: no targets.csv in {tmp_path}/data/raw (expected the project's raw data there; "
        "is DGM_ROOT the project directory?)\n"
    )


def test_an_ascii_terminal_gets_escapes_and_one_line_saying_so():
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "dgm", "targets", "--wide"],
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        capture_output=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.decode("ascii") == (
        "dgm: the output encoding ascii cannot show Chinese; it is shown as \\u escapes "
        "(set PYTHONIOENCODING=utf-8 or a UTF-8 locale)\n"
    )
    out = run.stdout.decode("ascii")  # every byte is ASCII
    assert "\\u4ebf\\u5143" in out  # 亿元, the two-trillion goal's unit, escaped


def test_commands_ignore_dgm_results(project, tmp_path, monkeypatch, capsys):
    """A store holding no goal at all under the exact key `dgm assess --paths 200` asks for (as
    an edited store could hold any verdicts) is not read by the command: DGM_RESULTS is for the
    kernels a report starts, never for a command."""
    import json

    from dgm.data import results_store
    from dgm.engine import assess

    store = tmp_path / "store"
    with results_store.writing(store):
        results_store.save(assess.assessments, (None, 200, 2015, None), {}, [])
    with results_store.reading(store):  # the doctored entry is there, under the command's key
        assert assess.assess_all(n_paths=200, seed=2015) == []
    monkeypatch.setenv(results_store.ENV, str(store))
    assert main(["assess", "--paths", "200", "--seed", "2015", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 21  # computed, every goal
    assert results_store.ENV not in os.environ  # dropped for anything the command starts, too


def test_no_pickle_is_loaded_anywhere_in_dgm():
    """No code path unpickles: the results store is .npz read with allow_pickle=False."""
    import re

    package = Path(paths.__file__).parent
    loads = re.compile(r"pickle\.loads?\(|read_pickle|allow_pickle=True|import pickle|joblib\.load")
    found = [
        f"{p.relative_to(package)}:{n}"
        for p in sorted(package.rglob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if loads.search(line)
    ]
    assert found == []


@pytest.mark.parametrize("plant", ["link", "fifo"])
def test_a_lock_named_file_in_processed_is_never_opened(plant, project):
    """Older builds locked data/processed/.lock; a link there (to a raw file) or a FIFO is never
    opened now (the project lock is the data/processed directory): the build runs, its target
    keeps every byte, and nothing waits on the FIFO (run as a process: a hang would end there)."""
    import subprocess
    import sys

    lock = project / "data" / "processed" / ".lock"
    lock.unlink(missing_ok=True)
    target = project / "data" / "raw" / "observations.csv"
    before = target.read_bytes()
    if plant == "link":
        lock.symlink_to(target)
    else:
        os.mkfifo(lock)
    run = subprocess.run(
        [sys.executable, "-m", "dgm", "build"],
        env={**os.environ, "DGM_ROOT": str(project)},
        capture_output=True,
        text=True,
        timeout=120,  # a build that opened the FIFO would hang here
    )
    assert (run.returncode, run.stderr) == (0, ""), run.stderr
    assert "Traceback" not in run.stdout
    assert target.read_bytes() == before
    assert lock.is_symlink() if plant == "link" else lock.is_fifo()
