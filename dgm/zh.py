"""Chinese text for output → Simplified Chinese (OpenCC `t2s`); verbatim quotes are never passed here.

The policy copy and some sources are in traditional characters; the city, its readers and its
statistics use simplified ones. Labels, clauses and table text shown in `zh` output go through
`simplified`; the columns in VERBATIM (quotes, the figure as written, notes that quote the text,
the titles of the sources, some of them Japanese, and URLs) keep the source's wording.
"""

from __future__ import annotations

import functools

VERBATIM = frozenset({"quote", "as_written", "note", "title", "source_title", "url", "source_url"})


@functools.cache
def _converter():
    """The OpenCC traditional → simplified converter (loaded once)."""
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text):
    """`text` in simplified characters (non-strings returned unchanged)."""
    if not isinstance(text, str) or text.isascii():
        return text
    return _converter().convert(text)


def changes(text) -> bool:
    """Whether `simplified` would change `text` (a traditional character left in output)."""
    return isinstance(text, str) and simplified(text) != text


def simplify_columns(frame, columns=None):
    """A copy of `frame` whose text columns (all but VERBATIM, or just `columns`) are simplified."""
    out = frame.copy()
    cols = columns if columns is not None else [c for c in out.columns if c not in VERBATIM]
    for c in cols:
        if c in out.columns and (out[c].dtype == object or str(out[c].dtype).startswith("str")):
            out[c] = out[c].map(simplified)
    return out
