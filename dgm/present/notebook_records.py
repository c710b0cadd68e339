"""Results a notebook records for tests and the report: a value shown, and kept as JSON.

`record(name, value)` displays a value and attaches it as JSON under a dgm MIME type, so tests and
`dgm report` read key results back from an executed notebook (`read_records`) instead of parsing
HTML. Rendering stays the usual one (HTML table / text); the JSON part is invisible in JupyterLab
and in nbconvert's HTML.
"""

from __future__ import annotations

from pathlib import Path

from dgm.jsonsafe import plain
from dgm.lang import DEFAULT_LANG, LANGS

RECORD_MIME = "application/vnd.dgm.record+json"


def hidden_text(name: str) -> str:
    """The placeholder text of a record kept without being shown (pages drop it: dgm.present.pages)."""
    return f"[{name}]"


def _kernel_lang() -> str:
    """The notebook's `lang` parameter (papermill injects it), "both" outside a notebook."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        shell = None
    lang = shell.user_ns.get("lang") if shell is not None else None
    return lang if lang in LANGS else DEFAULT_LANG


def record(name: str, value, show: bool = True, lang: str | None = None) -> None:
    """Display `value` (unless show=False) and attach it, as JSON, to the cell's output.

    Tables are shown through `dgm.present.tables` (headers in words, numbers by unit) in `lang`, by
    default the notebook's `lang` parameter; the JSON keeps the raw values.
    """
    import pandas as pd
    from IPython.display import display

    from dgm.present import tables

    bundle = {RECORD_MIME: {"name": name, "value": plain(value)}}
    if isinstance(value, pd.DataFrame | pd.Series):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        lang = lang or _kernel_lang()
        bundle["text/plain"] = tables.to_text(frame, lang) if show else hidden_text(name)
        if show:
            bundle["text/html"] = tables.to_html(frame, lang)
    else:
        bundle["text/plain"] = repr(value) if show else hidden_text(name)
    display(bundle, raw=True)


def read_records(nb) -> dict:
    """{name: value} of every `record` in an executed notebook (nbformat node or path)."""
    import nbformat

    if not hasattr(nb, "cells"):
        nb = nbformat.read(Path(nb), as_version=4)
    out = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            rec = output.get("data", {}).get(RECORD_MIME)
            if rec is not None:
                out[rec["name"]] = rec["value"]
    return out


def say(text: str) -> None:
    """Display sentences to a reader: one HTML paragraph per line (escaped), so a reader page shows
    prose, not a code-output box; the plain text stays for the terminal and the reviewer."""
    import html

    from IPython.display import display

    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line)
    display({"text/html": f'<div class="dgm-say">{paragraphs}</div>', "text/plain": text}, raw=True)
