"""Figures as a record's English notes write them: counts ('3 points') and judged values
('52.4 %', '66000', 'index 77.5')."""

from __future__ import annotations

from dgm.engine.goals import CHAINED, Judged


def plural(n: int, word: str = "point") -> str:
    """'1 point', '3 points'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def value_text(j: Judged, value: float) -> str:
    """A judged value for a note ("52.4 %", "66000", "index 77.5")."""
    if j.goal.kind in CHAINED:
        return f"index {value:.1f}"
    return f"{value:g}" + (" %" if j.unit == "%" else "")
