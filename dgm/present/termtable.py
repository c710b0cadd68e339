"""Rows → a plain-text table for the terminal that fits its width (`render`).

Widths follow the East-Asian width rules (`unicodedata.east_asian_width`: wide and full-width
characters take two columns, combining marks none), so columns after Chinese text line up. A table
wider than the terminal keeps its first columns and says how many it left out (`--wide` shows
them all); long cells but the first are shortened with "…" unless `wide`.
"""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata

GAP = "  "  # between columns
MAX_CELL = 40  # columns: a longer cell is shortened (unless wide)
ELLIPSIS = "…"


def text_width(text: str) -> int:
    """Columns a string takes in a terminal (W/F characters 2, combining marks 0, others 1)."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def shorten(text: str, width: int) -> str:
    """`text` cut to at most `width` columns, ending in "…" when cut."""
    if text_width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = text_width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + ELLIPSIS


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded with spaces to `width` columns (aligned right when `right`)."""
    fill = " " * max(0, width - text_width(text))
    return fill + text if right else text + fill


def terminal_columns() -> int | None:
    """The terminal's width in columns (COLUMNS, else the terminal's); None when the output is
    not a terminal and COLUMNS is unset (a pipe or a file gets every column)."""
    if "COLUMNS" not in os.environ and not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size((100, 24)).columns


def render(
    rows: list[dict] | list[list],
    columns: list[str] | None = None,
    *,
    right: set[str] | frozenset = frozenset(),
    wide: bool = False,
    width: int | None = None,
) -> str:
    """The table as text: a header, one line per row; `right` names right-aligned columns.

    Without `wide`, cells longer than MAX_CELL are shortened and columns that do not fit in
    `width` (default: the terminal's, see terminal_columns) are left out, with a closing line
    saying so.
    """
    if columns is None:
        columns = list(rows[0]) if rows and isinstance(rows[0], dict) else []
    cells = [
        ["" if v is None else str(v) for v in (r.values() if isinstance(r, dict) else r)]
        for r in rows
    ]
    if not wide:  # the first column (an id to copy) is never shortened
        cells = [[c if j == 0 else shorten(c, MAX_CELL) for j, c in enumerate(r)] for r in cells]
    widths = [
        max([text_width(h)] + [text_width(r[j]) for r in cells]) for j, h in enumerate(columns)
    ]
    keep = len(columns)
    limit = width or terminal_columns()
    if not wide and limit:
        keep, used = 0, 0
        for w in widths:
            if keep and used + len(GAP) + w > limit:
                break
            used += w + (len(GAP) if keep else 0)
            keep += 1

    def line(values):
        return GAP.join(
            pad(v, widths[j], columns[j] in right) for j, v in enumerate(values[:keep])
        ).rstrip()

    out = [line(columns)] + [line(r) for r in cells]
    if keep < len(columns):
        left = len(columns) - keep
        out.append(
            f"({left} more column{'s' * (left > 1)}: {', '.join(columns[keep:])}; --wide shows all)"
        )
    return "\n".join(out)


def render_frame(frame, *, wide: bool = False, width: int | None = None, floats: str = "{:.3f}"):
    """A DataFrame through `render`: numbers right-aligned, floats with `floats`, NaN blank."""
    import pandas as pd

    numeric = {str(c) for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    rows = [
        [
            ""
            if pd.isna(v)
            else floats.format(v)
            if isinstance(v, float) and not float(v).is_integer()
            else f"{int(v)}"
            if isinstance(v, float)
            else str(v)
            for v in rec
        ]
        for rec in frame.itertuples(index=False)
    ]
    return render(rows, [str(c) for c in frame.columns], right=numeric, wide=wide, width=width)
