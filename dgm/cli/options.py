"""Flags and argparse types that several commands share (their wording is part of the contract)."""

import argparse
import datetime as dt

from dgm.errors import excerpt

YEARS = (1949, 2100)  # years a figure or a view can refer to (the PRC's statistics start in 1949)


def year(text: str) -> int:
    """A year within YEARS, or an argparse error that says what was expected."""
    lo, hi = YEARS
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not lo <= value <= hi:
        raise argparse.ArgumentTypeError(
            f"expected a year from {lo} to {hi}, got '{excerpt(text)}'"
        )
    return value


def as_of_date(text: str):
    """--as-of: a year (2014, meaning its last day) or an ISO date (2015-01-20) -> int or date."""
    if str(text).strip().isdigit():
        return year(text)
    try:
        day = dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a year (2014) or a date (2015-01-20), got '{excerpt(text)}'"
        ) from None
    year(str(day.year))
    return day


def at_least(low: int):
    """argparse type: a whole number >= `low`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low:
            raise argparse.ArgumentTypeError(
                f"expected a whole number ≥ {low}, got '{excerpt(text)}'"
            )
        return value

    return parse


def port(text: str) -> int:
    """--port: a TCP port, 0 to 65535 (0: any free port)."""
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"expected a port from 0 to 65535 (0: any free port), got '{excerpt(text)}'"
        )
    return value


def add_json(p: argparse.ArgumentParser) -> None:
    """--json: the command's JSON instead of its table."""
    p.add_argument("--json", action="store_true", help="emit JSON instead of a table")


def add_wide(p: argparse.ArgumentParser) -> None:
    """--wide: a terminal table with every column in full."""
    p.add_argument(
        "--wide", action="store_true", help="all columns in full, however wide the terminal"
    )
