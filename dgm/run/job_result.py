"""A report job's outcome (a notebook or the workbook) and the one line that names its error."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JobResult:
    """Outcome of one job (a notebook or the workbook): `outputs` are the files it wrote (paths
    relative to the report), `cached` whether they were taken from dgm.run.report_cache instead."""

    name: str
    ok: bool
    seconds: float
    error: str = ""
    outputs: tuple[str, ...] = ()
    cached: bool = False


def error_text(err: BaseException) -> str:
    """One line naming the error: `ename: evalue` for a failed cell, else the exception."""
    ename, evalue = getattr(err, "ename", None), getattr(err, "evalue", None)
    if ename:
        cell = getattr(err, "exec_count", None)
        where = f" (cell [{cell}])" if cell else ""
        return f"{ename}: {evalue}{where}".splitlines()[0]
    return f"{type(err).__name__}: {err}".splitlines()[0]
