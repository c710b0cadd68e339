"""Words put to use: a key of dgm.words.TEXT in one language (`t`), unit labels, comparison signs,
a row's label; values as label text (thousands separators, U+2212 minus); footnotes naming the
sources; a wrap that counts a CJK character as two columns.

The words themselves are dgm.words; names of goals, indicators and programmes come from the
registry and catalogue rows passed in. At the root (imports only dgm.constants, dgm.lang and
dgm.words): the charts, tables and pages use these helpers, and so do the engine's notes for the
reader (dgm.engine.scenario.Note).
"""

from __future__ import annotations

import math
import re

from dgm.constants import COMPARISON_SIGNS
from dgm.lang import pick
from dgm.words import TEXT, UNIT_EN, UNIT_ZH

CHAINED_UNIT = re.compile(r"^index, (?P<base>\d{4}) = 100$")  # a chained index (dgm.engine.goals)
COMPARISON = {**COMPARISON_SIGNS, "==": "="}
MAX_SOURCES = 8  # footnote names at most this many documents, then "and N more"


def t(key: str, lang: str, sep: str = " ", **fmt) -> str:
    """Chart furniture text ``key`` in ``lang``; ``fmt`` fills placeholders."""
    zh, en = TEXT[key]
    return pick(zh.format(**fmt), en.format(**fmt), lang, sep)


def unit_label(unit: str | None, lang: str) -> str:
    """Axis unit label: 亿元 / 100 million yuan / 亿元 (100 million yuan); a chained index
    ("index, 2016 = 100") as 指数（2016年 = 100） / index (2016 = 100) / 指数 · index（2016 = 100）."""
    if not unit or unit != unit:  # None or NaN
        return ""
    zh = UNIT_ZH.get(unit, unit)
    en = UNIT_EN.get(unit, unit)
    chained = CHAINED_UNIT.match(unit)
    if chained:
        base = chained["base"]
        zh, en = f"指数（{base}年 = 100）", f"index ({base} = 100)"
        if lang == "both":
            return f"指数 · index（{base} = 100）"
    if lang == "both":
        return zh if zh == en else f"{zh}（{en}）"
    return pick(zh, en, lang)


def row_label(row, lang: str, prefix: str = "label", sep: str = " · ") -> str:
    """``label_zh``/``label_en`` of a registry or catalogue row (dict or Series) in ``lang``."""
    zh = cell(row, f"{prefix}_zh") or cell(row, "id") or ""
    en = cell(row, f"{prefix}_en") or zh
    return pick(str(zh), str(en), lang, sep)


def wrap(text: str, width: int) -> str:
    """Wrap text to ``width`` columns, counting a CJK character as two columns."""
    lines = []
    for para in text.split("\n"):
        line, cols = "", 0
        for token in _tokens(para):
            w = sum(2 if ord(c) > 0x2E7F else 1 for c in token)
            if cols + w > width and line:
                lines.append(line.rstrip())
                line, cols = token.lstrip(), w
            else:
                line, cols = line + token, cols + w
        lines.append(line.rstrip())
    return "\n".join(lines)


def _tokens(text: str) -> list[str]:
    """Break points for wrap(): Latin words with their trailing space, single CJK characters."""
    out, word = [], ""
    for c in text:
        if ord(c) > 0x2E7F:
            if word:
                out.append(word)
                word = ""
            out.append(c)
        else:
            word += c
            if c == " ":
                out.append(word)
                word = ""
    if word:
        out.append(word)
    return out


def cell(row, key, default=None):
    """row[key] for a dict or Series; ``default`` when absent, None or NaN."""
    try:
        v = row[key]
    except (KeyError, IndexError, TypeError):
        return default
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return default
    try:
        import pandas as pd

        if pd.isna(v):
            return default
    except (TypeError, ValueError):
        pass
    return v


def minus(s: str) -> str:
    """Replace hyphen-minus used as a sign by U+2212 MINUS SIGN."""
    return re.sub(r"(?<![\w])-(?=\d)", "\u2212", s)


def fmt_value(v, unit: str | None = None, digits: int | None = None) -> str:
    """A value for a label: thousands separators, no spurious decimals, % for shares, − for minus.

    Without ``digits`` the fewest decimals (0–2) that show the value to 0.01 are used.
    """
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    v = float(v)
    if digits is None:
        digits = next(d for d in (0, 1, 2) if round(v, d) == round(v, 2))
    s = f"{v:,.{digits}f}"
    if unit == "%":
        s += "%"
    return minus(s)


def _unit_suffix(unit, lang) -> str:
    """' 亿元' after a value (nothing for %, which fmt_value already appends)."""
    if not unit or unit == "%":
        return ""
    u = unit_label(unit, "en" if lang == "en" else "zh")
    return f" {u}"


def goal_text(goal, lang, value=None) -> str:
    """'目标（2025年）≥ 20,000 亿元' / 'Goal (2025): ≥ 20,000 100 million yuan'."""
    unit = cell(goal, "unit")
    v = cell(goal, "target_value") if value is None else value
    year = cell(goal, "target_year")
    cmp_ = COMPARISON.get(str(cell(goal, "comparison", "")), "")
    if cell(goal, "kind") == "reduction_vs_baseline" and value is not None:
        cmp_, unit = "≤", None  # a cut of x % is drawn on the chained index: index ≤ 100 − x
    val = f"{cmp_} {fmt_value(v, unit)}{_unit_suffix(unit, lang)}".strip()
    y = int(year) if year is not None else None
    zh = f"目标（{y}年）{val}" if y else f"目标 {val}"
    en = f"Goal ({y}): {val}" if y else f"Goal: {val}"
    return pick(zh, en, lang, "\n")


def source_ids(*frames) -> list[str]:
    """Distinct source_id values of the frames, in order of first appearance."""
    ids: list[str] = []
    for f in frames:
        if f is None or "source_id" not in getattr(f, "columns", ()):
            continue
        for s in f["source_id"].dropna().astype(str):
            for part in s.split(";"):
                if part.strip() and part.strip() not in ids:
                    ids.append(part.strip())
    return ids


def source_note(source_ids, sources=None, lang="zh", goal=None, extra: str = "") -> str:
    """Footnote text: "资料来源：《title》(publisher, year); …" plus the policy clause of the goal."""
    parts = []
    lookup = {}
    if sources is not None and len(sources):
        lookup = {str(r["source_id"]): r for r in sources.to_dict("records")}
    for sid in source_ids[:MAX_SOURCES]:
        r = lookup.get(sid)
        if r is None:
            parts.append(sid)
            continue
        title = str(cell(r, "title", sid))
        who = str(cell(r, "publisher", "") or "")
        year = str(cell(r, "published", "") or "")[:4]
        meta = ", ".join(x for x in (who, year) if x)
        parts.append(f"{title} ({meta})" if meta else title)
    more = len(source_ids) - MAX_SOURCES
    sep = "；" if lang == "zh" else "; "
    body = sep.join(parts)
    if more > 0:
        body += (" " if lang != "zh" else "") + t("more", lang, n=more)
    lines = []
    if body:
        lines.append(t("sources", lang) + body)
    if goal is not None:
        clause = cell(goal, "clause", "")
        g = t("goal_source", lang, sep=" / ")
        lines.append(f"{g} {clause}".strip())
    if extra:
        lines.append(extra)
    return "\n".join(lines)
