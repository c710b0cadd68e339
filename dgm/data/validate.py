"""Raw files → list of problems (`FILE:ROW:COLUMN: what is wrong (expected …, got …)`); `dgm check`.

A directory is checked as one dataset (cross-file references included); a single file is checked
against the catalogue in data/raw for its references. Nothing is ever written.
"""

import datetime as dt
import hashlib
import os
import re
from pathlib import Path

import pandas as pd

from dgm import paths
from dgm.data.numbers import FigureError, matches
from dgm.data.rawio import Problem, first_day, is_date, read_table
from dgm.data.schemas import TABLES, Col, Table, table_for
from dgm.errors import excerpt

MANIFEST_KEYS = ("description", "sha256")
MANIFEST_MAX_BYTES = 64_000


def _rule_checks(col: str, spec: Col) -> list:
    """pandera checks for one column's value rules (types were already enforced by rawio.typed)."""
    import pandera.pandas as pa

    checks = []
    if spec.choices:
        checks.append(pa.Check.isin(list(spec.choices), error=f"expected {spec.expected()}"))
    if spec.range:
        checks.append(
            pa.Check.in_range(*spec.range, error=f"out of range (expected {spec.expected()}")
        )
    if spec.pattern:
        checks.append(
            pa.Check.str_matches(spec.pattern, error=f"bad format (expected {spec.expected()}")
        )
    if spec.max_len:
        checks.append(
            pa.Check.str_length(
                max_value=spec.max_len,
                error=f"too long (expected at most {spec.max_len} characters",
            )
        )
    return checks


def schema(table: Table):
    """The pandera schema of a raw table's value rules (nullable: missing values are reported by rawio)."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {c: pa.Column(checks=_rule_checks(c, s), nullable=True) for c, s in table.columns.items()},
        strict=True,
    )


def check_rules(frame: pd.DataFrame, table: Table, name: str) -> list[Problem]:
    """Enumerations, ranges, formats and lengths, via pandera; one problem per failing cell."""
    import pandera.errors

    try:
        schema(table).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as err:
        problems = []
        for case in err.failure_cases.itertuples():
            got = excerpt(case.failure_case)
            if case.check.startswith("expected"):
                message = f"not allowed ({case.check}, got '{got}')"
            elif case.check.startswith("too long"):
                message = f"{case.check}, got {len(str(case.failure_case))})"
            else:
                message = f"{case.check}, got '{got}')"
            problems.append(Problem(name, int(case.index), str(case.column), message))
        return problems
    return []


def check_duplicates(frames: list[tuple[str, pd.DataFrame]], table: Table) -> list[Problem]:
    """Rows that repeat the identifying columns of an earlier row, within a file or across the dataset."""
    seen: dict[tuple, tuple[str, int]] = {}
    label = ", ".join(table.key)
    problems = []
    for name, frame in frames:
        for line, key in zip(
            frame.index, frame[list(table.key)].itertuples(index=False, name=None), strict=True
        ):
            key = tuple(None if pd.isna(k) else k for k in key)
            if key not in seen:
                seen[key] = (name, int(line))
                continue
            file, first = seen[key]
            where = f"line {first}" if file == name else f"{file} line {first}"
            problems.append(
                Problem(
                    name,
                    int(line),
                    table.key[0],
                    f"duplicate row (expected one row per {label}, got a repeat of {where})",
                )
            )
    return problems


# Wording that fixes a figure's kind (docs/data-model.md): a bound word next to the figure, an
# approximation word next to it, a preliminary word earlier in its sentence. Plan targets are exempt.
BOUND_BEFORE = ("超过", "突破", "超", "逾", "高于", "不低于")
BOUND_AFTER = ("以上", "多", "余")
UPPER_BEFORE = ("不到", "不足", "低于", "不超过")
UPPER_AFTER = ("以下",)
APPROX_BEFORE = ("约", "近", "大约")
APPROX_AFTER = ("左右", "上下")
PRELIMINARY = ("预计", "預計", "初步", "初步核算", "快报", "快報")
SENTENCE_END = "。；;!?！？"


def _token_at(written: str, quote: str) -> list[int]:
    """Where `written` stands in `quote` as a whole figure (not the tail or head of a longer number)."""
    starts = []
    for m in re.finditer(re.escape(written), quote):
        before, after = quote[: m.start()], quote[m.end() :]
        if written[:1].isdigit() and re.search(r"(\d|\d[.,，]|[.])$", before):
            continue
        if written[-1:].isdigit() and re.match(r"(\d|[.,，]\d)", after):
            continue
        starts.append(m.start())
    return starts


def wording_kinds(written: str, quote: str, start: int) -> tuple[str, tuple[str, ...]] | None:
    """The word of the quote that fixes the kind of the figure at `start`, and the kinds it allows:
    a bound word touching the figure, else an approximation word touching it, else a preliminary
    word earlier in its sentence; None when the wording says nothing."""
    before = quote[:start].rstrip(" 了达到至")
    after = quote[start + len(written) :]
    sentence = re.split(f"[{SENTENCE_END}]", quote[:start])[-1]
    preliminary = next((w for w in PRELIMINARY if w in sentence), None)
    for words, kinds in (
        (BOUND_BEFORE, ("lower_bound",)),
        (UPPER_BEFORE, ("upper_bound",)),
        (APPROX_BEFORE, ("approx", "estimate")),
    ):
        for w in words:
            if before.endswith(w) or written.startswith(w):
                return w, kinds
    for words, kinds in (
        (BOUND_AFTER, ("lower_bound",)),
        (UPPER_AFTER, ("upper_bound",)),
        (APPROX_AFTER, ("approx", "estimate")),
    ):
        for w in words:
            if after.startswith(w) or written.endswith(w) or re.search(rf"\d{w}", written):
                return w, kinds
    return (preliminary, ("estimate",)) if preliminary else None


def unknown_indicator(name: str, line: int, ind) -> Problem:
    """The problem of a row naming an indicator the catalogue does not have."""
    return Problem(
        name,
        line,
        "indicator",
        f"unknown indicator (expected an id from indicators.csv, got '{excerpt(ind)}')",
    )


def check_observation_rows(
    frame: pd.DataFrame, name: str, units: dict, sources: set, ranges: dict | None = None
) -> list[Problem]:
    """Each figure: known indicator and source, the catalogue unit, as_written a whole figure in the
    quote and equal to value, a kind the wording allows, a vintage not before its year nor after
    today, and a value in the indicator's plausible range."""
    problems = []
    ranges = ranges or {}
    for line, row in frame.iterrows():
        line = int(line)
        problems += _row_checks(row, name, line, ranges)
        ind, unit = row["indicator"], row["unit"]
        if pd.notna(ind) and ind not in units:
            problems.append(unknown_indicator(name, line, ind))
        elif pd.notna(unit) and pd.notna(ind) and unit != units[ind]:
            problems.append(
                Problem(
                    name,
                    line,
                    "unit",
                    f"wrong unit for {ind} (expected '{units[ind]}', got '{excerpt(unit)}')",
                )
            )
        if pd.notna(row["source_id"]) and row["source_id"] not in sources:
            problems.append(
                Problem(
                    name,
                    line,
                    "source_id",
                    f"unknown source (expected a source_id from sources.csv, got '{excerpt(row['source_id'])}')",
                )
            )
        written, quote = row["as_written"], row["quote"]
        if pd.isna(written) or pd.isna(quote):
            continue
        if written not in quote:
            problems.append(
                Problem(
                    name,
                    line,
                    "quote",
                    f"quote does not contain the figure (expected the text '{written}' in the quote, got '{excerpt(quote[:60])}…')",
                )
            )
        elif not (starts := _token_at(written, quote)):
            inside = _enclosing_number(written, quote)
            problems.append(
                Problem(
                    name,
                    line,
                    "as_written",
                    f"figure is part of a longer number in the quote (expected '{written}' as a whole number, got it inside '{inside}')",
                )
            )
        elif row["kind"] in KINDS_CHECKED and (said := wording_kinds(written, quote, starts[0])):
            word, kinds = said
            if row["kind"] not in kinds:
                problems.append(
                    Problem(
                        name,
                        line,
                        "kind",
                        f"kind does not fit the wording (expected {' or '.join(kinds)} for '{word}' beside '{written}', got '{row['kind']}')",
                    )
                )
        unit = units.get(
            ind, unit
        )  # read the figure in the catalogue unit (a wrong unit is reported above)
        if pd.isna(row["value"]) or pd.isna(unit):
            continue
        try:
            if not matches(row["value"], written, unit, context=quote):
                problems.append(
                    Problem(
                        name,
                        line,
                        "value",
                        f"value does not match as_written (expected the number '{written}' states in {unit}, got {row['value']:g})",
                    )
                )
        except FigureError as err:
            problems.append(
                Problem(
                    name,
                    line,
                    "as_written",
                    f"cannot read the figure (expected {err.expected}, got '{written}')",
                )
            )
    return problems


KINDS_CHECKED = ("exact", "lower_bound", "upper_bound", "approx", "estimate")


def _enclosing_number(written: str, quote: str) -> str:
    """The longer figure in `quote` that holds `written` (for the error message)."""
    i = quote.find(written)
    start, end = i, i + len(written)
    number = re.compile(r"\d|[.,，](?=\d)")
    while start > 0 and (quote[start - 1].isdigit() or quote[start - 1] in ".,，"):
        start -= 1
    while end < len(quote) and number.match(quote, end):
        end += 1
    return quote[start:end]


def _row_checks(row: pd.Series, name: str, line: int, ranges: dict) -> list[Problem]:
    """A figure's vintage against its year and today, and its value against the indicator's
    plausible range."""
    problems = []
    vintage, year, kind = row["vintage"], row["year"], row["kind"]
    if pd.notna(vintage) and (first_day(vintage) or dt.date.min) > dt.date.today():
        problems.append(
            Problem(
                name,
                line,
                "vintage",
                f"a publication date after today (expected a date on or before "
                f"{dt.date.today().isoformat()}, got '{vintage}')",
            )
        )
    dated = pd.notna(vintage) and is_date(vintage) and pd.notna(year)
    if dated and kind != "plan_target" and int(vintage[:4]) < year:
        problems.append(
            Problem(
                name,
                line,
                "vintage",
                f"published before the year it describes (expected a date in {year} or later, got '{vintage}')",
            )
        )
    low, high = ranges.get(row["indicator"], (None, None))
    value = row["value"]
    if pd.notna(value) and (
        (low is not None and value < low) or (high is not None and value > high)
    ):
        span = f"{low:g} to {high:g}" if high is not None else f"at least {low:g}"
        problems.append(
            Problem(
                name,
                line,
                "value",
                f"outside the plausible range of {row['indicator']} (expected {span}, as in indicators.csv, got {value:g})",
            )
        )
    return problems


def check_sources_unique(frames: list[tuple[str, pd.DataFrame]]) -> list[Problem]:
    """One source, one id: no address registered under two source_ids."""
    seen: dict[str, str] = {}
    problems = []
    for name, frame in frames:
        for line, row in frame.iterrows():
            url, sid = row["url"], row["source_id"]
            if pd.isna(url) or pd.isna(sid) or url.startswith("offline:"):
                continue
            if url in seen and seen[url] != sid:
                problems.append(
                    Problem(
                        name,
                        int(line),
                        "url",
                        f"address already registered (expected one source_id per url, got '{sid}' for the url of '{seen[url]}')",
                    )
                )
            seen.setdefault(url, sid)
    return problems


def check_one_grade(frames: list[tuple[str, pd.DataFrame]]) -> list[Problem]:
    """One source, one grade: every figure from a source_id carries the same reliability."""
    first: dict[str, tuple[str, str, int]] = {}
    problems = []
    for name, frame in frames:
        for line, row in frame.iterrows():
            sid, grade = row["source_id"], row["reliability"]
            if pd.isna(sid) or pd.isna(grade):
                continue
            if sid not in first:
                first[sid] = (grade, name, int(line))
                continue
            want, file, at = first[sid]
            if grade != want:
                where = f"line {at}" if file == name else f"{file} line {at}"
                problems.append(
                    Problem(
                        name,
                        int(line),
                        "reliability",
                        f"grade differs within one source (expected '{want}' for {sid}, as on {where}, got '{grade}')",
                    )
                )
    return problems


def check_target_rows(frame: pd.DataFrame, name: str, units: dict) -> list[Problem]:
    """Each goal names a known indicator in its catalogue unit."""
    problems = []
    for line, row in frame.iterrows():
        ind = row["indicator"]
        if pd.notna(ind) and ind not in units:
            problems.append(unknown_indicator(name, int(line), ind))
        elif pd.notna(ind) and pd.notna(row["unit"]) and row["unit"] != units[ind]:
            problems.append(
                Problem(
                    name,
                    int(line),
                    "unit",
                    f"wrong unit for {ind} (expected '{units[ind]}', got '{row['unit']}')",
                )
            )
        proxy = row.get("proxy")
        if pd.notna(proxy) and units.get(proxy) != units.get(ind):
            problems.append(
                Problem(
                    name,
                    int(line),
                    "proxy",
                    f"proxy must be an indicator of indicators.csv in {ind}'s unit "
                    f"'{units.get(ind)}' (got '{proxy}')",
                )
            )
    return problems


def check_publication_rows(
    frame: pd.DataFrame, name: str, units: dict, sources: set
) -> list[Problem]:
    """Each place of publication names a known indicator and its own source: a known source_id, an
    address, or both."""
    problems = []
    for line, row in frame.iterrows():
        ind, sid = row["indicator"], row["source_id"]
        if pd.notna(ind) and ind not in units:
            problems.append(unknown_indicator(name, int(line), ind))
        if pd.notna(sid) and sid not in sources:
            problems.append(
                Problem(
                    name,
                    int(line),
                    "source_id",
                    f"unknown source (expected a source_id from sources.csv, got '{excerpt(sid)}')",
                )
            )
        if pd.isna(sid) and pd.isna(row["url"]):
            problems.append(
                Problem(
                    name,
                    int(line),
                    "source_id",
                    "no source (expected a source_id from sources.csv or a url, got neither)",
                )
            )
    return problems


def check_measure_rows(frame: pd.DataFrame, name: str, targets: set) -> list[Problem]:
    """Each measure's `serves_targets` lists known goal ids separated by `;`."""
    problems = []
    for line, cell in frame["serves_targets"].dropna().items():
        for tid in (t.strip() for t in cell.split(";")):
            if tid and tid not in targets:
                problems.append(
                    Problem(
                        name,
                        int(line),
                        "serves_targets",
                        f"unknown goal (expected ids from targets.csv, got '{tid}')",
                    )
                )
    return problems


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_manifest(path: Path):
    """A manifest's YAML (safe loader), refusing files over MANIFEST_MAX_BYTES and anchors/aliases
    (an alias can expand a few hundred bytes into gigabytes; manifests never need one)."""
    import yaml

    if path.stat().st_size > MANIFEST_MAX_BYTES:
        raise ValueError(f"file is larger than {MANIFEST_MAX_BYTES // 1000} KB")
    text = path.read_text(encoding="utf-8")
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ValueError("YAML anchors and aliases (&, *) are not allowed")
    return yaml.safe_load(text)


def check_manifest(path: Path, name: str) -> list[Problem]:
    """Every raw file has `<file>.yml` beside it with a description and the file's current checksum."""
    import yaml

    manifest = path.with_name(path.name + ".yml")
    mname = name + ".yml"
    if not manifest.exists():
        return [Problem(name, 0, "-", f"no manifest (expected {manifest.name} beside the file)")]
    try:
        meta = load_manifest(manifest)
    except (yaml.YAMLError, UnicodeDecodeError, OSError, ValueError) as err:
        return [
            Problem(
                mname,
                0,
                "-",
                f"manifest is not valid YAML (expected a mapping, got: {excerpt(str(err).splitlines()[0], 120)})",
            )
        ]
    if not isinstance(meta, dict):
        return [
            Problem(
                mname,
                0,
                "-",
                f"manifest is not a mapping (expected keys {', '.join(MANIFEST_KEYS)})",
            )
        ]
    problems = [
        Problem(mname, 0, k, f"missing key (expected '{k}' in the manifest)")
        for k in MANIFEST_KEYS
        if k not in meta
    ]
    try:
        actual = sha256(path)
    except OSError:  # an unreadable file: reading it reports why
        return problems
    if "sha256" in meta and str(meta["sha256"]) != actual:
        problems.append(
            Problem(
                mname,
                0,
                "sha256",
                f"checksum does not match the file (expected {actual}, got {excerpt(meta['sha256'])}); the raw file changed",
            )
        )
    return problems


def _display(path: Path) -> str:
    """A path as the user will recognise it: relative to the working directory when possible."""
    try:  # absolute without following links: a link is named as the user sees it
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _raw_files(directory: Path) -> list[Path]:
    """Data files of a raw directory (manifests excluded), sorted: every file, link, and any
    directory named like a CSV file, so that `check` sees whatever the loaders would try to read."""
    found = []
    for p in directory.rglob("*"):
        parts = p.relative_to(directory).parts
        if p.suffix == ".yml" or any(part.startswith(".") for part in parts):
            continue
        if any(part.endswith(".csv") for part in parts[:-1]):
            continue  # inside a directory named like a CSV file: that directory is the problem
        if p.is_symlink() or p.is_file() or p.suffix == ".csv":
            found.append(p)
    return sorted(found)


def _reference(frames: dict, table: str, column: str, reference_dir: Path) -> set:
    """Known ids of a referenced table: those of the dataset itself and of the reference directory."""
    known = set() if frames.get(table) is None else set(frames[table][column].dropna())
    path = reference_dir / f"{table}.csv"
    if path.exists():
        frame, _ = read_table(path, TABLES[table])
        known |= set() if frame is None else set(frame[column].dropna())
    return known


def check_dataset(
    files: list[Path],
    manifests: bool = True,
    reference_dir: Path | None = None,
    names: dict | None = None,
) -> list[Problem]:
    """Check files as one dataset: each table, its rules, duplicates, cross-file references, manifests.

    `names` maps a file to the name problems should carry (e.g. the workbook a temp file came from).
    """
    reference_dir = reference_dir or paths.RAW
    names = names or {}
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame | None] = {}
    tables: list[tuple[Path, str, Table, pd.DataFrame]] = []
    for path in files:
        name = names.get(path, _display(path))
        if manifests:
            problems += check_manifest(path, name)
        if path.suffix != ".csv":
            continue
        table = table_for(path.name)
        if table is None:
            known = ", ".join(TABLES)
            problems.append(
                Problem(
                    name,
                    0,
                    "-",
                    f"unknown table (expected a file name starting with one of {known}, got {path.name})",
                )
            )
            continue
        frame, more = read_table(path, table, name)
        problems += more
        if frame is None:
            continue
        problems += check_rules(frame, table, name)
        frames[table.name] = (
            pd.concat([frames[table.name], frame]) if frames.get(table.name) is not None else frame
        )
        tables.append((path, name, table, frame))
    indicators = frames.get("indicators")
    if indicators is None:
        ref, _ = read_table(reference_dir / "indicators.csv", TABLES["indicators"])
        indicators = ref
    units = (
        {} if indicators is None else dict(zip(indicators["id"], indicators["unit"], strict=True))
    )
    ranges = (
        {}
        if indicators is None
        else {
            i: (None if pd.isna(lo) else lo, None if pd.isna(hi) else hi)
            for i, lo, hi in zip(
                indicators["id"], indicators["min"], indicators["max"], strict=True
            )
        }
    )
    sources = _reference(frames, "sources", "source_id", reference_dir)
    targets = _reference(frames, "targets", "id", reference_dir)
    for table in {t.name: t for _, _, t, _ in tables}.values():
        problems += check_duplicates(
            [(name, frame) for _, name, t, frame in tables if t is table], table
        )
    by_table = {
        t: [(name, frame) for _, name, table, frame in tables if table.name == t]
        for t in ("sources", "observations")
    }
    problems += check_sources_unique(by_table["sources"])
    problems += check_one_grade(by_table["observations"])
    for _, name, table, frame in tables:
        if table.name == "observations":
            problems += check_observation_rows(frame, name, units, sources, ranges)
        elif table.name == "targets":
            problems += check_target_rows(frame, name, units)
        elif table.name == "measures":
            problems += check_measure_rows(frame, name, targets)
        elif table.name == "publications":
            problems += check_publication_rows(frame, name, units, sources)
    return problems


def check_paths(targets: list[str | Path]) -> tuple[list[Problem], int]:
    """Check each path (a directory as one dataset); return the problems and the number of files read."""
    problems, count = [], 0
    for target in targets:
        target = Path(target)
        if target.is_dir():
            files = _raw_files(target)
            problems += check_dataset(files, manifests=True, reference_dir=target)
        elif target.suffix != ".csv" and (target.is_file() or target.is_symlink()):
            files = [target]
            why = (
                f"is a manifest (expected a raw .csv file; `dgm check {target.name.removesuffix('.yml')}` checks it with its manifest)"
                if target.suffix == ".yml"
                else "not a raw data file (expected a .csv file named after its table, e.g. observations_mine.csv)"
            )
            problems.append(Problem(str(target), 0, "-", why))
        elif target.is_file() or target.is_symlink():
            files = [target]
            problems += check_dataset(
                files, manifests=target.with_name(target.name + ".yml").exists()
            )
        else:
            problems.append(
                Problem(
                    str(target),
                    0,
                    "-",
                    "no such file or directory (expected a raw CSV file or a directory)",
                )
            )
            files = []
        count += len(files)
    # whole-file problems first: an unreadable file explains the problems it causes elsewhere
    return sorted(
        set(problems), key=lambda p: (p.row > 0, p.file, p.row, p.column, p.message)
    ), count


def identity_warnings(targets: list[str | Path]) -> list[str]:
    """dgm.data.identities' warnings for each directory checked that holds a dataset (observations and
    sources): identities its chosen figures break beyond rounding, never a problem."""
    from dgm.data import identities

    out = []
    for target in map(Path, targets):
        if target.is_dir() and (target / "observations.csv").is_file():
            out += identities.warnings(target, display=_display)
    return out
