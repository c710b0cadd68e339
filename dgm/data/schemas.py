"""Column specifications of every raw table (the one definition that loaders and `dgm check` share)."""

from dataclasses import dataclass

YEARS = (1978, 2030)
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
KINDS = ("exact", "lower_bound", "upper_bound", "approx", "estimate", "plan_target")
RELIABILITY = ("A", "B", "C", "D")
PRICE_BASIS = ("current", "comparable")
DIRECTIONS = ("higher_is_better", "lower_is_better")
COMPARISONS = (">=", ">", "<=", "<", "~")
TARGET_KINDS = ("level", "share", "count", "index", "growth_rate", "reduction_vs_baseline")
QUOTE_MAX = 200
# What span a figure covers: `year` (a flow over the calendar year or a stock at its end; the
# default when blank), a flow over part of the year (`jan-nov` … `h1`; `ytd` when the source does not
# say which months), or a stock at the end of a month (`stock-end-nov` …). Full year first, then
# from the longest part: the build rule uses a partial figure only where no full-year one exists.
PERIODS = (
    "year",
    "jan-nov",
    "stock-end-nov",
    "jan-oct",
    "stock-end-oct",
    "jan-sep",
    "stock-end-sep",
    "h1",
    "stock-end-jun",
    "ytd",
)
# How a row of publications.csv (where a figure is published) is known: a figure of the indicator
# was read in a copy of the publication, or a planned target; the table itself was seen but its
# figures were not read; or it is the usual place, not read (the note says why it is expected).
PUBLICATION_BASIS = ("figure_read", "target_read", "table_seen", "unverified")
# http(s) without spaces or quotes; or `offline:` then where the copy is, in words that do not start
# like a spreadsheet formula (= + - @) and hold no control characters
URL_PATTERN = r"^(https?://[^\s\"<>]+|offline: ?[^=+\-@\s][^\x00-\x1f]*)$"
URL_HINT = "a URL starting with http:// or https:// (or offline: and where the copy is)"


@dataclass(frozen=True)
class Col:
    """One column: its type (str, float, int, date), whether a value is required, and allowed values."""

    type: str = "str"
    required: bool = True
    choices: tuple[str, ...] | None = None
    range: tuple[float, float] | None = None
    pattern: str | None = None
    hint: str | None = None
    max_len: int | None = None
    may_omit: bool = False  # the column may be left out of a file's header (read as blank)

    def expected(self) -> str:
        """What a valid value looks like, for error messages."""
        if self.hint:
            return self.hint
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.range:
            return f"a {'whole number' if self.type == 'int' else 'number'} from {self.range[0]:g} to {self.range[1]:g}"
        return {
            "float": "a decimal number",
            "int": "a whole number",
            "date": "an ISO date YYYY-MM-DD (or YYYY-MM, YYYY)",
        }.get(self.type, "text")


@dataclass(frozen=True)
class Table:
    """A raw table: which files hold it, its columns, and the columns that identify a row."""

    name: str
    columns: dict[str, Col]
    key: tuple[str, ...]


TABLES = {
    "indicators": Table(
        "indicators",
        {
            "id": Col(pattern=r"^[a-z][a-z0-9_]*$", hint="a snake_case id"),
            "label_zh": Col(),
            "label_en": Col(),
            "unit": Col(),
            "definition": Col(),
            "direction": Col(choices=DIRECTIONS),
            "scope": Col(required=False),
            "min": Col(type="float", required=False, may_omit=True),
            "max": Col(type="float", required=False, may_omit=True),
        },
        key=("id",),
    ),
    "sources": Table(
        "sources",
        {
            "source_id": Col(
                pattern=r"^[a-z0-9][a-z0-9-]*$", hint="a kebab-case id such as dg-bulletin-2016"
            ),
            "title": Col(),
            "publisher": Col(),
            "published": Col(type="date", required=False),
            "url": Col(pattern=URL_PATTERN, hint=URL_HINT),
            "accessed": Col(type="date"),
            # a lower-grade copy of a dated official document: that document's title and date
            # (the build rule then counts its figures among the official ones; docs/data-model.md)
            "copy_of": Col(
                required=False,
                may_omit=True,
                pattern=r"^[^=+\-@\s].*\d{4}-\d{2}(-\d{2})?",
                hint="the official document's title and its date YYYY-MM-DD",
            ),
        },
        key=("source_id",),
    ),
    "observations": Table(
        "observations",
        {
            "indicator": Col(),
            "year": Col(type="int", range=YEARS),
            "value": Col(type="float"),
            "as_written": Col(),
            "unit": Col(),
            "kind": Col(choices=KINDS),
            "scope": Col(required=False),
            "price_basis": Col(required=False, choices=PRICE_BASIS),
            "vintage": Col(type="date", required=False),
            "source_id": Col(),
            "quote": Col(max_len=QUOTE_MAX),
            "reliability": Col(choices=RELIABILITY),
            "note": Col(required=False),
            "period": Col(required=False, choices=PERIODS, may_omit=True),
        },
        key=("indicator", "year", "kind", "source_id", "vintage", "value"),
    ),
    "targets": Table(
        "targets",
        {
            "id": Col(pattern=r"^[a-z][a-z0-9_]*$", hint="a snake_case id"),
            "label_zh": Col(),
            "label_en": Col(),
            "indicator": Col(),
            "unit": Col(),
            "comparison": Col(choices=COMPARISONS),
            "target_value": Col(type="float"),
            "target_year": Col(type="int", range=YEARS),
            "baseline_year": Col(type="int", required=False, range=YEARS),
            "baseline_value": Col(type="float", required=False),
            "kind": Col(choices=TARGET_KINDS),
            "clause": Col(),
            "quote": Col(),
            "note": Col(required=False),
            # the indicator judged instead while `indicator` has no figure (the note says why)
            "proxy": Col(required=False, may_omit=True),
        },
        key=("id",),
    ),
    "publications": Table(
        "publications",
        {
            "indicator": Col(),
            "publication": Col(),
            "where": Col(),
            "years": Col(required=False),
            "basis": Col(choices=PUBLICATION_BASIS),
            "source_id": Col(required=False),
            "url": Col(required=False, pattern=URL_PATTERN, hint=URL_HINT),
            "note": Col(required=False),
        },
        key=("indicator", "publication", "where"),
    ),
    "measures": Table(
        "measures",
        {
            "number": Col(type="int", range=(1, 43)),
            "programme_zh": Col(),
            "programme_en": Col(),
            "title_zh": Col(),
            "title_en": Col(),
            "departments": Col(required=False),
            "serves_targets": Col(required=False),
            "note": Col(required=False),
        },
        key=("number",),
    ),
}


def table_for(filename: str) -> Table | None:
    """The table a raw file holds, by its name (`observations_yearbook.csv` is an observations table)."""
    stem = filename.rsplit("/", 1)[-1].removesuffix(".csv")
    for name, table in TABLES.items():
        if stem == name or stem.startswith(name + "_"):
            return table
    return None
